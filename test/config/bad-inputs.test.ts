// Bad configuration inputs: each one gives its exact message at its exact position, and none crashes the loader.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { loadRuntimeConfig } from '../../runtime/config/load';
import { RETIRED_SETTINGS } from '../../runtime/config/schema';
import { checkDocument } from '../../runtime/config/validate';
import { formatted, GENERAL, tempTree } from './helpers';

const P = 'ws/plugins/p/config.ini';
/** A whole config.ini (no [general] prepended), as bytes. */
const raw = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** Loads a workspace holding plugin `p` (config.ini = [general] + `body`, plus main.ts) and returns the problems. */
function pluginProblems(body: string | Uint8Array, extra: Record<string, string | Uint8Array> = {}): string[] {
  const config = typeof body === 'string' ? GENERAL + body : body;
  const t = tempTree({ 'ws/plugins/p/config.ini': config, 'ws/plugins/p/main.ts': '', ...extra });
  try {
    return formatted(loadRuntimeConfig({ workspace: t.workspace, home: t.home, env: {} }).problems, t.root);
  } finally {
    t.cleanup();
  }
}

/** mfdata.ini running the internal switch, which evaluates [switch_rules:…] sections without @. */
const SWITCH_ON = { 'ws/mfdata.ini': '[internal_plugins]\ninstall_switch = 1\n' };

const OBSERVER_COMMON = '[common]\nredis_unix_socket = /run/r.sock\n';
function observerProblems(text: string): string[] {
  return formatted(checkDocument('observer', text, '/o/directory_observer.ini', { env: {}, home: '/h' }).problems, '/o');
}

