// conf_monitor (dist/runtime/conf-monitor.js --home H --workspace W): run by the supervisor as a watcher;
// hot reload of configuration and step code. Logs mflog JSON lines on stdout (the supervisor files them).
import { createLogger } from '../log/mflog';
import { ConfMonitor, type MonitorLog } from './monitor';
import { announceReady } from '../util/ready';

function parse(argv: string[]): { home: string; workspace: string } {
  let home: string | undefined;
  let workspace: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--home') home = argv[++i];
    else if (argv[i] === '--workspace') workspace = argv[++i];
    else throw new Error(`unknown argument '${argv[i]}' (usage: conf-monitor --home DIR --workspace DIR)`);
  }
  if (!home || !workspace) throw new Error('usage: conf-monitor --home DIR --workspace DIR');
  return { home, workspace };
}

async function run(): Promise<void> {
  const args = parse(process.argv.slice(2));
  // The shared mflog logger: exact record fields (plugin '#core#'), MFLOG_MINIMAL_LEVEL and mflog_override.conf.
  const logger = createLogger('conf_monitor');
  const log: MonitorLog = (level, event, fields) => logger[level](event, fields);
  const monitor = new ConfMonitor({ ...args, env: process.env, log });
  const stop = (): void => {
    void monitor.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await monitor.start();
  announceReady();
}

if (require.main === module) {
  run().catch((err: unknown) => {
    process.stderr.write(`conf_monitor: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
