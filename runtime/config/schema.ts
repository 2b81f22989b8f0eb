// The one configuration schema: every section and key of mfdata.ini, plugin config.ini and
// directory_observer.ini, as data. Validation, generated docs and the language service all read it.
import { DEFAULT_IGNORE } from '../observer/name-filter';

/** Which kind of file a document is. `override` = an operator file `<home>/config/plugins/<name>.ini`. */
export type FileKind = 'module' | 'plugin' | 'override' | 'observer';

export type ValueType =
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'enum'
  /** `;`-separated regular expressions. */
  | 'regex-list'
  | 'path'
  | 'abs-path'
  /** `plugin/step` or an absolute directory. */
  | 'target-or-dir'
  /** Comma list of `plugin/step` (or bare `step` of the same plugin); a trailing `*` allows hardlinks. */
  | 'target-list'
  /** Comma list of directories, absolute or relative to the inbox root IN. */
  | 'dir-list'
  /** A path relative to the plugin directory, or `builtin:<name>`. */
  | 'step-module'
  /** `[a-z0-9-_.]+` */
  | 'version'
  /** An argument vector, split on blanks (no shell). */
  | 'command'
  | 'url';

export interface KeySpec {
  key: string;
  type: ValueType;
  /** The default as it would be written in the file ('' = empty). */
  default: string;
  /** How docs show the default when it is computed (e.g. `<step>.ts`). */
  defaultDoc?: string;
  /** Allowed values for `enum` (case-sensitive). */
  values?: readonly string[];
  min?: number;
  /** Largest value an `int` takes (none when absent). */
  max?: number;
  mandatory?: boolean;
  /** An empty value is accepted and means "use the computed default". */
  allowEmpty?: boolean;
  /** A valid value to start from, for a mandatory key without a default (the editor's "add missing key" writes it). */
  example?: string;
  doc: string;
}

export interface SectionSpec {
  /** How the section is named in docs and completion: `general`, `step_<name>`, `switch_rules:<type>[:<tag>]`. */
  title: string;
  /** Matches the section names this spec describes. */
  pattern: RegExp;
  doc: string;
  keys: readonly KeySpec[];
  /** `custom` = any key accepted; `switch-rule` = keys are patterns, values are target lists. */
  freeKeys?: 'custom' | 'switch-rule';
  /** The file is invalid without this section. */
  mandatory?: boolean;
}

export interface FileSpec {
  kind: FileKind;
  title: string;
  doc: string;
  sections: readonly SectionSpec[];
}

const bool = (key: string, def: string, doc: string): KeySpec => ({ key, type: 'bool', default: def, doc });
const int = (key: string, def: string, doc: string, extra: Partial<KeySpec> = {}): KeySpec => ({ key, type: 'int', default: def, min: 0, doc, ...extra });
const float = (key: string, def: string, doc: string): KeySpec => ({ key, type: 'float', default: def, min: 0, doc });
const str = (key: string, def: string, doc: string, extra: Partial<KeySpec> = {}): KeySpec => ({ key, type: 'string', default: def, doc, ...extra });

export const BOOL_TRUE = ['1', 'true', 'yes', 'on'] as const;
export const BOOL_FALSE = ['0', 'false', 'no', 'off'] as const;
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
/** [metrics] influxdb_api and influxdb_precision values. */
export const METRICS_INFLUX_APIS = ['v1', 'v2'] as const;
export const METRICS_INFLUX_PRECISIONS = ['ns', 'us', 'ms', 's'] as const;
export const FAILURE_POLICIES = ['keep', 'delete', 'move'] as const;
export const SWITCH_RULE_TYPES = ['equal', 'notequal', 'fnmatch', 'notfnmatch', 'regex', 'notregex', 'alwaystrue', 'function'] as const;
/** Rule types that take no tag parameter. */
export const SWITCH_RULE_TYPES_WITHOUT_TAG = ['alwaystrue', 'function'] as const;
export const BUILTIN_STEPS = ['copy', 'move', 'archive', 'fork', 'delete', 'ungzip', 'unbzip2', 'switch', 'guess_file_type'] as const;
export type BuiltinStep = (typeof BUILTIN_STEPS)[number];