const cases: [string, () => string[], string[]][] = [
  ['unknown key with a did-you-mean', () => pluginProblems('[step_main]\nnumprocess = 2\n'),
    [`${P}:9:1: error: unknown key 'numprocess' in [step_main] (did you mean 'numprocesses'?)`]],
  ['wrong type (int)', () => pluginProblems('[step_main]\nnumprocesses = two\n'),
    [`${P}:9:16: error: 'numprocesses' must be an integer, not 'two' (for example numprocesses = 1)`]],
  ['negative int', () => pluginProblems('[step_main]\ntimeout = 0\n'),
    [`${P}:9:11: error: 'timeout' must be at least 1, not 0 (seconds between SIGTERM and SIGKILL when the step stops; longer than the slowest file)`]],
  ['an inline comment after an integer: the message says it is part of the value', () => pluginProblems('', { 'ws/mfdata.ini': '[log]\nkeep = 5 # five files\n' }),
    ["ws/mfdata.ini:2:8: error: 'keep' must be an integer, not '5 # five files': text after a value, # included, is part of the value (comments start a line) (move '# five files' to a line of its own above the key)"]],
  ['an inline ; comment after a boolean', () => pluginProblems('[step_main]\ndebug = 1 ; on\n'),
    [`${P}:9:9: error: 'debug' must be a boolean, not '1 ; on': text after a value, ; included, is part of the value (comments start a line) (move '; on' to a line of its own above the key)`]],
  ['bad boolean', () => pluginProblems('[step_main]\ndebug = maybe\n'),
    [`${P}:9:9: error: 'debug' must be a boolean, not 'maybe' (write 1 or 0 (true/false, yes/no, on/off also work))`]],
  ['bad enum with a did-you-mean', () => pluginProblems('[step_main]\nfailure_policy = kep\n'),
    [`${P}:9:18: error: 'failure_policy' must be one of keep, delete, move, not 'kep' (did you mean 'keep'?)`]],
  ['missing mandatory key [general] _version', () => pluginProblems(raw(GENERAL.replace('_version = 1.0.0\n', '') + '[step_main]\n')),
    [`${P}:1:2: error: missing mandatory key '_version' in [general] (add '_version = …' (plugin version, [a-z0-9-_.]+ ({{MFMODULE_VERSION}} allowed)))`]],
  ['bad version', () => pluginProblems(raw(GENERAL.replace('1.0.0', '1.0 Beta') + '[step_main]\n')),
    [`${P}:2:12: error: '_version' must match [a-z0-9-_.]+, not '1.0 Beta' (for example _version = 1.0.0)`]],
  ['empty file: [general] missing', () => pluginProblems(new Uint8Array()),
    [`${P}:1:1: error: missing section [general] (add a [general] section with _version, _summary, _license, _url, _maintainer, _vendor)`]],
  ['duplicate section', () => pluginProblems('[step_main]\n[step_main]\n'),
    [`${P}:9:2: error: duplicate section [step_main] (first defined at line 8) (merge the two sections into one)`]],
  ['duplicate key', () => pluginProblems('[step_main]\ndebug = 1\ndebug = 0\n'),
    [`${P}:10:1: error: duplicate key 'debug' in [step_main] (first defined at line 9) (keep only one of them)`]],
  ['unknown section with a did-you-mean', () => pluginProblems('[step_main]\n[custon]\n'),
    [`${P}:9:2: error: unknown section [custon] (did you mean [custom]?)`]],
  ['a watched directory inside the workers\' claim area', () => pluginProblems('[step_main]\nwatched_directories = {MFDATA_CURRENT_STEP_DIR},tmp/other.main\n'),
    [`${P}:9:23: error: [step_main] watched_directories: ./home/var/in/tmp/other.main is inside ./home/var/in/tmp, which the workers own (claims, failed and waiting files): another step's files would be taken from under it (watch a directory of its own, e.g. {MFDATA_CURRENT_STEP_DIR} (the step inbox))`]],
  ['a bad target after a {{VAR}}: the column is where it is written', () => pluginProblems('[step_main]\n_step_module = builtin:copy\ndest_dirs = {{MFDATA_CURRENT_PLUGIN_NAME}}/main, b@d\n'),
    [`${P}:10:50: error: 'b@d' in 'dest_dirs' is not plugin/step (write plugin/step, with a trailing * to allow a hardlink)`]],
  ['invalid step name', () => pluginProblems('[step_main]\n[step_my-step]\n', { 'ws/plugins/p/my-step.ts': '' }),
    [`${P}:9:2: error: invalid step name 'my-step' (use only letters, digits and _)`]],
  ['MFDATA _cmd_and_args is named and replaced', () => pluginProblems('[step_main]\n_cmd_and_args = main.py\n'),
    [`${P}:9:1: error: MFDATA key '_cmd_and_args' in [step_main] is not used here (steps are modules here: set _step_module (a .ts/.js file or builtin:<name>) instead of a command)`]],
  ['unknown built-in step', () => pluginProblems('[step_main]\n_step_module = builtin:cpy\n'),
    [`${P}:9:16: error: unknown built-in step 'cpy' (did you mean 'builtin:copy'?)`]],
  ['missing step module file', () => pluginProblems('[step_other]\n'),
    [`${P}:8:2: error: step module 'other.ts' of step 'other' not found in ./ws/plugins/p (create other.ts (or other.js), or set _step_module)`]],
  ['built-in option missing', () => pluginProblems('[step_main]\n_step_module = builtin:copy\n'),
    [`${P}:8:2: error: missing mandatory key 'dest_dirs' in [step_main] (add 'dest_dirs = …' (comma list of plugin/step targets; a trailing * allows a hardlink))`]],
  ['built-in option on a module step', () => pluginProblems('[step_main]\ndest_dir = p/main\n'),
    [`${P}:9:1: error: unknown key 'dest_dir' in [step_main] (keys of [step_<name>]: _step_module, numprocesses, debug, timeout, process_timeout, max_age, max_age_variance, rlimit_as, rlimit_nofile, rlimit_stack, rlimit_fsize, log_split_stdout_stderr, log_split_multiple_workers, watched_directories, failure_policy, failure_policy_move_dest_dir, retry_total, retry_min_wait, retry_max_wait, retry_backoff, step_limit, batch_max_size, batch_max_wait)`]],
  ['extra daemon without command', () => pluginProblems('[extra_daemon_listener]\nnumprocesses = 1\n'),
    [`${P}:8:2: error: missing mandatory key '_cmd_and_args' in [extra_daemon_listener] (add '_cmd_and_args = …' (the daemon command and its arguments (split on blanks, no shell); {{VARS}} are expanded))`]],
  ['key outside any section', () => pluginProblems(raw('numprocesses = 1\n' + GENERAL)),
    [`${P}:1:1: error: key 'numprocesses' outside any section (put it under a [section] header)`]],
  ['line without =', () => pluginProblems('[step_main]\ndebug\n'),
    [`${P}:9:1: error: expected 'key = value', a [section] header or a comment (add '=' between the key and its value)`]],
  ['colon separator', () => pluginProblems('[step_main]\ndebug: 1\n'),
    [`${P}:9:1: error: missing '=': MFDATA configuration uses '=' only (write 'debug = 1')`]],
  ['unclosed section header', () => pluginProblems('[step_main\n'),
    [`${P}:8:1: error: unclosed section header (end the header with ']')`]],
  ['unknown {{VAR}}', () => pluginProblems('[custom]\nout = {{ NOPE_VAR }}/x\n'),
    [`${P}:9:7: error: unknown variable 'NOPE_VAR' in '{{ NOPE_VAR }}' (define NOPE_VAR in the environment, or use one of MFDATA_CURRENT_PLUGIN_NAME, MFDATA_CURRENT_PLUGIN_DIR, MFDATA_HOME…)`]],
  ['failure_policy = move without a destination', () => pluginProblems('[step_main]\nfailure_policy = move\n'),
    [`${P}:9:18: error: failure_policy = move needs failure_policy_move_dest_dir (add failure_policy_move_dest_dir = <plugin>/<step> or an absolute directory)`]],
  ['bad move destination', () => pluginProblems('[step_main]\nfailure_policy = move\nfailure_policy_move_dest_dir = failed\n'),
    [`${P}:10:32: error: 'failure_policy_move_dest_dir' must be plugin/step or an absolute directory, not 'failed' (for example my_plugin/main or /data/out)`]],
  ['retry_max_wait < retry_min_wait', () => pluginProblems('[step_main]\nretry_min_wait = 10\nretry_max_wait = 5\n'),
    [`${P}:10:18: error: retry_max_wait (5) must be at least retry_min_wait (10) (raise retry_max_wait or lower retry_min_wait)`]],
  ['retry_min_wait above the default retry_max_wait', () => pluginProblems('[step_main]\nretry_min_wait = 200\n'),
    [`${P}:9:18: error: retry_max_wait (120) must be at least retry_min_wait (200) (raise retry_max_wait or lower retry_min_wait)`]],
  ['an override that breaks a rule between keys', () => pluginProblems('[step_main]\n', { 'home/config/plugins/p.ini': '[step_main]\nfailure_policy = move\n' }),
    ["home/config/plugins/p.ini:2:18: error: failure_policy = move needs failure_policy_move_dest_dir (add failure_policy_move_dest_dir = <plugin>/<step> or an absolute directory)"]],
  ['unknown switch rule type', () => pluginProblems('[step_main]\n[switch_rules:regexp:latest.x]\n* = main\n'),
    [`${P}:9:2: error: unknown switch rule type 'regexp' (did you mean 'regex'?)`]],
  ['switch rule type needing a tag', () => pluginProblems('[step_main]\n[switch_rules:fnmatch]\n* = main\n'),
    [`${P}:9:2: error: switch rule type 'fnmatch' needs a tag name (write [switch_rules:fnmatch:latest.guess_file_type.main.system_magic] for example)`]],
  ['bad regex in a switch rule (warning: the rule is ignored, the plugin loads)', () => pluginProblems('[step_main]\n[switch_rules:regex:latest.x]\n^(abc = main\n', SWITCH_ON),
    [`${P}:10:1: warning: rule ignored: invalid regular expression '^(abc': Unterminated group, fix the pattern (write = as @@@@@@ and # as ~~~~~~ in a pattern)`]],
  ['bad wildcard in a fnmatch switch rule (warning, the message the running switch logs)', () => pluginProblems('[step_main]\n[switch_rules:fnmatch:t]\n*.[z-a] = main\n', SWITCH_ON),
    [`${P}:10:1: warning: rule ignored: invalid wildcard pattern '*.[z-a]': Range out of order in character class, fix the pattern (wildcards are * ? [seq] [!seq]; a range in [] goes from low to high, e.g. [a-z])`]],
  ['Python named groups in a switch regex are accepted, as the switch compiles them', () => pluginProblems('[step_main]\n[switch_rules:regex:latest.x]\n^(?P<kind>abc) = main\n', SWITCH_ON), []],
  ['switch target naming a missing step (warning)', () => pluginProblems('[step_main]\n[switch_rules:alwaystrue]\n* = p/mian, other/x\n', SWITCH_ON),
    [`${P}:10:5: warning: 'p/mian' names no known plugin step (did you mean 'p/main'?)`,
      `${P}:10:13: warning: 'other/x' names no known plugin step (known steps: p/main, switch/main)`]],
  ['switch rules no switch step evaluates: warned on their section header (the step would delete every file)',
    () => pluginProblems('[step_main]\n_step_module = builtin:switch\n[step_out]\n_step_module = builtin:delete\n[switch_rules:fnmatch:t]\n*.txt = out\n[switch_rules@nosuch:alwaystrue]\n* = out\n'),
    [`${P}:9:16: warning: switch step p/main evaluates switch 'p', which no plugin gives rules: every file goes to its no-match policy (delete) (write [switch_rules@p:<type>:<tag>] sections, or set switch_name to the instance the rules are written for)`,
      `${P}:12:2: warning: no switch step evaluates the rules of [switch_rules:fnmatch:t] (switch 'switch'; switches: p) (rules without @ feed the switch named 'switch': turn on [internal_plugins] install_switch in mfdata.ini, or write [switch_rules@<switch>:…] for a switch step)`,
      `${P}:14:2: warning: no switch step evaluates the rules of [switch_rules@nosuch:alwaystrue] (switch 'nosuch'; switches: p) (add a step with _step_module = builtin:switch and switch_name = nosuch (a switch step's switch_name defaults to its plugin name), or fix the name after @)`]],
  ['switch rules of one plugin feed the switch step of another (rules are gathered across plugins per switch name)',
    () => pluginProblems('[step_main]\n[switch_rules@router:alwaystrue]\n* = p/main\n', {
      'ws/plugins/router/config.ini': `${GENERAL}[step_main]\n_step_module = builtin:switch\n`,
      'ws/plugins/q/config.ini': `${GENERAL}[step_main]\n_step_module = builtin:switch\nswitch_name = switch\n[switch_rules:alwaystrue]\n* = p/main\n`,
    }), []],
  ['invalid plugin name', () => pluginProblems(new Uint8Array(), { 'ws/plugins/p/config.ini': '', 'ws/plugins/my.plugin/config.ini': GENERAL }).filter((l) => l.includes('my.plugin')),
    ["ws/plugins/my.plugin/config.ini:1:1: error: invalid plugin name 'my.plugin': only letters, digits, _ and - (rename the plugin directory)"]],
  ['reserved plugin names', () => pluginProblems(raw(GENERAL), { 'ws/plugins/base/config.ini': GENERAL, 'ws/plugins/plugin_x/config.ini': GENERAL }),
    ["ws/plugins/base/config.ini:1:1: error: plugin name 'base' is reserved (rename the plugin directory)",
      "ws/plugins/plugin_x/config.ini:1:1: error: plugin name 'plugin_x' must not start with 'plugin_' or '__' (rename the plugin directory)"]],
  ['operator override of an underscore key', () => pluginProblems('[step_main]\n', { 'home/config/plugins/p.ini': '[step_main]\n_step_module = x.ts\nnumprocesses = 3\n' }),
    ["home/config/plugins/p.ini:2:1: error: operator overrides may not set '_step_module' (keys starting with _ belong to the plugin) (change it in the plugin config.ini instead)"]],
  ['override of a section the plugin lacks', () => pluginProblems('[step_main]\n', { 'home/config/plugins/p.ini': '[step_other]\ndebug = 1\n' }),
    ["home/config/plugins/p.ini:1:2: error: section [step_other] does not exist in the plugin's config.ini (an override may only change sections the plugin defines (and [custom]))"]],
  ['non-UTF-8 bytes', () => pluginProblems(Buffer.concat([Buffer.from(GENERAL + '[custom]\nname = caf'), Buffer.from([0xe9]), Buffer.from('\n')])),
    [`${P}:9:11: error: invalid UTF-8 byte sequence (save the file as UTF-8)`]],
  ['BOM and CRLF are accepted', () => pluginProblems(raw('\uFEFF' + (GENERAL + '[step_main]\nnumprocesses = 2\n').replace(/\n/g, '\r\n'))), []],
  ['CRLF keeps columns right', () => pluginProblems(raw((GENERAL + '[step_main]\nnumprocesses = x\n').replace(/\n/g, '\r\n'))),
    [`${P}:9:16: error: 'numprocesses' must be an integer, not 'x' (for example numprocesses = 1)`]],
  ['a 1 MB line', () => pluginProblems(`[custom]\nbig = ${'x'.repeat(1 << 20)}\n`),
    [`${P}:9:1: error: line is ${(1 << 20) + 6} characters long (limit 65536) (split the value or read it from a file)`]],
  ['mfdata.ini: value below its minimum', () => pluginProblems('[step_main]\n', { 'ws/mfdata.ini': '[redis]\nmax_memory = 0\n' }),
    ["ws/mfdata.ini:2:14: error: 'max_memory' must be at least 1, not 0 (maxmemory of our own Redis in MB (policy noeviction: writes fail rather than queues being evicted))"]],
  ['mfdata.ini: bad log level', () => pluginProblems('[step_main]\n', { 'ws/mfdata.ini': '[log]\nminimal_level = info\n' }),
    ["ws/mfdata.ini:2:17: error: 'minimal_level' must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'info' (did you mean 'INFO'?)"]],
  ['observer: relative directory', () => observerProblems(`${OBSERVER_COMMON}[a]\ndirectory = in/a\nqueue = q\n`),
    ["directory_observer.ini:4:13: error: 'directory' must be an absolute path, not 'in/a' (start it with /)"]],
  ['observer: bad regex in ignore, with its column', () => observerProblems(`${OBSERVER_COMMON}[a]\ndirectory = /in/a\nqueue = q\nignore = ^.*\\.t$;^(.tmp$\n`),
    ["directory_observer.ini:6:18: error: invalid regular expression '^(.tmp$' in 'ignore': Unterminated group (patterns are separated by ;)"]],
  ['observer: conflicting redis settings', () => observerProblems('[common]\nredis_server = h\nactive = 1\n[a]\ndirectory = /a\nqueue = q\nredis_port = 1\n[b]\ndirectory = /b\nqueue = q\nredis_port = 2\n'),
    ['directory_observer.ini:11:14: error: redis_port differs between sections [a] (1) and [b] (2) (the observer uses one Redis connection: set it once in [common])']],
  ['observer: an inactive section (active = 0, or unset: MFDATA\'s default) is skipped as the observer skips it', () => observerProblems('[common]\nredis_server = h\n[a]\nactive = 1\ndirectory = /a\nqueue = q\n[b]\nactive = 0\nredis_port = 1\n[c]\nredis_server = other\n'), []],
  ['observer: redis_port = 6379 in one section and unset (6379) in another is no mismatch', () => observerProblems('[common]\nredis_server = h\nactive = 1\n[a]\ndirectory = /a\nqueue = q\nredis_port = 6379\n[b]\ndirectory = /b\nqueue = q\n'), []],
  ['observer: missing queue', () => observerProblems(`${OBSERVER_COMMON}[a]\nactive = 1\ndirectory = /in/a\n`),
    ["directory_observer.ini:3:2: error: missing mandatory key 'queue' in [a] (add 'queue = …' to [a] or to [common])"]],
];

