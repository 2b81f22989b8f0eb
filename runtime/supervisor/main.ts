// The supervisor process (dist/runtime/supervisor.js --home H [--workspace W] [--foreground]):
// takes the home lock, opens the control socket, starts the watchers, and stops them all on SIGTERM/SIGINT.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSupervisorConfig } from './config-file';
import { ControlServer } from './control-server';
import { acquireLock, AlreadyRunningError, type HomeLock } from './lock';
import { ChildRegistry, reapOrphans } from './orphans';
import { checkSocketPath, SocketPathTooLongError } from './socket-path';
import { statusWord, writeStatusFile } from './status-file';
import { Supervisor } from './supervisor';
import { SupervisorLog } from './supervisor-log';
import { runtimeHome } from '../home';
import { resetStatsTotals } from '../stats/reset';

export const WATCHERS_FILE = 'watchers.json';
/** `<home>/var/` file listing the supervisor's live children, for the next supervisor if this one is killed. */
export const CHILDREN_FILE = 'supervisor.children';

/** Exit codes (the CLI reports them). */
export const EXIT_ALREADY_RUNNING = 3;
export const EXIT_STARTUP_FAILED = 1;

interface MainArgs {
  home: string;
  workspace?: string;
  foreground: boolean;
}

function parse(argv: string[]): MainArgs {
  let home: string | undefined;
  let workspace: string | undefined;
  let foreground = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--home') home = argv[++i];
    else if (argv[i] === '--workspace') workspace = argv[++i];
    else if (argv[i] === '--foreground') foreground = true;
    else throw new Error(`unknown argument '${argv[i]}' (usage: supervisor --home DIR [--workspace DIR] [--foreground])`);
  }
  if (!home) throw new Error('--home is required (usage: supervisor --home DIR [--workspace DIR] [--foreground])');
  return { home, workspace, foreground };
}

export async function runSupervisor(argv: string[]): Promise<number> {
  const args = parse(argv);
  const home = runtimeHome(args.home);
  fs.mkdirSync(home.varDir, { recursive: true });
  fs.mkdirSync(home.logDir, { recursive: true });
  // redis.conf's `dir`: redis-server refuses to start without it.
  fs.mkdirSync(home.redisDataDir, { recursive: true });
  try {
    checkSocketPath(home.supervisorSocket);
  } catch (err) {
    if (err instanceof SocketPathTooLongError) {
      process.stderr.write(`mfdata supervisor: ${err.message}\n`);
      return EXIT_STARTUP_FAILED;
    }
    throw err;
  }
  let lock: HomeLock;
  try {
    lock = acquireLock(home.supervisorLock);
  } catch (err) {
    if (err instanceof AlreadyRunningError) {
      process.stderr.write(`mfdata supervisor: ${err.message}\n`);
      return EXIT_ALREADY_RUNNING;
    }
    throw err;
  }

  const log = new SupervisorLog(home.logDir, args.foreground ? process.stderr : undefined);
  // A supervisor killed with SIGKILL left its children running: stop them before starting ours.
  const childrenFile = path.join(home.varDir, CHILDREN_FILE);
  const orphans = await reapOrphans(childrenFile);
  if (orphans.length > 0) {
    log.write('warning', 'stopped the processes of a previous supervisor that died without stopping them', {
      processes: orphans.map((o) => `${o.watcher}:${o.pid}`).join(', '),
    });
  }
  const children = new ChildRegistry(childrenFile);
  const env: NodeJS.ProcessEnv = { ...process.env, MFDATA_HOME: home.root, ...(args.workspace ? { MFDATA_WORKSPACE: path.resolve(args.workspace) } : {}) };
  const supervisor = new Supervisor({
    home: home.root,
    env,
    log: (level, event, fields) => log.write(level, event, fields),
    loadConfig: () => readSupervisorConfig(path.join(home.configAutoDir, WATCHERS_FILE)),
    onState: (state) => writeStatusFile(home.statusFile, statusWord(state)),
    // "Since start" step stats count from this start; a failure only leaves the previous run's totals.
    onRedisReady: (socket) => resetStatsTotals(socket).then(
      (steps) => log.write('info', 'step stats totals reset', { steps }),
      (err: unknown) => log.write('warning', 'cannot reset the step stats totals', { error: err instanceof Error ? err.message : String(err) }),
    ),
  });
  supervisor.subscribe((e) => {
    if (e.event === 'watcher_state') log.write(e.state === 'failed' ? 'error' : 'info', 'watcher state', { watcher: e.watcher, state: e.state, ...(e.error ? { error: e.error } : {}) });
    else if (e.event === 'process_spawn') {
      children.add(e.pid, e.watcher);
      log.write('info', 'process spawned', { watcher: e.watcher, child_pid: e.pid, wid: e.wid });
    } else if (e.event === 'process_exit') {
      children.remove(e.pid);
      log.write('info', 'process exited', { watcher: e.watcher, child_pid: e.pid, wid: e.wid, code: e.code, signal: e.signal });
    }
  });

  let server: ControlServer | undefined;
  let shuttingDown: Promise<number> | undefined;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => { resolveExit = r; });
  const shutdown = (why: string, code = 0): Promise<number> => {
    shuttingDown ??= (async () => {
      log.write('info', 'stopping the runtime', { reason: why });
      try {
        await supervisor.stopAll();
      } finally {
        await server?.close();
        children.clear();
        writeStatusFile(home.statusFile, 'STOPPED');
        log.write('info', 'supervisor exiting');
        log.close();
        lock.release();
      }
      resolveExit(code);
      return code;
    })();
    return shuttingDown;
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => { supervisor.reload().catch(() => undefined); });

  log.write('info', 'supervisor starting', { home: home.root });
  writeStatusFile(home.statusFile, 'STARTING');
  try {
    server = await ControlServer.listen({ socketPath: home.supervisorSocket, supervisor, onShutdown: () => void shutdown('shutdown request') });
    await supervisor.startAll();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.write('error', 'supervisor could not start', { error: message });
    process.stderr.write(`mfdata supervisor: ${message}\n`);
    return shutdown('startup failed', EXIT_STARTUP_FAILED);
  }
  log.write('info', 'supervisor up', { state: supervisor.state });
  return exited;
}

if (require.main === module) {
  runSupervisor(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`mfdata supervisor: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(EXIT_STARTUP_FAILED);
    },
  );
}