export const PLUGIN_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Longest plugin name: it is part of directory, log-file and archive names (`step_<plugin>_<step>.log.<stamp>`) under NAME_MAX. */
export const PLUGIN_NAME_MAX_LENGTH = 64;
export const STEP_NAME_PATTERN = /^[A-Za-z0-9_]+$/;
export const RESERVED_PLUGIN_NAMES = ['base', 'config'] as const;
export { DEFAULT_IGNORE };

const logSplit = (key: string, doc: string): KeySpec => ({ key, type: 'enum', default: 'AUTO', values: ['AUTO', '0', '1'], doc });
const rlimits: KeySpec[] = [
  int('rlimit_as', '0', 'maximum address space of each process in bytes (0 = unlimited)'),
  int('rlimit_nofile', '0', 'maximum number of open files of each process (0 = unlimited)'),
  int('rlimit_stack', '0', 'maximum stack size of each process in bytes (0 = unlimited)'),
  int('rlimit_fsize', '0', 'maximum size of a file a process may write, in bytes (0 = unlimited)'),
];
const logSplits: KeySpec[] = [
  logSplit('log_split_stdout_stderr', 'write `.stdout` and `.stderr` log files instead of one `.log` (AUTO = no)'),
  logSplit('log_split_multiple_workers', 'one log file per worker process (AUTO = no)'),
];

/** Keys of every `[step_<name>]` section. */
export const STEP_KEYS: readonly KeySpec[] = [
  { key: '_step_module', type: 'step-module', default: '', defaultDoc: '<step>.ts', allowEmpty: true,
    doc: 'the step module: a .ts/.js path relative to the plugin directory, or builtin:<name> (copy, move, archive, fork, delete, ungzip, unbzip2, switch, guess_file_type)' },
  int('numprocesses', '1', 'number of worker processes for this step (MFDATA defaults to 0 = no watcher; here 1)'),
  bool('debug', '0', 'debug logging (MFLOG_MINIMAL_LEVEL=DEBUG) for this step'),
  int('timeout', '600', 'seconds between SIGTERM and SIGKILL when the step stops; longer than the slowest file', { min: 1 }),
  int('process_timeout', '0', 'seconds one file may spend in process() before it goes to the failure policy (0 = no limit)'),
  int('max_age', '0', 'seconds after which a worker is recycled (0 = never)'),
  int('max_age_variance', '', 'random extra seconds added to max_age', { allowEmpty: true, defaultDoc: 'max_age, or 30 when max_age is 0' }),
  ...rlimits,
  ...logSplits,
  { key: 'watched_directories', type: 'dir-list', default: '{MFDATA_CURRENT_STEP_DIR}',
    doc: 'comma list of directories the observer watches for this step: absolute, or relative to the inbox root; {MFDATA_CURRENT_STEP_DIR} is the step inbox, which is watched in any case (deliveries to the step go there)' },
  { key: 'failure_policy', type: 'enum', default: 'keep', values: FAILURE_POLICIES,
    doc: 'what happens to a file whose processing failed: keep (trash + .tags), delete, or move' },
  { key: 'failure_policy_move_dest_dir', type: 'target-or-dir', default: '',
    doc: 'plugin/step or an absolute directory; required when failure_policy = move' },
  int('retry_total', '0', 'attempts after a failure before the failure policy applies (0 = no retry)'),
  float('retry_min_wait', '10', 'seconds before the first retry'),
  float('retry_max_wait', '120', 'maximum seconds between two retries (at least retry_min_wait)'),
  float('retry_backoff', '0', 'wait = min(retry_min_wait + retry_backoff * 2^(attempt-1), retry_max_wait)'),
  int('step_limit', '1000', 'a file that has gone through more steps than this is abandoned to the failure policy (routing-loop guard)', { min: 1 }),
  int('batch_max_size', '100', 'batch steps: process at most this many files at once', { min: 1 }),
  float('batch_max_wait', '10', 'batch steps: seconds before an incomplete batch is processed'),
];

