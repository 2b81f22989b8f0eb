// Entry point of the `log_shipper` watcher (dist/runtime/log-shipper.js): ships <home>/log to Elasticsearch.
//   node log-shipper.js --home <home> --url <elasticsearch url> [--flush-ms N] [--max-docs N] [--max-backlog N]
import * as path from 'node:path';
import { announceReady } from '../util/ready';
import { parseArgs, UsageError } from '../cli/args';
import { runtimeHome } from '../home';
import { createLogger } from './mflog';
import { LogShipper } from './shipper';

/** The watcher's own log file is not shipped, so a failing Elasticsearch cannot feed the shipper its own complaints. */
export const SHIPPER_LOG_FILE = 'log_shipper.log';

export async function shipperMain(argv: string[]): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'home', value: true, description: 'runtime home' },
    { name: 'url', value: true, description: 'Elasticsearch base URL' },
    { name: 'flush-ms', value: true, description: 'send a partial batch after this many ms' },
    { name: 'max-docs', value: true, description: 'documents per _bulk request' },
    { name: 'max-backlog', value: true, description: 'lines held in memory at most' },
  ]);
  const homeDir = (args.options.home as string | undefined) ?? process.env.MFDATA_HOME;
  const url = (args.options.url as string | undefined) ?? process.env.MFDATA_LOG_ELASTICSEARCH_URL;
  if (!homeDir || !url) throw new UsageError('log shipper: --home (or MFDATA_HOME) and --url (or MFDATA_LOG_ELASTICSEARCH_URL) are required');
  const num = (k: string) => (typeof args.options[k] === 'string' ? Number(args.options[k]) : undefined);
  const home = runtimeHome(homeDir);
  const log = createLogger('log_shipper', { plugin: '#core#' });
  const shipper = new LogShipper({
    logDir: home.logDir,
    url,
    offsetsFile: path.join(home.varDir, 'log_shipper', 'offsets.json'),
    log,
    exclude: (name) => name === SHIPPER_LOG_FILE,
    ...(num('flush-ms') !== undefined ? { flushMs: num('flush-ms') } : {}),
    ...(num('max-docs') !== undefined ? { maxDocs: num('max-docs') } : {}),
    ...(num('max-backlog') !== undefined ? { maxBacklog: num('max-backlog') } : {}),
  });
  const stop = () => shipper.stop();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const running = shipper.run();
  announceReady();
  await running;
  return 0;
}

if (require.main === module) {
  shipperMain(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`log shipper: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
