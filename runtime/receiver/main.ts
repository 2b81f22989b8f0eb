// Entry point of the `http_receiver` watcher (dist/runtime/receiver.js): HTTP uploads into the inbox, as MFDATA's nginx did.
//   node receiver.js --home H [--directory incoming] [--port 9091] [--bind 127.0.0.1] [--unix-socket PATH]
//                    [--max-body-mb 100] [--only RE;…] [--ignore RE;…] [--token-file PATH]
import * as fs from 'node:fs';
import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { parseArgs, UsageError } from '../cli/args';
import { DEFAULT_IGNORE } from '../config/schema';
import { runtimeHome } from '../home';
import { createLogger, type Logger } from '../log/mflog';
import { compileNameFilter } from '../observer/name-filter';
import { announceReady } from '../util/ready';
import { EXIT_CONFIG_ERROR } from '../worker/exit-codes';
import { createReceiverServer } from './server';
import { followTokenFile, readTokenFile } from './token';

/** The token follows its file: a new one is in force from the next request; an unusable file keeps the old one. */
function followToken(file: string, token: Buffer, options: { token?: Buffer }, log: Logger): () => void {
  return followTokenFile(
    file,
    token,
    (next) => {
      options.token = next;
      log.info('bearer token changed: the new one is in force', { token_file: file });
    },
    (problem) => log.warning('token file unusable: the previous token stays in force until it is fixed', { token_file: file, problem }),
  );
}

function listen(server: http.Server, where: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function receiverMain(argv: string[]): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'home', value: true, description: 'runtime home' },
    { name: 'directory', value: true, description: 'where PUT /<name> and POST / store: relative to IN, or absolute' },
    { name: 'port', value: true, description: 'TCP port (0 = none)' },
    { name: 'bind', value: true, description: 'TCP address' },
    { name: 'unix-socket', value: true, description: 'unix socket (mode 0600)' },
    { name: 'max-body-mb', value: true, description: 'bodies larger than this get 413' },
    { name: 'only', value: true, description: 'the observer\'s only filter' },
    { name: 'ignore', value: true, description: 'the observer\'s ignore filter' },
    { name: 'token-file', value: true, description: 'file holding the bearer token every request must send (mode 0600)' },
  ]);
  const opt = (k: string): string | undefined => (typeof args.options[k] === 'string' ? (args.options[k] as string) : undefined);
  const homeDir = opt('home') ?? process.env.MFDATA_HOME;
  if (!homeDir) throw new UsageError('http receiver: --home (or MFDATA_HOME) is required');
  const home = runtimeHome(homeDir);
  const port = Number(opt('port') ?? '9091');
  const maxBodyMb = Number(opt('max-body-mb') ?? '100');
  const socketPath = opt('unix-socket');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`http receiver: --port ${opt('port')} is not a port number`);
  if (!(maxBodyMb > 0)) throw new UsageError(`http receiver: --max-body-mb ${opt('max-body-mb')} must be a positive number`);
  if (port === 0 && !socketPath) throw new UsageError('http receiver: nothing to listen on: set [http_receiver] port or unix_socket in mfdata.ini');
  const tokenFile = opt('token-file');
  let token: Buffer | undefined;
  // Read at start, then followed: a new token takes effect without a restart (docs/RECEIVER.md).
  try {
    token = tokenFile ? readTokenFile(tokenFile) : undefined;
  } catch (err) {
    throw new UsageError(`http receiver: ${(err as Error).message}; run \`mfdata config check\``);
  }
  const defaultDir = path.resolve(home.inDir, opt('directory') ?? 'incoming');
  fs.mkdirSync(defaultDir, { recursive: true });

  const log = createLogger('http_receiver', { plugin: '#core#' });
  const acceptsName = compileNameFilter(opt('only') ?? '^.*$', opt('ignore') ?? DEFAULT_IGNORE);
  const options = { inDir: home.inDir, defaultDir, acceptsName, maxBodyBytes: Math.floor(maxBodyMb * 1024 * 1024), log, token };
  const servers: http.Server[] = [];
  if (port !== 0) {
    const server = createReceiverServer(options);
    await listen(server, { port, host: opt('bind') ?? '127.0.0.1' });
    const addr = server.address() as AddressInfo;
    log.info('listening', { address: addr.address, port: addr.port, directory: defaultDir });
    servers.push(server);
  }
  if (socketPath) {
    // A socket file left by a killed receiver would make listen() fail with EADDRINUSE.
    fs.rmSync(socketPath, { force: true });
    const server = createReceiverServer(options);
    await listen(server, { path: socketPath });
    fs.chmodSync(socketPath, 0o600);
    log.info('listening', { unix_socket: socketPath, directory: defaultDir });
    servers.push(server);
  }
  const unfollow = tokenFile && token ? followToken(tokenFile, token, options, log) : undefined;
  announceReady();
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      log.info('stopping');
      unfollow?.();
      // In-flight uploads finish (the supervisor's graceful timeout bounds them); idle keep-alive connections go now.
      let open = servers.length;
      for (const s of servers) {
        s.close(() => { if (--open === 0) resolve(); });
        s.closeIdleConnections();
      }
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  if (socketPath) fs.rmSync(socketPath, { force: true });
  return 0;
}

if (require.main === module) {
  receiverMain(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`mfdata http_receiver: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = err instanceof UsageError ? EXIT_CONFIG_ERROR : 1;
    },
  );
}