const dest = (doc: string, extra: Partial<KeySpec> = {}): KeySpec => ({ key: 'dest_dir', type: 'target-or-dir', default: '', doc, ...extra });
/** builtin:move / builtin:archive `if_exists`: what happens when the destination name is taken. */
export const IF_EXISTS_VALUES = ['rename', 'replace', 'fail'] as const;
const ifExists: KeySpec = {
  key: 'if_exists', type: 'enum', default: 'rename', values: IF_EXISTS_VALUES,
  doc: 'when the destination name is taken: rename (keep both, the new file as name.1, name.2…), replace (MFDATA: the older file is lost), fail (failure policy)',
};
const chmod = str('force_chmod', '', 'octal mode (e.g. 0644) given to the written file; empty = unchanged');

/** Options a `[step_<name>]` section may hold when its `_step_module` is `builtin:<name>`. */
export const BUILTIN_STEP_OPTIONS: Readonly<Record<BuiltinStep, readonly KeySpec[]>> = {
  copy: [{ key: 'dest_dirs', type: 'target-list', default: '', mandatory: true, example: 'my_plugin/main', doc: 'comma list of plugin/step targets; a trailing * allows a hardlink' }],
  move: [
    dest('plugin/step or absolute directory the file is moved to', { mandatory: true, example: '/data/out' }),
    str('dest_basename', '{ORIGINAL_BASENAME}', 'name in the destination: {ORIGINAL_BASENAME}, {ORIGINAL_DIRNAME}, {ORIGINAL_UID}, {RANDOM_ID}, {STEP_COUNTER} and strftime %-codes'),
    chmod,
    { key: 'drop_tags', type: 'enum', default: 'AUTO', values: ['AUTO', '0', '1'], doc: 'drop the tags of the moved file (AUTO = only for an absolute destination)' },
    { ...ifExists, doc: `absolute dest_dir only (a step inbox is never overwritten): ${ifExists.doc}` },
  ],
  archive: [
    dest('absolute archive directory', { type: 'abs-path', mandatory: true, example: '/data/archive' }),
    str('dest_basename', '%Y%m%d/{ORIGINAL_UID}', 'path under dest_dir (sub-directories are created); same placeholders as move'),
    bool('keep_tags', '1', 'write the tags next to the archived file'),
    str('keep_tags_suffix', '.tags', 'suffix of the tags file'),
    chmod,
    int('lifetime', '0', 'days an archived file is kept (0 = forever)'),
    { ...ifExists, doc: `${ifExists.doc}; the tags file follows the final name` },
  ],
  fork: [
    { key: 'command_template', type: 'command', default: '', mandatory: true, example: 'my-command {PATH}', doc: 'command run for each file (argument vector, no shell); must contain {PATH}' },
    bool('command_returning_path', '0', 'stdout lines FILEPATH:/abs/path name files to forward to dest_dir'),
    dest('plugin/step receiving the files the command returns'),
  ],
  delete: [],
  ungzip: [dest('plugin/step receiving the uncompressed file', { default: 'guess_file_type/main' })],
  unbzip2: [dest('plugin/step receiving the uncompressed file (bzip2 -d, the system command)', { default: 'guess_file_type/main' })],
  switch: [
    str('switch_name', '', 'the rules instance this switch evaluates ([switch_rules@<name>:…])', { defaultDoc: 'the plugin name' }),
    { key: 'switch_no_match_policy', type: 'enum', default: 'delete', values: ['delete', 'keep'], doc: 'what happens to a file no rule matches' },
    bool('switch_no_match_keep_original_basename', '0', 'keep the original basename in trash/<switch>.nomatch'),
    bool('switch_debug', '0', 'log every rule evaluation'),
  ],
  guess_file_type: [
    dest('plugin/step receiving the tagged file', { default: 'switch/main' }),
    int('ascii_header_max_length', '60', 'bytes of the file kept in the ascii_header tag'),
    { key: 'magic_custom_file', type: 'path', default: '', doc: 'custom magic file (custom_magic tag)' },
    bool('magic_use_custom_only', '0', 'skip the system magic database'),
    bool('add_size_tag', '0', 'also set the size tag'),
  ],
};

