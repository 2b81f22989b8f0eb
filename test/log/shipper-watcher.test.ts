// The log_shipper watcher exists exactly when mfdata.ini sets [log] elasticsearch_url, and runs log-shipper.js on this home.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { generateConfigAuto } from '../../runtime/config/generate';

function watchersFor(ini: string, t: { after(fn: () => void): void }) {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-shw-'));
  t.after(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.mkdirSync(path.join(ws, 'plugins'));
  fs.writeFileSync(path.join(ws, 'mfdata.ini'), ini);
  const { config } = loadRuntimeConfig({ workspace: ws, home: path.join(ws, '.mfdata'), env: {} });
  return { home: path.join(ws, '.mfdata'), watchers: generateConfigAuto(config, { runtimeDir: '/rt', nodePath: '/usr/bin/node', redisServer: 'redis-server' }).supervisor.watchers };
}

test('with [log] elasticsearch_url, a log_shipper watcher starts right after redis and writes log/log_shipper.log', (t) => {
  const { home, watchers } = watchersFor('[log]\nelasticsearch_url = http://shipper:s3cret@127.0.0.1:9200\n', t);
  const shipper = watchers.find((w) => w.name === 'log_shipper');
  assert.ok(shipper);
  assert.equal(shipper.kind, 'log_shipper');
  // The URL, which may hold credentials, goes in the environment: argv is readable by every local user (ps).
  assert.deepEqual([shipper.command, ...shipper.args], ['/usr/bin/node', '/rt/log-shipper.js', '--home', home]);
  assert.equal(shipper.env.MFDATA_LOG_ELASTICSEARCH_URL, 'http://shipper:s3cret@127.0.0.1:9200');
  assert.equal(shipper.logFile, path.join(home, 'log', 'log_shipper.log'));
  assert.deepEqual(watchers.map((w) => w.name).slice(0, 2), ['redis', 'log_shipper']);
});

test('without it, no log_shipper watcher', (t) => {
  assert.equal(watchersFor('[log]\nminimal_level = DEBUG\n', t).watchers.some((w) => w.kind === 'log_shipper'), false);
});
