// Specification of housekeeping on real files (aged with utimes) and a real redis-server: what is deleted, what never is.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { runtimeHome } from '../../runtime/home';
import { Housekeeper, type HousekeepingLog } from '../../runtime/housekeeping/housekeeper';
import { RESERVED_NAME_TARGET } from '../../runtime/tags/inbox-name';
import { tagsKey } from '../../runtime/queue/keys';
import { startTestRedis } from '../helpers/redis-server';

const MIN = 60_000;
const limits = { trashMaxMs: 1440 * MIN, otherMaxMs: 360 * MIN };

interface Tree {
  root: string;
  home: string;
  inDir: string;
  archive: string;
  /** Writes `rel` (relative to root) aged `minutes`. */
  file(rel: string, minutes: number): string;
  cleanup(): void;
}

function tree(): Tree {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-hk-')));
  const home = path.join(root, 'home');
  return {
    root, home, inDir: runtimeHome(home).inDir, archive: path.join(root, 'archive'),
    file(rel, minutes) {
      const p = path.join(root, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, rel);
      const t = (Date.now() - minutes * MIN) / 1000;
      fs.utimesSync(p, t, t);
      return p;
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** The resolved plugin JSON the config generation writes, with one archive step. */
function writeArchivePlugin(t: Tree, lifetimeDays: number): void {
  const dir = path.join(runtimeHome(t.home).configAutoDir, 'plugins');
  fs.mkdirSync(dir, { recursive: true });
  const plugin = {
    name: 'p', configFile: path.join(t.root, 'ws/plugins/p/config.ini'),
    steps: [{ name: 'arch', stepModule: 'builtin:archive', options: { dest_dir: t.archive, lifetime: String(lifetimeDays), keep_tags_suffix: '.tags' } }],
  };
  fs.writeFileSync(path.join(dir, 'p.json'), JSON.stringify(plugin));
}

function recordingLog(): { log: HousekeepingLog; records: { level: string; event: string; fields: Record<string, unknown> }[] } {
  const records: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  return { records, log: (level, event, fields = {}) => records.push({ level, event, fields: fields as Record<string, unknown> }) };
}

test('a pass deletes old trash, nomatch, expired archives and leftover .t files, drops their Redis tags and logs counts per directory', async () => {
  const t = tree();
  const redisServer = await startTestRedis();
  const redis = new Redis({ path: redisServer.socket });
  try {
    const old = [
      t.file('home/var/in/trash/p.s/f1', 1500),
      t.file('home/var/in/trash/p.s/f1.tags', 1500),
      t.file('home/var/in/trash/p.s/f2', 2000),
      t.file('home/var/in/trash/sw.nomatch/n1', 1441),
      t.file('home/var/in/incoming/dead.t', 400),
      t.file('archive/20260101/u1', 3 * 1440),
      t.file('archive/20260101/u1.tags', 3 * 1440),
    ];
    const kept = [
      t.file('home/var/in/trash/p.s/young', 1000),
      t.file('home/var/in/incoming/writing.t', 10),
      t.file('archive/20260103/u2', 1000),
    ];
    writeArchivePlugin(t, 2);
    await redis.hset(tagsKey(old[0]), { first: '1' });
    await redis.hset(tagsKey(old[5]), { first: '1' });
    await redis.hset(tagsKey(kept[0]), { first: '1' });

    const { log, records } = recordingLog();
    const report = await new Housekeeper({ home: t.home, intervalMs: 300_000, limits, redis, log }).runOnce();

    for (const p of old) assert.equal(fs.existsSync(p), false, `${p} should be deleted`);
    for (const p of kept) assert.equal(fs.existsSync(p), true, `${p} should be kept`);
    assert.equal(report.tagsRemoved, 2);
    assert.equal(await redis.exists(tagsKey(kept[0])), 1);
    assert.deepEqual(
      records.filter((r) => r.event.startsWith('housekeeping deleted')).map((r) => [r.fields.dir, r.fields.reason, r.fields.count]),
      [['incoming', 'leftover-temp', 1], ['trash/p.s', 'trash', 3], ['trash/sw.nomatch', 'nomatch', 1], [t.archive, 'archive-lifetime', 2]],
    );
  } finally {
    redis.disconnect();
    await redisServer.stop();
    t.cleanup();
  }
});

test('a claim in IN/tmp and a queued inbox file older than every limit are left alone; the stuck inbox is reported', async () => {
  const t = tree();
  try {
    const ancient = 100 * 1440;
    const claim = t.file('home/var/in/tmp/p.s/claimed', ancient);
    const claimTemp = t.file('home/var/in/tmp/p.s/partial.t', ancient);
    const queued = t.file('home/var/in/step.p.s/waiting', ancient);
    const queued2 = t.file('home/var/in/step.p.s/waiting2', 500);
    const { log, records } = recordingLog();
    await new Housekeeper({ home: t.home, intervalMs: 300_000, limits, log }).runOnce();
    for (const p of [claim, claimTemp, queued, queued2]) assert.equal(fs.existsSync(p), true, `${p} must never be deleted`);
    const warnings = records.filter((r) => r.level === 'warning');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].fields.dir, 'step.p.s');
    assert.equal(warnings[0].fields.count, 2);
    assert.ok((warnings[0].fields.oldest_age_minutes as number) >= ancient);
  } finally {
    t.cleanup();
  }
});

test('the housekeeping process runs a pass at start, logs mflog JSON and exits 0 on SIGTERM', async () => {
  const t = tree();
  const redisServer = await startTestRedis();
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const trashed = t.file('home/var/in/trash/p.s/old', 5000);
    const entry = path.join(__dirname, '../../runtime/housekeeping/main.js');
    child = spawn(process.execPath, [entry, '--home', t.home, '--interval', '3600'], {
      env: { ...process.env, MFDATA_REDIS_UNIX_SOCKET: redisServer.socket, MFDATA_HOME: t.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = child;
    let out = '';
    proc.stdout?.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      proc.stdout?.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('housekeeping deleted old files')) resolve();
      });
      proc.on('exit', (code) => reject(new Error(`housekeeping exited early (${code}): ${out}`)));
    });
    assert.equal(fs.existsSync(trashed), false);
    const records = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(records.every((r) => r.name === 'housekeeping'));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await redisServer.stop();
    t.cleanup();
  }
});