/** A setting of MFDATA this product replaced or does without: named so the error can say what to write instead. */
export interface RetiredSetting {
  /** `plugin` settings are also refused in operator overrides. */
  kind: 'module' | 'plugin';
  /** The section; undefined = in any section. */
  section?: string;
  /** The key; `arg_*` = every key with that prefix; undefined = the whole section is retired. */
  key?: string;
  /** What replaces it, or why nothing has to. Never a key of another meaning. */
  instead: string;
}

export const RETIRED_SETTINGS: readonly RetiredSetting[] = [
  { kind: 'plugin', key: '_cmd_and_args', instead: 'steps are modules here: set _step_module (a .ts/.js file or builtin:<name>) instead of a command' },
  { kind: 'plugin', key: 'arg_*', instead: 'MFDATA 0.x arguments are gone: use [custom] keys or built-in step options' },
  { kind: 'plugin', key: 'switch_logical_condition', instead: 'MFDATA 0.x routing is gone: write [switch_rules:<type>:<tag>] sections' },
  { kind: 'module', section: 'log', key: 'json_file', instead: 'every log file under <home>/log already holds mflog JSON lines; nothing to set (mfdata logs --json prints them)' },
  { kind: 'module', section: 'log', key: 'json_minimal_level', instead: 'the log files are the JSON lines: [log] minimal_level sets their lowest level' },
  { kind: 'module', section: 'log', key: 'mfadmin_flag', instead: 'there is no mfadmin: set [log] elasticsearch_url to ship the logs to Elasticsearch' },
  { kind: 'module', section: 'log', key: 'mfadmin_minimal_level', instead: 'there is no mfadmin: the log shipper ([log] elasticsearch_url) sends what the log files hold, from [log] minimal_level up' },
  { kind: 'module', section: 'log', key: 'try_to_split_stdout_stderr', instead: 'set log_split_stdout_stderr = 1 in the [step_<name>] or [extra_daemon_<name>] sections of a plugin config.ini (AUTO = one .log file)' },
  { kind: 'module', section: 'log', key: 'try_to_split_multiple_workers', instead: 'set log_split_multiple_workers = 1 in the [step_<name>] or [extra_daemon_<name>] sections of a plugin config.ini (AUTO = one file for all workers)' },
  { kind: 'module', section: 'directory_observer', key: 'monitor_inactivitytimeout', instead: 'not needed: this observer does not exit when idle (MFDATA restarted it to work around lost inotify events); forced_poll rescans the directories' },
  { kind: 'module', section: 'housekeeping', key: 'tmp_max_lifetime', instead: 'no equivalent: files under IN/tmp are claims of workers, which recover them when they start; housekeeping never deletes them' },
  { kind: 'module', section: 'nginx', instead: 'uploads are received by the http_receiver watcher: write [http_receiver] with flag = 1 (port 9091 by default; unix_socket, max_body_mb and token_file there)' },
  { kind: 'module', section: 'telegraf', instead: 'no Telegraf is run: step metrics go as statsd to [metrics] statsd_host and statsd_port (to a Telegraf of yours) or as line protocol to [metrics] influxdb_url' },
  { kind: 'module', section: 'admin', instead: 'there is no mfadmin host: metrics go to [metrics] statsd_host or influxdb_url, logs to [log] elasticsearch_url' },
];

/** The retired MFDATA setting a section (key undefined) or a key of a section is, if any. */
export function retiredSetting(kind: FileKind, section: string, key?: string): RetiredSetting | undefined {
  const family = kind === 'override' ? 'plugin' : kind;
  return RETIRED_SETTINGS.find((r) => r.kind === family
    && (r.section === undefined || r.section === section)
    && (key === undefined ? r.key === undefined : r.key !== undefined && (r.key.endsWith('*') ? key.startsWith(r.key.slice(0, -1)) : r.key === key)));
}

