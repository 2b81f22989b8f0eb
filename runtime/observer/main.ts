// Entry point of the directory observer process: `node dist/runtime/observer.js --config <directory_observer.ini> --home H`.
import * as path from 'node:path';
import { createLogger } from '../log/mflog';
import { runtimeHome } from '../home';
import { redisAddressFromEnv } from '../queue/connection';
import { EXIT_CONFIG_ERROR } from '../worker/exit-codes';
import { DirectoryObserver } from './directory-observer';
import { ObserverConfigError, readObserverConfig } from './observer-config';
import { announceReady } from '../util/ready';

function parseArgs(argv: string[]): { config?: string; home?: string } {
  const out: { config?: string; home?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(config|home)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new ObserverConfigError('<command line>', 0, `unknown argument '${argv[i]}' (usage: observer.js --config FILE [--home H])`);
    out[m[1] as 'config' | 'home'] = m[2] ?? argv[++i];
  }
  return out;
}

async function main(): Promise<number> {
  const log = createLogger('directory_observer');
  let config;
  let home;
  try {
    const args = parseArgs(process.argv.slice(2));
    home = runtimeHome(args.home ?? process.env.MFDATA_HOME ?? process.cwd());
    // MFDATA resolves a relative --config under config_auto.
    const file = args.config ? path.resolve(home.configAutoDir, args.config) : path.join(home.configAutoDir, 'directory_observer.ini');
    config = readObserverConfig(file);
  } catch (err) {
    if (err instanceof ObserverConfigError) {
      process.stderr.write(`mfdata directory_observer: ${err.message}\n`);
      return EXIT_CONFIG_ERROR;
    }
    throw err;
  }
  const redis = config.redis ?? redisAddressFromEnv(process.env, { socket: home.redisSocket });
  const watcher = process.env.MFDATA_OBSERVER_WATCHER === 'fs.watch' ? 'fs.watch' : undefined;
  const observer = new DirectoryObserver({ sections: config.sections, redis, log, watcher });
  let stopping: Promise<void> | undefined;
  const done = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      log.info('stop requested', { signal });
      stopping ??= observer.stop().then(resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await observer.start();
  log.info('directory observer started', { sections: config.sections.length, directories: config.sections.map((s) => s.directory).join(', ') });
  announceReady();
  await done;
  log.info('directory observer stopped', { pushed: observer.pushedCount });
  return 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`mfdata directory_observer: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