test('a pass removes a name reservation a killed worker left in a step inbox, keeps a fresh one, a real file and a foreign symlink', async () => {
  const t = tree();
  const redisServer = await startTestRedis();
  const redis = new Redis({ path: redisServer.socket });
  try {
    const inbox = path.join(t.inDir, 'step.p.s');
    fs.mkdirSync(inbox, { recursive: true });
    const link = (name: string, target: string, minutes: number): string => {
      const p = path.join(inbox, name);
      fs.symlinkSync(target, p);
      const at = (Date.now() - minutes * MIN) / 1000;
      fs.lutimesSync(p, at, at);
      return p;
    };
    const abandoned = link('abandoned.csv', RESERVED_NAME_TARGET, 5);
    const fresh = link('fresh.csv', RESERVED_NAME_TARGET, 0);
    const foreign = link('foreign.csv', '/etc/hostname', 5);
    const queued = t.file('home/var/in/step.p.s/queued.csv', 5);
    const { log, records } = recordingLog();
    await new Housekeeper({ home: t.home, intervalMs: 300_000, limits, redis, log }).runOnce();
    assert.equal(fs.lstatSync(abandoned, { throwIfNoEntry: false }), undefined, 'the abandoned reservation is gone');
    for (const p of [fresh, foreign, queued]) assert.ok(fs.lstatSync(p, { throwIfNoEntry: false }), `${p} is kept`);
    assert.deepEqual(
      records.filter((r) => r.event.startsWith('housekeeping deleted')).map((r) => [r.fields.dir, r.fields.reason, r.fields.count]),
      [['step.p.s', 'abandoned-reservation', 1]],
    );
  } finally {
    redis.disconnect();
    await redisServer.stop();
    t.cleanup();
  }
});