const extraDaemonKeys: KeySpec[] = [
  { key: '_cmd_and_args', type: 'command', default: '', mandatory: true, example: '{{MFDATA_CURRENT_PLUGIN_DIR}}/daemon.sh', doc: 'the daemon command and its arguments (split on blanks, no shell); {{VARS}} are expanded' },
  int('numprocesses', '1', 'number of processes'),
  int('graceful_timeout', '10', 'seconds between SIGTERM and SIGKILL'),
  int('max_age', '0', 'seconds after which a process is recycled (0 = never)'),
  ...rlimits,
  ...logSplits,
  bool('debug', '0', 'debug logging (MFLOG_MINIMAL_LEVEL=DEBUG)'),
];

const pluginSections: SectionSpec[] = [
  {
    title: 'general', pattern: /^general$/, mandatory: true, doc: 'plugin metadata',
    keys: [
      { key: '_version', type: 'version', default: '', mandatory: true, example: '1.0.0', doc: 'plugin version, [a-z0-9-_.]+ ({{MFMODULE_VERSION}} allowed)' },
      str('_release', '1', 'plugin release'),
      str('_summary', '', 'one-line description', { mandatory: true, example: 'what this plugin does' }),
      str('_license', '', 'license name', { mandatory: true, example: 'Proprietary' }),
      str('_url', '', 'project URL', { mandatory: true, example: 'https://example.org' }),
      str('_maintainer', '', 'maintainer (name and e-mail)', { mandatory: true, example: 'Your Name <you@example.org>' }),
      str('_vendor', '', 'vendor', { mandatory: true, example: 'your organisation' }),
      bool('_add_plugin_dir_to_python_path', '1', 'accepted for MFDATA compatibility; no effect (steps are TypeScript/JavaScript)'),
    ],
  },
  { title: 'step_<name>', pattern: /^step_(.*)$/, doc: 'one step: a queue step.<plugin>.<name> and its workers', keys: STEP_KEYS },
  { title: 'extra_daemon_<name>', pattern: /^extra_daemon_(.*)$/, doc: 'a long-running process of the plugin, supervised as extra.<plugin>.<name>', keys: extraDaemonKeys },
  { title: 'custom', pattern: /^custom$/, doc: 'free keys, given to step code (ctx.custom) and as MFDATA_CURRENT_PLUGIN_CUSTOM_<KEY>', keys: [], freeKeys: 'custom' },
  {
    title: 'switch_rules[@<switch>]:<type>[:<tag>]', pattern: /^switch_rules(?:@([^:]*))?(?::(.*))?$/, freeKeys: 'switch-rule', keys: [],
    doc: 'routing rules for a switch step: `<pattern> = <plugin/step>[*], …` (write = as @@@@@@ and # as ~~~~~~ in a pattern)',
  },
];

const observerKeys: KeySpec[] = [
  bool('active', '0', 'watch this section\'s directory'),
  { key: 'directory', type: 'abs-path', default: '', mandatory: true, example: '/data/in', doc: 'absolute directory to watch (sub-directories are not watched)' },
  str('queue', '', 'Redis list the events are pushed to (step.<plugin>.<step>)', { mandatory: true, example: 'step.my_plugin.main' }),
  str('redis_server', '', 'Redis host; identical in every section (not needed with redis_unix_socket)'),
  { key: 'redis_port', type: 'int', default: '6379', min: 0, doc: 'Redis port; identical in every section' },
  str('redis_unix_socket', '', 'Redis unix socket; when set (and not `null`) it wins over host and port; identical in every section'),
  int('timeout', '10', 'seconds a Redis call may take', { min: 1 }),
  int('forced_poll', '0', 'seconds between forced rescans of the directory (0 = only at start-up)'),
  int('poll_queue_limit', '10000', 'a rescan stops enqueuing once the queue holds this many events (0 = unlimited); after lost events (start-up, overflow, Redis back) rescans go on as the queue drains until every file is announced'),
  int('monitor_inactivitytimeout', '300', 'accepted for MFDATA compatibility (our observer does not need to exit when idle); identical in every section'),
  { key: 'ignore', type: 'regex-list', default: DEFAULT_IGNORE, doc: '`;`-separated regular expressions matched at the start of the file name; matching files are ignored (^.*\\.working$ is always added)' },
  { key: 'only', type: 'regex-list', default: '^.*$', doc: '`;`-separated regular expressions; a file name must match one of them' },
];

