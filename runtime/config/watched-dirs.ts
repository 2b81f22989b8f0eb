// watched_directories that cannot work, found before the runtime starts: a worker claims a file by renaming it into
// IN/tmp/<plugin>.<step>/, so a watched directory must be on the file system of IN and outside the areas the workers
// own (tmp/ for claims, trash/ and retry/ for failed and waiting files). (The step inbox is always watched as well:
// runtime/config/plugins.ts.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigProblem } from './errors';
import type { StepConfig } from './model';
import { runtimeHome } from '../home';
import { at, type ResolvedSection } from './validate';

/** The device of `dir`, or of its closest existing parent (a directory the runtime creates at start). */
function deviceOf(dir: string): number | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = fs.statSync(d, { throwIfNoEntry: false });
    if (st) return st.dev;
    if (path.dirname(d) === d) return undefined;
  }
}

function inside(parent: string, dir: string): boolean {
  const rel = path.relative(parent, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function watchedDirectoryProblems(step: StepConfig, section: ResolvedSection, homeRoot: string): ConfigProblem[] {
  const home = runtimeHome(homeRoot);
  const entry = section.values.get('watched_directories')?.entry;
  const file = entry?.file ?? section.section.file;
  const span = entry?.valueSpan ?? section.section.nameSpan;
  const where = `[${section.name}] watched_directories`;
  const problems: ConfigProblem[] = [];
  const inDevice = deviceOf(home.inDir);
  for (const dir of step.watchedDirectories) {
    const owned = ['tmp', 'trash', 'retry'].map((d) => path.join(home.inDir, d)).find((area) => inside(area, dir));
    if (owned !== undefined) {
      problems.push(at(file, span, 'watched-runtime-area', `${where}: ${dir} is inside ${owned}, which the workers own (claims, failed and waiting files): another step's files would be taken from under it`,
        'watch a directory of its own, e.g. {MFDATA_CURRENT_STEP_DIR} (the step inbox)'));
      continue;
    }
    const device = deviceOf(dir);
    if (inDevice !== undefined && device !== undefined && device !== inDevice) {
      problems.push(at(file, span, 'watched-other-filesystem', `${where}: ${dir} is on another file system than ${home.inDir}: a file there cannot be claimed (a claim is a rename into ${path.join(home.inDir, 'tmp')}), it would never be processed`,
        'watch a directory on the file system of the runtime home, or move the runtime home (MFDATA_HOME) there', { severity: 'warning' }));
    }
  }
  return problems;
}
