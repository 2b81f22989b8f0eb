// Loads the module file `<workspace>/mfdata.ini` (optional) into a ModuleConfig with every default applied.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigProblem } from './errors';
import type { ModuleConfig } from './model';
import { SectionReader } from './read';
import { METRICS_INFLUX_PRECISIONS } from './schema';
import { checkDocument, type CheckContext, type ResolvedSection } from './validate';

export const MODULE_CONFIG_FILE = 'mfdata.ini';

function influxPrecision(text: string): ModuleConfig['metrics']['influxdbPrecision'] {
  return (METRICS_INFLUX_PRECISIONS as readonly string[]).includes(text) ? text as ModuleConfig['metrics']['influxdbPrecision'] : 'ns';
}

/** Builds the ModuleConfig from checked sections (none = all defaults). */
export function moduleConfigFrom(sections: readonly ResolvedSection[], file?: string): ModuleConfig {
  const r = (name: string): SectionReader => new SectionReader('module', name, sections.find((s) => s.name === name));
  const redis = r('redis');
  const observer = r('directory_observer');
  const log = r('log');
  const metrics = r('metrics');
  const internal = r('internal_plugins');
  const supervisor = r('supervisor');
  const receiver = r('http_receiver');
  return {
    file,
    redis: {
      path: redis.str('path'),
      host: redis.str('host'),
      port: redis.int('port'),
      // Relative to the project folder (the folder of mfdata.ini), not to each process's working directory.
      unixSocket: redis.str('unix_socket') && file ? path.resolve(path.dirname(file), redis.str('unix_socket')) : redis.str('unix_socket'),
      maxMemoryMb: redis.int('max_memory', 2048),
    },
    directoryObserver: {
      forcedPoll: observer.int('forced_poll'),
      pollQueueLimit: observer.int('poll_queue_limit'),
      timeout: observer.int('timeout', 10),
      ignore: observer.str('ignore'),
      only: observer.str('only'),
    },
    log: {
      minimalLevel: log.str('minimal_level'),
      maxSizeMb: log.int('max_size_mb', 100),
      maxAgeSeconds: log.int('max_age_seconds', 86400),
      keep: log.int('keep', 5),
      elasticsearchUrl: log.str('elasticsearch_url'),
    },
    metrics: {
      statsdHost: metrics.str('statsd_host'),
      statsdPort: metrics.int('statsd_port', 8125),
      influxdbUrl: metrics.str('influxdb_url'),
      host: metrics.str('host'),
      influxdbFlushInterval: metrics.int('influxdb_flush_interval', 10),
      influxdbBufferSize: metrics.int('influxdb_buffer_size', 10000),
      influxdbApi: metrics.str('influxdb_api') === 'v2' ? 'v2' : 'v1',
      influxdbOrg: metrics.str('influxdb_org'),
      influxdbBucket: metrics.str('influxdb_bucket'),
      influxdbToken: metrics.str('influxdb_token'),
      influxdbPrecision: influxPrecision(metrics.str('influxdb_precision')),
      collectInterval: metrics.int('collect_interval', 10),
    },
    internalPlugins: {
      // MFDATA forces switch on when guess_file_type is on (guess_file_type feeds switch/main).
      installSwitch: internal.bool('install_switch') || internal.bool('install_guess_file_type'),
      installGuessFileType: internal.bool('install_guess_file_type'),
      watchedDirectories: internal.list('watched_directories'),
    },
    httpReceiver: {
      flag: receiver.bool('flag'),
      port: receiver.int('port', 9091),
      bind: receiver.str('bind'),
      unixSocket: receiver.str('unix_socket'),
      maxBodyMb: receiver.int('max_body_mb', 100),
      directory: receiver.str('directory'),
      tokenFile: receiver.str('token_file') && file ? path.resolve(path.dirname(file), receiver.str('token_file')) : receiver.str('token_file'),
    },
    supervisor: {
      flappingMaxRetries: supervisor.int('flapping_max_retries', 5),
      flappingWindow: supervisor.int('flapping_window', 60),
    },
    autorestart: r('autorestart').bool('flag'),
    housekeeping: {
      flag: r('housekeeping').bool('flag'),
      interval: r('housekeeping').int('interval', 300),
      trashMaxLifetime: r('housekeeping').int('trash_max_lifetime', 1440),
      otherMaxLifetime: r('housekeeping').int('other_max_lifetime', 360),
    },
    journeys: {
      enabled: r('journeys').bool('enabled'),
      keepHours: r('journeys').int('keep_hours', 24),
      maxMemoryPercent: r('journeys').int('max_memory_percent', 50),
    },
  };
}

/** Reads `<workspace>/mfdata.ini`; an absent file means every default. */
export function loadModuleConfig(workspace: string, ctx: Omit<CheckContext, 'plugin' | 'knownSteps'>): { module: ModuleConfig; problems: ConfigProblem[] } {
  const file = path.join(path.resolve(workspace), MODULE_CONFIG_FILE);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { module: moduleConfigFrom([]), problems: [] };
    return {
      module: moduleConfigFrom([]),
      problems: [{ file, line: 1, column: 1, endColumn: 2, severity: 'error', code: 'unreadable', message: `cannot read ${MODULE_CONFIG_FILE}: ${(err as Error).message}`, hint: 'check its permissions' }],
    };
  }
  const checked = checkDocument('module', bytes, file, ctx);
  return { module: moduleConfigFrom(checked.sections, file), problems: checked.problems };
}