const moduleSections: SectionSpec[] = [
  {
    title: 'redis', pattern: /^redis$/, doc: 'the Redis server holding queues, tags and counters',
    keys: [
      { key: 'path', type: 'path', default: '', doc: 'redis-server executable (empty = found on PATH)' },
      str('host', '', 'external Redis host: when set the runtime does not start its own redis-server'),
      int('port', '0', 'TCP port (0 = unix socket only for our own Redis; 6379 for an external host)'),
      { key: 'unix_socket', type: 'path', default: '', doc: 'unix socket; a relative path is resolved against the folder of mfdata.ini (empty = <home>/var/redis.sock for our own Redis)' },
      int('max_memory', '2048', 'maxmemory of our own Redis in MB (policy noeviction: writes fail rather than queues being evicted)', { min: 1 }),
    ],
  },
  {
    title: 'directory_observer', pattern: /^directory_observer$/, doc: 'the [common] section of the generated directory_observer.ini',
    keys: [
      int('forced_poll', '300', 'seconds between forced rescans of every watched directory (0 = only at start-up)'),
      int('poll_queue_limit', '10000', 'a rescan stops enqueuing once the queue holds this many events (0 = unlimited); after lost events (start-up, overflow, Redis back) rescans go on as the queue drains until every file is announced'),
      int('timeout', '10', 'seconds a Redis call may take', { min: 1 }),
      { key: 'ignore', type: 'regex-list', default: DEFAULT_IGNORE, doc: '`;`-separated regular expressions of file names to ignore' },
      { key: 'only', type: 'regex-list', default: '^.*$', doc: '`;`-separated regular expressions; a file name must match one of them' },
    ],
  },
  {
    title: 'log', pattern: /^log$/, doc: 'mflog logging of every runtime process',
    keys: [
      { key: 'minimal_level', type: 'enum', default: 'INFO', values: LOG_LEVELS, doc: 'lowest level written' },
      int('max_size_mb', '100', 'a log file is rotated past this size in MB', { min: 1 }),
      int('max_age_seconds', '86400', 'a log file is rotated after this many seconds, as MFDATA does daily (0 = never)'),
      int('keep', '5', 'rotated files kept per log'),
      { key: 'elasticsearch_url', type: 'url', default: '', doc: 'ship the JSON logs to this Elasticsearch (empty = no shipping)' },
    ],
  },
  {
    title: 'metrics', pattern: /^metrics$/, doc: 'processing metrics (statsd to Telegraf, or InfluxDB line protocol)',
    keys: [
      str('statsd_host', '', 'statsd/Telegraf host (empty = no statsd)'),
      int('statsd_port', '8125', 'statsd UDP port', { min: 1 }),
      { key: 'influxdb_url', type: 'url', default: '', doc: 'InfluxDB URL (empty = none): with influxdb_api = v1 the whole write URL, e.g. `http://influxdb:8086/write?db=metrics`; with v2 the server, e.g. `http://influxdb:8086` (`/api/v2/write` is appended)' },
      { key: 'influxdb_api', type: 'enum', default: 'v1', values: METRICS_INFLUX_APIS, doc: 'InfluxDB write API: `v1` (`/write`, InfluxDB 1.x, or 2.x with a DBRP mapping) or `v2` (`/api/v2/write` with org, bucket and token)' },
      str('influxdb_org', '', 'v2: the organization (name or ID); mandatory with influxdb_api = v2'),
      str('influxdb_bucket', '', 'v2: the bucket; mandatory with influxdb_api = v2'),
      str('influxdb_token', '', 'v2: the API token, sent as `Authorization: Token …` (it ends up in the generated watchers.json: keep the runtime home private)'),
      { key: 'influxdb_precision', type: 'enum', default: 'ns', values: METRICS_INFLUX_PRECISIONS, doc: 'timestamp precision of the points written (both APIs)' },
      str('host', '', 'value of the `host` tag (empty = this machine\'s host name)'),
      int('influxdb_flush_interval', '10', 'seconds between two InfluxDB writes (points are aggregated in between)', { min: 1 }),
      int('influxdb_buffer_size', '10000', 'lines kept while InfluxDB is unreachable; beyond, the oldest are dropped', { min: 1 }),
      int('collect_interval', '10', 'seconds between two rounds of the metrics_collector watcher (inbox file counts, per-plugin CPU and memory, queue lengths, runtime status), run when a sink is set; 0 = no collector'),
    ],
  },
  {
    title: 'internal_plugins', pattern: /^internal_plugins$/, doc: 'the built-in switch and guess_file_type plugins',
    keys: [
      bool('install_switch', '0', 'run the built-in switch plugin'),
      bool('install_guess_file_type', '0', 'run the built-in guess_file_type plugin (implies install_switch)'),
      { key: 'watched_directories', type: 'dir-list', default: 'incoming', doc: 'directories the first internal plugin watches (relative to the inbox root)' },
    ],
  },
  {
    title: 'http_receiver', pattern: /^http_receiver$/, doc: 'the http_receiver watcher: HTTP uploads (PUT /<name>, POST /) stored into the inbox, as MFDATA\'s nginx did',
    keys: [
      bool('flag', '0', 'run the http_receiver watcher'),
      int('port', '9091', 'TCP port (0 = no TCP, unix_socket only)'),
      str('bind', '127.0.0.1', 'TCP address to listen on (0.0.0.0 = every interface: set token_file then, config check warns otherwise)'),
      { key: 'unix_socket', type: 'path', default: '', doc: 'also (or, with port = 0, only) listen on this unix socket, mode 0600 (empty = none)' },
      int('max_body_mb', '100', 'uploads larger than this many MB are refused with 413', { min: 1 }),
      { key: 'directory', type: 'path', default: 'incoming', doc: 'where PUT /<name> and POST / store: relative to the inbox root, or absolute; a step must watch it' },
      { key: 'token_file', type: 'path', default: '', doc: 'file holding a bearer token every request must send as `Authorization: Bearer <token>` (else 401); relative to the folder of mfdata.ini, mode 0600 or 0400 (empty = no authentication)' },
    ],
  },
  {
    title: 'supervisor', pattern: /^supervisor$/, doc: 'restart policy of supervised processes',
    keys: [
      int('flapping_max_retries', '5', 'exits within flapping_window seconds that mark a watcher failed', { min: 1 }),
      int('flapping_window', '60', 'seconds of the flapping window', { min: 1 }),
    ],
  },
  {
    title: 'autorestart', pattern: /^autorestart$/, doc: 'hot reload while developing',
    keys: [bool('flag', '1', 'run conf_monitor: regenerate the configuration and restart what changed when a config.ini or step code changes')],
  },
  {
    title: 'housekeeping', pattern: /^housekeeping$/,
    doc: 'the housekeeping watcher (MFDATA\'s garbage collector, minus its data loss): deletes old trash, archives past their step\'s lifetime and leftover .t files; never a claim in IN/tmp nor a queued file',
    keys: [
      bool('flag', '1', 'run the housekeeping watcher'),
      int('interval', '300', 'seconds between two passes (one directory walk each)', { min: 1 }),
      int('trash_max_lifetime', '1440', 'minutes a file (and its .tags) stays in IN/trash, including trash/<switch>.nomatch', { min: 1 }),
      int('other_max_lifetime', '360', 'minutes after which a leftover *.t file under IN is deleted and a queued file is reported (never deleted) as stuck', { min: 1 }),
    ],
  },
  {
    title: 'journeys', pattern: /^journeys$/,
    doc: 'per-file journey records (the steps a file passed, with times, outcomes and tags set) and the recent files of each flow-graph edge, for `mfdata journey` and the flow view',
    keys: [
      bool('enabled', '1', 'record journeys (written in the round trips workers already make; 0 = no journey nor recent-file records, traces still counted)'),
      int('keep_hours', '24', 'hours a journey and an edge\'s recent files are kept after their latest event', { min: 1 }),
      int('max_memory_percent', '50', 'share of Redis\'s maxmemory (%) journeys may fill: above it workers stop recording journeys until usage falls 10 points below (files are processed as before; Redis refusing writes would stop them) and housekeeping drops the oldest hours of journeys', { min: 1, max: 100 }),
    ],
  },
];