for (const [name, run, expected] of cases) {
  test(`bad input: ${name}`, () => {
    assert.deepEqual(run(), expected);
  });
}

test('there are at least 25 bad inputs', () => {
  assert.ok(cases.length >= 25, `${cases.length} cases`);
});

test('a broken plugin does not stop the others from loading', () => {
  const t = tempTree({
    'ws/plugins/good/config.ini': GENERAL + '[step_main]\n',
    'ws/plugins/good/main.ts': '',
    'ws/plugins/bad/config.ini': GENERAL + '[step_main]\nnumprocesses = x\n',
    'ws/plugins/bad/main.ts': '',
  });
  try {
    const result = loadRuntimeConfig({ workspace: t.workspace, home: t.home, env: {} });
    assert.deepEqual(result.config.plugins.map((p) => p.name), ['good']);
    assert.deepEqual(result.rejectedPlugins, ['bad']);
    assert.equal(result.problems.length, 1);
  } finally {
    t.cleanup();
  }
});

test('a workspace plugin hides an installed one of the same name, with a warning', () => {
  const t = tempTree({
    'ws/plugins/p/config.ini': GENERAL + '[step_main]\n',
    'ws/plugins/p/main.ts': '',
    'home/var/plugins/p/config.ini': GENERAL + '[step_main]\n',
    'home/var/plugins/q/config.ini': GENERAL + '[step_main]\n_step_module = builtin:delete\n',
  });
  try {
    const result = loadRuntimeConfig({ workspace: t.workspace, home: t.home, env: {} });
    assert.deepEqual(result.config.plugins.map((p) => [p.name, p.origin]), [['p', 'workspace'], ['q', 'installed']]);
    assert.deepEqual(formatted(result.problems, t.root), [
      `home/var/plugins/p/config.ini:1:1: warning: installed plugin 'p' is hidden by the workspace plugin ./ws/plugins/p (uninstall it, or rename one of them)`,
    ]);
  } finally {
    t.cleanup();
  }
});

