// Diagnostics of the language service: what `mfdata config check` reports (same codes, same messages),
// plus missing directories, queues naming no step and the column of a regular expression's error,
// each with its exact range, over valid and broken documents (CRLF, BOM, tabs, empty values, non-ASCII).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { formatProblem } from '../../runtime/config/errors';
import { STEP_KEYS } from '../../runtime/config/schema';
import { checkDocument } from '../../runtime/config/validate';
import { doc, GENERAL, languageFixture, shown, type LanguageFixture } from './helpers';

let f: LanguageFixture;
before(() => {
  f = languageFixture();
});
after(() => f.cleanup());

const COMMON = '[common]\nredis_unix_socket = /tmp/r.sock\n';
type Case = [name: string, file: (f: LanguageFixture) => string, text: (f: LanguageFixture) => string, expected: string[]];

const cases: Case[] = [
  // --- directory_observer.ini ---
  ['observer: a valid file with one watched directory (non-ASCII path) has no diagnostic', (x) => x.paths.observer,
    (x) => `${COMMON}\n[alpha_main]\nactive = 1\ndirectory = ${x.dataDir}\nqueue = step.alpha.main\n`, []],
  ['observer: the generated file (under tmp/config_auto) is checked like any other', (x) => x.paths.generatedObserver,
    (x) => `${COMMON}[step_alpha_main_1]\nactive=true\ndirectory=${x.home}/var/in/step.alpha.main\nqueue=step.alpha.main\n`, []],
  ['observer: a directory that does not exist is a warning on the value', (x) => x.paths.observer,
    () => `${COMMON}[a]\ndirectory = /nope/dir\nqueue = step.alpha.main\n`,
    ["warning 3:12-3:21 missing-directory: directory '/nope/dir' does not exist (create it, or fix the path)"]],
  ['observer: a relative directory is an error', (x) => x.paths.observer,
    () => `${COMMON}[a]\ndirectory = in/a\nqueue = step.alpha.main\n`,
    ["error 3:12-3:16 relative-path: 'directory' must be an absolute path, not 'in/a' (start it with /)"]],
  ['observer: a queue naming no step is a warning with the closest queue', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\ndirectory = ${x.dataDir}\nqueue = step.alpha.mian\n`,
    ["warning 4:8-4:23 unknown-queue: queue 'step.alpha.mian' matches no plugin step (did you mean 'step.alpha.main'?)"]],
  ['observer: the queue of an internal plugin turned on in mfdata.ini is known', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\ndirectory = ${x.dataDir}\nqueue = step.switch.main\n`, []],
  ['observer: an invalid ignore regex points at the character that breaks it', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\ndirectory = ${x.dataDir}\nqueue = step.alpha.main\nignore = ^.*\\.t$;^(.tmp$\n`,
    ["error 5:18-5:19 bad-regex: invalid regular expression '^(.tmp$' in 'ignore': Unterminated group (patterns are separated by ;)"]],
  ['observer: nothing to repeat in only= points at the quantifier', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\ndirectory = ${x.dataDir}\nqueue = step.alpha.main\nonly = a**\n`,
    ["error 5:9-5:10 bad-regex: invalid regular expression 'a**' in 'only': Nothing to repeat (patterns are separated by ;)"]],
  ['observer: a misspelt key gets did-you-mean', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\ndirectory = ${x.dataDir}\nqueue = step.alpha.main\ntimeuot = 4\n`,
    ["error 5:0-5:7 unknown-key: unknown key 'timeuot' in [a] (did you mean 'timeout'?)"]],
  ['observer: redis settings differing between sections', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\nactive = 1\ndirectory = ${x.dataDir}\nqueue = step.alpha.main\n[b]\nactive = 1\ndirectory = ${x.dataDir}\nqueue = step.beta.main\nredis_port = 1\n`,
    ['error 10:13-10:14 redis-mismatch: redis_port differs between sections [a] (6379) and [b] (1) (the observer uses one Redis connection: set it once in [common])']],
  ['observer: a section without queue (own or from [common])', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\nactive = 1\ndirectory = ${x.dataDir}\n`,
    ["error 2:1-2:2 missing-key: missing mandatory key 'queue' in [a] (add 'queue = …' to [a] or to [common])"]],
  ['observer: no Redis at all', (x) => x.paths.observer,
    (x) => `[a]\nactive = 1\ndirectory = ${x.dataDir}\nqueue = step.alpha.main\n`,
    ['error 0:1-0:2 missing-key: [a] has neither redis_unix_socket nor redis_server (set redis_unix_socket (or redis_server and redis_port) in [common])']],
  ['observer: a bad boolean and a bad integer', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\nactive = maybe\ndirectory = ${x.dataDir}\nqueue = step.alpha.main\nforced_poll = 1.5\n`,
    ["error 3:9-3:14 bad-bool: 'active' must be a boolean, not 'maybe' (write 1 or 0 (true/false, yes/no, on/off also work))",
      "error 6:14-6:17 bad-int: 'forced_poll' must be an integer, not '1.5' (for example forced_poll = 0)"]],
  ['observer: CRLF line ends keep the same ranges', (x) => x.paths.observer,
    () => `${COMMON}[a]\r\ndirectory = /nope\r\nqueue = step.alpha.main\r\n`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r'),
    ["warning 3:12-3:17 missing-directory: directory '/nope' does not exist (create it, or fix the path)"]],
  ['observer: tab indentation and a tab before the value', (x) => x.paths.observer,
    () => `${COMMON}[a]\n\tdirectory =\t/nope\nqueue = step.alpha.main\n`,
    ["warning 3:13-3:18 missing-directory: directory '/nope' does not exist (create it, or fix the path)"]],
  ['observer: a duplicate key and a duplicate section', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\ndirectory = ${x.dataDir}\nqueue = step.alpha.main\nqueue = step.beta.main\n[a]\n`,
    ["error 5:0-5:5 duplicate-key: duplicate key 'queue' in [a] (first defined at line 5) (keep only one of them)",
      'error 6:1-6:2 duplicate-section: duplicate section [a] (first defined at line 3) (merge the two sections into one)']],
  ['observer: a comment after a value is part of the value (MFDATA rule)', (x) => x.paths.observer,
    (x) => `${COMMON}[a]\ndirectory = ${x.dataDir}\nqueue = step.alpha.main # main inbox\n`,
    ["warning 4:8-4:36 unknown-queue: queue 'step.alpha.main # main inbox' matches no plugin step (step queues: step.alpha.archive, step.alpha.main, step.beta.main, step.switch.main)"]],
  ['observer: full-line comments and blank lines are fine', (x) => x.paths.observer,
    (x) => `# observer\n; also a comment\n${COMMON}\n\n[a]\n# the inbox\ndirectory = ${x.dataDir}\nqueue = step.alpha.main\n`, []],
  ['observer: an empty mandatory value', (x) => x.paths.observer,
    () => `${COMMON}[a]\ndirectory =\nqueue = step.alpha.main\n`,
    ["error 3:11-3:12 empty-value: 'directory' must not be empty (absolute directory to watch (sub-directories are not watched))"]],
  ['observer: a key outside any section and a colon separator', (x) => x.paths.observer,
    () => `active = 1\n${COMMON}timeout: 5\n`,
    ["error 0:0-0:6 key-outside-section: key 'active' outside any section (put it under a [section] header)",
      "error 3:0-3:10 colon-separator: missing '=': MFDATA configuration uses '=' only (write 'timeout = 5')"]],
  ['observer: {{VAR}} expansion in directory (expanded before the existence check)', (x) => x.paths.observer,
    () => `${COMMON}[a]\ndirectory = {{DATA}}/entrée\nqueue = step.alpha.main\n[b]\ndirectory = {{NOPE}}/x\nqueue = step.alpha.main\n`,
    ["error 6:12-6:20 unknown-variable: unknown variable 'NOPE' in '{{NOPE}}' (define NOPE in the environment, or use one of MFDATA_CURRENT_PLUGIN_NAME, MFDATA_CURRENT_PLUGIN_DIR, MFDATA_HOME…)"]],
  // --- plugin config.ini ---
  ['plugin: the fixture plugin is valid', (x) => x.paths.alpha, (x) => fs.readFileSync(x.paths.alpha, 'utf8'), []],
  ['plugin: missing mandatory keys of [general] are reported on its header', (x) => x.paths.alpha,
    () => '[general]\n_version = 1.0.0\n_summary = s\n_license = MIT\n_url = u\n_vendor = v\n\n[step_main]\n',
    ["error 0:1-0:8 missing-key: missing mandatory key '_maintainer' in [general] (add '_maintainer = …' (maintainer (name and e-mail)))"]],
  ['plugin: a misspelt enum value', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\nfailure_policy = mvoe\n`,
    ["error 8:17-8:21 bad-enum: 'failure_policy' must be one of keep, delete, move, not 'mvoe' (did you mean 'move'?)"]],
  ['plugin: failure_policy_move_dest_dir naming no step', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\nfailure_policy = move\nfailure_policy_move_dest_dir = beta/mian\n`,
    ["warning 9:31-9:40 unknown-target: 'beta/mian' names no known plugin step (did you mean 'beta/main'?)"]],
  ['plugin: a step added in the unsaved text is already a valid target', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\nfailure_policy = move\nfailure_policy_move_dest_dir = alpha/errors\n[step_errors]\n_step_module = builtin:delete\n`, []],
  ['plugin: failure_policy = move without destination', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\nfailure_policy = move\n`,
    ['error 8:17-8:21 move-without-dest: failure_policy = move needs failure_policy_move_dest_dir (add failure_policy_move_dest_dir = <plugin>/<step> or an absolute directory)']],
  ['plugin: a switch rule target naming no step, and one that exists', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\n[switch_rules:fnmatch:latest.guess_file_type.main.system_magic]\n*gzip* = beta/main, beta/mian*\n`,
    ["warning 9:20-9:30 unknown-target: 'beta/mian' names no known plugin step (did you mean 'beta/main'?)"]],
  ['plugin: an invalid regex in a switch rule key points at its error', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\n[switch_rules:regex:latest.x]\n^ab(c = beta/main\n`,
    ["warning 9:3-9:4 bad-regex: rule ignored: invalid regular expression '^ab(c': Unterminated group, fix the pattern (write = as @@@@@@ and # as ~~~~~~ in a pattern)"]],
  ['plugin: an unknown key in a step with did-you-mean, and a retired MFDATA key', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\nnumprocesess = 2\n_cmd_and_args = main.py\n`,
    ["error 8:0-8:12 unknown-key: unknown key 'numprocesess' in [step_main] (did you mean 'numprocesses'?)",
      "error 9:0-9:13 retired-key: MFDATA key '_cmd_and_args' in [step_main] is not used here (steps are modules here: set _step_module (a .ts/.js file or builtin:<name>) instead of a command)"]],
  ['plugin: a built-in option valid only with its built-in', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\n_step_module = builtin:move\ndest_dir = beta/main\ndest_dirs = beta/main\n`,
    ["error 10:0-10:9 unknown-key: unknown key 'dest_dirs' in [step_main] (did you mean 'dest_dir'?)"]],
  ['plugin: watched_directories lists an absolute directory that does not exist', (x) => x.paths.alpha,
    (x) => `${GENERAL}\n[step_main]\nwatched_directories = {MFDATA_CURRENT_STEP_DIR}, incoming, /nope/in, ${x.dataDir}\n`,
    ["warning 8:59-8:67 missing-directory: directory '/nope/in' does not exist (create it, or fix the path)"]],
  ['plugin: a step module that does not exist', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\n_step_module = nope.ts\n`,
    ["error 8:15-8:22 missing-step-module: step module 'nope.ts' of step 'main' not found in <root>/ws/plugins/alpha (create the file or fix _step_module)"]],
  ['plugin: an unknown built-in with did-you-mean', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\n_step_module = builtin:arhcive\n`,
    ["error 8:15-8:30 unknown-builtin: unknown built-in step 'arhcive' (did you mean 'builtin:archive'?)"]],
  ['plugin: an empty file lacks [general]', (x) => x.paths.alpha, () => '',
    ['error 0:0-0:1 missing-section: missing section [general] (add a [general] section with _version, _summary, _license, _url, _maintainer, _vendor)']],
  ['plugin: an unclosed header and text after a header', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main\n[step_x] # x\n`,
    ["error 7:0-7:10 unclosed-section: unclosed section header (end the header with ']')",
      "error 8:1-8:7 missing-step-module: step module 'x.ts' of step 'x' not found in <root>/ws/plugins/alpha (create x.ts (or x.js), or set _step_module)",
      'error 8:9-8:12 text-after-section: unexpected text after section header [step_x] (comments must be on their own line)']],
  ['plugin: retry_max_wait below retry_min_wait', (x) => x.paths.alpha,
    () => `${GENERAL}\n[step_main]\nretry_min_wait = 30\nretry_max_wait = 5\n`,
    ['error 9:17-9:18 retry-max-below-min: retry_max_wait (5) must be at least retry_min_wait (30) (raise retry_max_wait or lower retry_min_wait)']],
  // --- mfdata.ini and operator overrides ---
  ['module: wrong types in mfdata.ini', (x) => x.paths.module,
    () => '[redis]\nmax_memory = abc\n[log]\nminimal_level = INF\n',
    ["error 1:13-1:16 bad-int: 'max_memory' must be an integer, not 'abc' (for example max_memory = 2048)",
      "error 3:16-3:19 bad-enum: 'minimal_level' must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'INF' (did you mean 'INFO'?)"]],
  ['module: an unknown section', (x) => x.paths.module, () => '[logg]\n',
    ['error 0:1-0:5 unknown-section: unknown section [logg] (did you mean [log]?)']],
  ['override: an operator override may not set private keys', (x) => x.paths.override,
    () => '[step_main]\n_step_module = other.ts\nnumprocesses = 4\n',
    ["error 1:0-1:12 override-private-key: operator overrides may not set '_step_module' (keys starting with _ belong to the plugin) (change it in the plugin config.ini instead)"]],
  ['override: options of a built-in step are those of the plugin\'s _step_module (archive here, not main.ts)', (x) => x.paths.override,
    (x) => `[step_archive]\ndest_dir = ${x.dataDir}\nlifetime = 3\n[step_main]\nlifetime = 3\n`,
    [`error 4:0-4:8 unknown-key: unknown key 'lifetime' in [step_main] (keys of [step_<name>]: ${STEP_KEYS.map((k) => k.key).join(', ')})`]],
  ['override: a section the plugin does not define, as config check says it ([custom] is always allowed)', (x) => x.paths.override,
    () => '[step_nosuch]\nnumprocesses = 2\n[custom]\nanything = 1\n',
    ["error 0:1-0:12 override-unknown-section: section [step_nosuch] does not exist in the plugin's config.ini (an override may only change sections the plugin defines (and [custom]))"]],
];

describe('diagnostics', () => {
  for (const [name, file, text, expected] of cases) {
    test(name, () => assert.deepEqual(shown(f, doc(file(f), text(f))), expected));
  }

  test('a BOM is ignored: ranges on the first line count from after it', () => {
    assert.deepEqual(shown(f, doc(f.paths.module, '\uFEFF[rediss]\n')),
      ['error 0:1-0:7 unknown-section: unknown section [rediss] (did you mean [redis]?)']);
  });

  test('a missing archive directory with a non-ASCII name is a warning on the value', () => {
    const dir = `${f.root}/données/sortie`;
    assert.deepEqual(shown(f, doc(f.paths.alpha, `${GENERAL}\n[step_main]\n_step_module = builtin:archive\ndest_dir = ${dir}\n`)),
      [`warning 9:11-9:${11 + dir.length} missing-directory: directory '<root>/données/sortie' does not exist (create it, or fix the path)`]);
  });

  test('messages are those of `mfdata config check`, from the same checker', () => {
    const text = `${GENERAL}\n[step_main]\nfailure_policy = mvoe\nnumprocesess = 2\nretry_total = -1\n[custom]\nx = 1\n`;
    const checked = checkDocument('plugin', text, f.paths.alpha, { env: {}, home: f.home, plugin: { name: 'alpha', dir: `${f.workspace}/plugins/alpha` } });
    const cli = checked.problems.map((p) => formatProblem(p).replace(/^.*?: (error|warning): /, ''));
    assert.equal(cli.length, 3);
    assert.deepEqual(f.service.diagnostics(doc(f.paths.alpha, text)).map((d) => d.message), cli);
  });

  test('a file the service does not know (README.ini) gets no diagnostic', () => {
    assert.deepEqual(f.service.diagnostics(doc(`${f.workspace}/README.ini`, '[x\n')), []);
  });
});

describe('diagnostics: steps the runtime generates', () => {
  test("the hidden '<step>_reinject' queue of a step with retry_total > 0 is known (the generated observer file names it)", () => {
    const g = languageFixture();
    try {
      const config = `${g.workspace}/plugins/gamma/config.ini`;
      fs.mkdirSync(`${g.workspace}/plugins/gamma`, { recursive: true });
      fs.writeFileSync(config, `${GENERAL}\n\n[step_main]\n_step_module = builtin:delete\nretry_total = 2\n`);
      g.env.invalidate();
      const text = `${COMMON}[step_gamma_main_reinject_1]\nactive=true\ndirectory=${g.dataDir}\nqueue=step.gamma.main_reinject\n`;
      assert.deepEqual(shown(g, doc(g.paths.generatedObserver, text)), []);
      // A step without retries has none.
      assert.deepEqual(shown(g, doc(g.paths.generatedObserver, text.replaceAll('gamma', 'beta'))),
        ["warning 5:6-5:29 unknown-queue: queue 'step.beta.main_reinject' matches no plugin step (did you mean 'step.gamma.main_reinject'?)"]);
    } finally {
      g.cleanup();
    }
  });
});