export const schema: Readonly<Record<FileKind, FileSpec>> = {
  module: { kind: 'module', title: 'mfdata.ini', doc: 'the module configuration, in the workspace; every key optional', sections: moduleSections },
  plugin: { kind: 'plugin', title: 'config.ini', doc: 'a plugin configuration, plugins/<name>/config.ini', sections: pluginSections },
  override: {
    kind: 'override', title: '<home>/config/plugins/<name>.ini', doc: 'operator overrides of a plugin: only keys not starting with _',
    sections: pluginSections.filter((s) => s.freeKeys !== 'switch-rule'),
  },
  observer: {
    kind: 'observer', title: 'directory_observer.ini', doc: 'the observer configuration (generated into <home>/tmp/config_auto/)',
    sections: [
      { title: 'common', pattern: /^common$/, doc: 'defaults inherited by every other section', keys: observerKeys },
      { title: '<name>', pattern: /^(?!common$).*$/, doc: 'one watched directory', keys: observerKeys },
    ],
  },
};

/** The spec of a section, or undefined when the file kind has no such section. */
export function findSectionSpec(kind: FileKind, section: string): SectionSpec | undefined {
  return schema[kind].sections.find((s) => s.pattern.test(section));
}

/** `builtin:copy` → `copy`; undefined for a module path or an unknown built-in. */
export function builtinName(stepModule: string | undefined): BuiltinStep | undefined {
  if (!stepModule?.startsWith('builtin:')) return undefined;
  const name = stepModule.slice('builtin:'.length);
  return (BUILTIN_STEPS as readonly string[]).includes(name) ? (name as BuiltinStep) : undefined;
}

