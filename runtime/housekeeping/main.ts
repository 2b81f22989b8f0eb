// housekeeping (dist/runtime/housekeeping.js --home H --interval S --trash-max-lifetime M --other-max-lifetime M): run by
// the supervisor as a watcher; deletes old trash, expired archives and leftover .t files. mflog JSON lines on stdout.
import { runtimeHome } from '../home';
import { createLogger } from '../log/mflog';
import { connectRedis, describeAddress, redisAddressFromEnv } from '../queue/connection';
import { Housekeeper } from './housekeeper';
import { journeySettingsFromEnv } from '../journey/settings';
import { announceReady } from '../util/ready';

interface Args {
  home: string;
  intervalSeconds: number;
  trashMaxMinutes: number;
  otherMaxMinutes: number;
}

const USAGE = 'usage: housekeeping --home DIR [--interval SECONDS] [--trash-max-lifetime MINUTES] [--other-max-lifetime MINUTES]';

export function parseHousekeepingArgs(argv: readonly string[]): Args {
  const args: Args = { home: '', intervalSeconds: 300, trashMaxMinutes: 1440, otherMaxMinutes: 360 };
  const positive = (flag: string, text: string | undefined): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} wants a whole number ≥ 1, got '${text ?? ''}' (${USAGE})`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--home') args.home = argv[++i] ?? '';
    else if (flag === '--interval') args.intervalSeconds = positive(flag, argv[++i]);
    else if (flag === '--trash-max-lifetime') args.trashMaxMinutes = positive(flag, argv[++i]);
    else if (flag === '--other-max-lifetime') args.otherMaxMinutes = positive(flag, argv[++i]);
    else throw new Error(`unknown argument '${flag}' (${USAGE})`);
  }
  if (!args.home) throw new Error(USAGE);
  return args;
}

async function run(): Promise<void> {
  const args = parseHousekeepingArgs(process.argv.slice(2));
  const logger = createLogger('housekeeping');
  const address = redisAddressFromEnv(process.env, { socket: runtimeHome(args.home).redisSocket });
  const redis = connectRedis(address, {
    name: `mfdata:housekeeping:${process.pid}`,
    onOutage: (err) => logger.warning('Redis unreachable; tags of deleted files are dropped when it is back', { redis: describeAddress(address), error: err.message }),
  });
  const keeper = new Housekeeper({
    home: args.home,
    intervalMs: args.intervalSeconds * 1000,
    limits: { trashMaxMs: args.trashMaxMinutes * 60_000, otherMaxMs: args.otherMaxMinutes * 60_000 },
    redis,
    log: (level, event, fields) => logger[level](event, fields),
    journeysMaxMemoryPercent: journeySettingsFromEnv(process.env).maxMemoryPercent,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const done = keeper.stop();
    // A pass waiting on an unreachable Redis must not hold the stop: closing fails its pending command
    // (the tag hashes left behind expire on their own TTL).
    redis.disconnect();
    void done.finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  logger.info('housekeeping started', { interval_seconds: args.intervalSeconds, trash_max_lifetime: args.trashMaxMinutes, other_max_lifetime: args.otherMaxMinutes });
  keeper.start();
  announceReady();
}

if (require.main === module) {
  run().catch((err: unknown) => {
    process.stderr.write(`housekeeping: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
