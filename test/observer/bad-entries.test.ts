// What the observer does with entries that are not regular files: symbolic links are announced as themselves (never
// followed; the worker sets them aside), sub-directories are never announced and are warned about once.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { startTestRedis } from '../helpers/redis-server';
import { makeHome, startObserver, waitFor } from '../datapath/harness';

for (const watcher of ['inotifywait', 'fs.watch'] as const) {
  test(`[${watcher}] links moved in, made in place or there at start-up are announced as themselves; sub-directories only warned about`, async (t) => {
    const redis = await startTestRedis();
    const home = makeHome();
    const client = new Redis({ path: redis.socket });
    const dir = path.join(home.home.inDir, 'step.o.main');
    const outside = path.join(home.dir, 'outside');
    fs.mkdirSync(dir, { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'target'), 'x');
    const ini = path.join(home.home.configAutoDir, 'directory_observer.ini');
    fs.writeFileSync(ini, ['[common]', `redis_unix_socket = ${redis.socket}`, '', '[o]', 'active = true', `directory = ${dir}`, 'queue = step.o.main', 'forced_poll = 1', ''].join('\n'));
    // Before the start: found by the start-up rescan (a link to a directory is a link, not a directory).
    fs.symlinkSync(outside, path.join(dir, 'link-to-dir-early'));
    fs.mkdirSync(path.join(dir, 'folder-early'));
    const obs = startObserver(home, watcher === 'fs.watch' ? { MFDATA_OBSERVER_WATCHER: 'fs.watch' } : {});
    t.after(async () => {
      await obs.stop();
      client.disconnect();
      await redis.stop();
      home.cleanup();
    });
    await waitFor('observer started', () => obs.records.some((r) => r.event === 'directory observer started'));
    // Made in place: no close follows, so (with inotifywait) the next rescan finds it (forced_poll = 1 here).
    fs.symlinkSync(path.join(outside, 'target'), path.join(dir, 'link-in-place'));
    fs.symlinkSync(path.join(home.dir, 'nowhere'), path.join(home.dir, 'dangling'));
    fs.renameSync(path.join(home.dir, 'dangling'), path.join(dir, 'dangling-moved-in'));
    fs.mkdirSync(path.join(dir, 'folder-late'));
    fs.writeFileSync(path.join(dir, 'folder-late', 'inside'), 'y');
    const expected = ['dangling-moved-in', 'link-in-place', 'link-to-dir-early'];
    const announced = async (): Promise<string[]> => (await client.lrange('step.o.main', 0, -1)).map((m) => String(JSON.parse(m).filename));
    await waitFor('the three links announced', async () => {
      const names = await announced();
      return expected.every((n) => names.includes(n));
    });
    await waitFor('the late folder warned about', () => warned(obs.records, 'folder-late'));
    const names = await announced();
    assert.deepEqual([...new Set(names)].sort(), expected, 'no directory announced, nothing followed');
    assert.ok(warned(obs.records, 'folder-early'), 'the early folder warned about by the rescan');
    assert.equal(obs.records.filter((r) => r.event === WARNING && r.filename === 'folder-late').length, 1, 'warned once');
    assert.equal(fs.readFileSync(path.join(outside, 'target'), 'utf8'), 'x');
  });
}

const WARNING = 'a directory in a watched directory is not processed (only files are): move it away';

function warned(records: Array<Record<string, unknown>>, name: string): boolean {
  return records.some((r) => r.event === WARNING && r.filename === name && r.level === 'warning');
}
