// Starts a private InfluxDB 1.x (influxd) for a test: generated config in a temp dir, HTTP and RPC bound to 127.0.0.1 on
// free ports, data/meta/wal in the temp dir, reporting off; never the system service. Stops it and removes the dir afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestInfluxDb {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The v1 write URL of `database`. */
  writeUrl: string;
  database: string;
  dir: string;
  process: ChildProcess;
  /** InfluxQL over `/query?db=…&q=…`: the series of the first statement (none = []). */
  query(q: string): Promise<InfluxSeries[]>;
  stop(): Promise<void>;
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export function findInfluxd(): string | undefined {
  const candidates = [process.env.MFDATA_INFLUXD, ...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'influxd'))];
  return candidates.find((c) => c !== undefined && c !== '' && fs.existsSync(c));
}

/** A port nobody listens on right now (bound then released: another process could take it in between, rarely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function request(method: string, url: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, timeout: 10_000, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

function configFile(dir: string, httpPort: number, rpcPort: number): string {
  const q = (p: string): string => JSON.stringify(path.join(dir, p));
  return [
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]', `  dir = ${q('meta')}`, '  logging-enabled = false',
    '[data]', `  dir = ${q('data')}`, `  wal-dir = ${q('wal')}`, '  query-log-enabled = false',
    '[monitor]', '  store-enabled = false',
    '[http]', '  enabled = true', `  bind-address = "127.0.0.1:${httpPort}"`, '  log-enabled = false',
    '[continuous_queries]', '  enabled = false',
    '[subscriber]', '  enabled = false',
    '',
  ].join('\n');
}

/** Starts influxd (throws with its output when it does not answer /ping within 30 s) and creates `database`. */
export async function startTestInfluxDb(database = 'metrics'): Promise<TestInfluxDb> {
  const bin = findInfluxd();
  if (!bin) throw new Error('influxd not found (Debian/Ubuntu: apt-get install influxdb, or bash scripts/setup.sh; or set MFDATA_INFLUXD)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-influx-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  fs.writeFileSync(path.join(dir, 'influxdb.conf'), configFile(dir, httpPort, rpcPort));
  const child = spawn(bin, ['-config', path.join(dir, 'influxdb.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => { output = (output + d.toString()).slice(-4000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const base = `http://127.0.0.1:${httpPort}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ping = await request('GET', `${base}/ping`).catch(() => undefined);
    if (ping?.status === 204) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`influxd did not start (exit ${child.exitCode}): ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const created = await request('POST', `${base}/query`, `q=${encodeURIComponent(`CREATE DATABASE "${database}"`)}`);
  if (created.status !== 200) {
    await stop();
    throw new Error(`CREATE DATABASE ${database} answered ${created.status}: ${created.text}`);
  }
  return {
    base, database, dir, process: child, stop,
    writeUrl: `${base}/write?db=${encodeURIComponent(database)}`,
    async query(q) {
      const res = await request('GET', `${base}/query?db=${encodeURIComponent(database)}&q=${encodeURIComponent(q)}`);
      if (res.status !== 200) throw new Error(`query '${q}' answered ${res.status}: ${res.text}`);
      const parsed = JSON.parse(res.text) as { results: Array<{ series?: InfluxSeries[]; error?: string }> };
      if (parsed.results[0]?.error) throw new Error(`query '${q}': ${parsed.results[0].error}`);
      return parsed.results[0]?.series ?? [];
    },
  };
}