/**
 * The spec of a key. For a step section, `stepModule` (its `_step_module` value) adds the options of that
 * built-in; without it any built-in option is found (for hover before the module is known).
 */
export function findKeySpec(kind: FileKind, section: string, key: string, stepModule?: string): KeySpec | undefined {
  const spec = findSectionSpec(kind, section);
  if (!spec) return undefined;
  const own = spec.keys.find((k) => k.key === key);
  if (own || spec.keys !== STEP_KEYS) return own;
  if (stepModule !== undefined) return BUILTIN_STEP_OPTIONS[builtinName(stepModule) ?? 'delete'].find((k) => k.key === key);
  for (const name of BUILTIN_STEPS) {
    const found = BUILTIN_STEP_OPTIONS[name].find((k) => k.key === key);
    if (found) return found;
  }
  return undefined;
}

/** Every key a section may hold (for completion and did-you-mean). */
export function keysOfSection(kind: FileKind, section: string, stepModule?: string): readonly KeySpec[] {
  const spec = findSectionSpec(kind, section);
  if (!spec) return [];
  const builtin = builtinName(stepModule);
  return spec.keys === STEP_KEYS && builtin ? [...STEP_KEYS, ...BUILTIN_STEP_OPTIONS[builtin]] : spec.keys;
}
