// Which folder of a multi-root window holds the MFDATA project: the setting, a remembered pick, the only or first project.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseProjectFolder, describeChoice, isMfdataProject, type FolderCandidate } from '../../src/services/projectFolder';

/** Real folders under a temp dir: `notes` (no project), `alpha` (mfdata.ini), `beta` (plugins/p/config.ini only), `gamma` (an empty plugins/). */
function folders(t: { after(fn: () => void): void }): Record<'notes' | 'alpha' | 'beta' | 'gamma', FolderCandidate> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-project-folder-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const make = (name: string, files: string[]): FolderCandidate => {
    fs.mkdirSync(path.join(root, name), { recursive: true });
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(root, name, f)), { recursive: true });
      if (!f.endsWith('/')) fs.writeFileSync(path.join(root, name, f), '');
    }
    return { name, path: path.join(root, name) };
  };
  return {
    notes: make('notes', ['README.md']),
    alpha: make('alpha', ['mfdata.ini']),
    beta: make('beta', ['plugins/p/config.ini']),
    gamma: make('gamma', ['plugins/notaplugin/']),
  };
}

test('a folder is a project when it holds mfdata.ini or a plugins/<name>/config.ini', (t) => {
  const f = folders(t);
  assert.equal(isMfdataProject(f.alpha.path), true);
  assert.equal(isMfdataProject(f.beta.path), true);
  assert.equal(isMfdataProject(f.gamma.path), false);
  assert.equal(isMfdataProject(f.notes.path), false);
  assert.equal(isMfdataProject(path.join(f.notes.path, 'missing')), false);
});

test('the only project wins over the first folder; without any project the first folder is kept (a single-folder window as before)', (t) => {
  const f = folders(t);
  const only = chooseProjectFolder([f.notes, f.gamma, f.beta]);
  assert.equal(only.folder, f.beta);
  assert.equal(only.reason, 'only-project');
  assert.equal(only.ambiguous, false);
  const none = chooseProjectFolder([f.notes, f.gamma]);
  assert.deepEqual([none.folder, none.reason, none.projects], [f.notes, 'first-folder', []]);
  const empty = chooseProjectFolder([]);
  assert.deepEqual([empty.folder, empty.reason], [undefined, 'none']);
  assert.equal(describeChoice(empty), 'no local folder open');
});

test('several projects: the first one, flagged ambiguous, unless a remembered pick (still a project) names another', (t) => {
  const f = folders(t);
  const first = chooseProjectFolder([f.notes, f.alpha, f.beta]);
  assert.deepEqual([first.folder, first.reason, first.ambiguous], [f.alpha, 'first-project', true]);
  assert.deepEqual(first.projects, [f.alpha, f.beta]);
  assert.match(describeChoice(first), /^alpha \(.*alpha\): the first of 2 MFDATA projects/);
  const picked = chooseProjectFolder([f.notes, f.alpha, f.beta], { remembered: f.beta.path });
  assert.deepEqual([picked.folder, picked.reason, picked.ambiguous], [f.beta, 'remembered', false]);
  // The remembered folder left the workspace (or lost its project): back to the rules.
  assert.equal(chooseProjectFolder([f.notes, f.alpha], { remembered: f.beta.path }).reason, 'only-project');
  assert.equal(chooseProjectFolder([f.notes, f.alpha], { remembered: f.notes.path }).folder, f.alpha);
});

test('the mfdata.projectFolder setting wins, by workspace name, absolute path or base name; an unknown one is reported and ignored', (t) => {
  const f = folders(t);
  const all = [f.notes, f.alpha, { name: 'Beta project', path: f.beta.path }];
  assert.equal(chooseProjectFolder(all, { setting: 'Beta project', remembered: f.alpha.path }).folder?.path, f.beta.path);
  assert.equal(chooseProjectFolder(all, { setting: f.beta.path + '/' }).folder?.path, f.beta.path);
  assert.equal(chooseProjectFolder(all, { setting: 'beta' }).folder?.path, f.beta.path);
  // The user may name a folder without a project yet (to create one there).
  const notes = chooseProjectFolder(all, { setting: 'notes' });
  assert.deepEqual([notes.folder, notes.reason], [f.notes, 'setting']);
  const unknown = chooseProjectFolder(all, { setting: 'nosuch', remembered: f.beta.path });
  assert.deepEqual([unknown.folder?.path, unknown.reason, unknown.settingUnmatched], [f.beta.path, 'remembered', 'nosuch']);
  assert.match(describeChoice(unknown), /mfdata.projectFolder "nosuch" names no folder of this workspace/);
  assert.equal(chooseProjectFolder(all, { setting: '   ' }).reason, 'first-project');
});