test('an MFDATA mfdata.ini: each setting this runtime does not use says what replaces it, never a key of another meaning', () => {
  const mfdataIni = [
    '[log]', 'minimal_level = INFO', 'json_file = null', 'json_minimal_level = WARNING', 'mfadmin_flag = AUTO', 'mfadmin_minimal_level = WARNING',
    'try_to_split_stdout_stderr = 0', 'try_to_split_multiple_workers = 0',
    '[directory_observer]', 'monitor_inactivitytimeout = 300',
    '[housekeeping]', 'tmp_max_lifetime = 60', 'other_max_lifetime = 360',
    '[nginx]', 'flag = 1', '[telegraf]', 'statsd_port = 18126', '[admin]', 'hostname = null', '',
  ].join('\n');
  const { problems } = checkDocument('module', mfdataIni, '/ws/mfdata.ini', { env: {}, home: '/h' });
  const retired = (section: string, key?: string): string => RETIRED_SETTINGS.find((r) => r.section === section && r.key === key)!.instead;
  assert.deepEqual(problems.map((p) => `${p.line} ${p.code} ${p.message} (${p.hint})`), [
    `3 retired-key MFDATA key 'json_file' in [log] is not used here (${retired('log', 'json_file')})`,
    `4 retired-key MFDATA key 'json_minimal_level' in [log] is not used here (${retired('log', 'json_minimal_level')})`,
    `5 retired-key MFDATA key 'mfadmin_flag' in [log] is not used here (${retired('log', 'mfadmin_flag')})`,
    `6 retired-key MFDATA key 'mfadmin_minimal_level' in [log] is not used here (${retired('log', 'mfadmin_minimal_level')})`,
    `7 retired-key MFDATA key 'try_to_split_stdout_stderr' in [log] is not used here (${retired('log', 'try_to_split_stdout_stderr')})`,
    `8 retired-key MFDATA key 'try_to_split_multiple_workers' in [log] is not used here (${retired('log', 'try_to_split_multiple_workers')})`,
    `10 retired-key MFDATA key 'monitor_inactivitytimeout' in [directory_observer] is not used here (${retired('directory_observer', 'monitor_inactivitytimeout')})`,
    `12 retired-key MFDATA key 'tmp_max_lifetime' in [housekeeping] is not used here (${retired('housekeeping', 'tmp_max_lifetime')})`,
    `14 retired-section MFDATA section [nginx] is not used here (${retired('nginx')})`,
    `16 retired-section MFDATA section [telegraf] is not used here (${retired('telegraf')})`,
    `18 retired-section MFDATA section [admin] is not used here (${retired('admin')})`,
  ]);
  assert.doesNotMatch(retired('housekeeping', 'tmp_max_lifetime'), /other_max_lifetime/);
  assert.match(retired('nginx'), /\[http_receiver\] with flag = 1/);
  assert.match(retired('telegraf'), /\[metrics\] statsd_host and statsd_port/);
});

test('a watched directory on another file system than the runtime home is warned about (its files could never be claimed)', { skip: !fs.existsSync('/dev/shm') && 'no /dev/shm' }, () => {
  const t = tempTree({ 'ws/plugins/p/config.ini': `${GENERAL}[step_main]\nwatched_directories = {MFDATA_CURRENT_STEP_DIR},/dev/shm/mfdata-elsewhere\n`, 'ws/plugins/p/main.ts': '' });
  try {
    const problems = loadRuntimeConfig({ workspace: t.workspace, home: t.home, env: {} }).problems;
    const other = problems.filter((p) => p.code === 'watched-other-filesystem');
    if (fs.statSync('/dev/shm').dev === fs.statSync(t.root).dev) {
      assert.deepEqual(other, [], 'the same file system here: no warning');
      return;
    }
    assert.equal(other.length, 1, JSON.stringify(problems));
    assert.equal(other[0].severity, 'warning');
    assert.match(other[0].message, /\/dev\/shm\/mfdata-elsewhere is on another file system than .*: a file there cannot be claimed/);
  } finally {
    t.cleanup();
  }
});
