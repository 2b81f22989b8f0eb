// Renders docs/CONFIGURATION.md from the schema, so the reference and the validation never drift apart.
import { BUILTIN_STEP_OPTIONS, BUILTIN_STEPS, PLUGIN_NAME_MAX_LENGTH, RETIRED_SETTINGS, schema, type FileKind, type KeySpec, type RetiredSetting } from './schema';
import { MAX_LINE_LENGTH } from './ini-parser';

const cell = (s: string): string => s.replace(/\|/g, '\\|');
const code = (s: string): string => (s === '' ? '""' : `\`${s}\``);

function keyTable(keys: readonly KeySpec[]): string[] {
  if (keys.length === 0) return ['Free keys (see above).', ''];
  const rows = ['| key | type | default | mandatory | meaning |', '| --- | --- | --- | --- | --- |'];
  for (const k of keys) {
    const type = k.type === 'enum' ? `one of ${(k.values ?? []).map(code).join(', ')}` : k.type;
    const def = k.defaultDoc ? `${k.defaultDoc}` : code(k.default);
    rows.push(`| \`${k.key}\` | ${cell(type)} | ${cell(def)} | ${k.mandatory ? 'yes' : ''} | ${cell(k.doc)} |`);
  }
  return [...rows, ''];
}

function fileSection(kind: FileKind): string[] {
  const f = schema[kind];
  const out = [`## ${f.title}`, '', `${f.doc[0].toUpperCase()}${f.doc.slice(1)}.`, ''];
  for (const s of f.sections) {
    out.push(`### [${s.title}]${s.mandatory ? ' (mandatory)' : ''}`, '', `${s.doc[0].toUpperCase()}${s.doc.slice(1)}.`, '', ...keyTable(s.keys));
  }
  return out;
}

/** One retired MFDATA setting as a list item (`<` escaped: Markdown would read `<home>` as a tag). */
function retiredItem(r: RetiredSetting): string {
  const where = [r.kind === 'module' ? 'mfdata.ini' : 'config.ini', r.section && `[${r.section}]`, r.key && `\`${r.key}\``].filter(Boolean).join(' ');
  return `  - ${where}: ${r.instead.replace(/</g, '\\<')}.`;
}

const PROSE_SYNTAX = `## Syntax (every file)

The runtime reads every file with its own parser (\`runtime/config/ini-parser.ts\`). The \`ini\` npm
package was not used: it drops line and column positions, silently merges duplicate sections and keys,
and treats \`;\`/\`#\` after a value as a comment, so it could neither report \`file:line:column\` nor
follow MFDATA's parser. The rules, the same as MFDATA's \`OpinionatedConfigParser\` where it has one:

- \`key = value\`: \`=\` is the only separator. A line \`key: value\` is an error that says so.
- Full-line comments start with \`#\` or \`;\`. **Text after a value is part of the value**, even
  \` # like this\` (MFDATA has no inline comments; a URL with \`#\` or a pattern with \`;\` stays whole).
- Keys and section names are case-sensitive. Blanks around keys and values are removed.
- Continuation lines (an indented line right after a key) are not supported and are reported.
- A UTF-8 BOM is ignored; LF, CRLF and CR line ends are accepted; a tab counts as one column.
- A duplicate section or a duplicate key is an error naming both lines (the first one is used).
- Bytes that are not UTF-8 are an error on their line; an empty file is a valid empty document.
- A line longer than ${MAX_LINE_LENGTH} characters is refused.
- Key variants \`key[DEV] = …\` are recognised and ignored with a warning (not supported yet; use an
  operator override instead). In switch rule sections a trailing \`[…]\` belongs to the pattern.

## Values

- \`{{VAR}}\` (Jinja style, blanks allowed: \`{{ VAR }}\`) is replaced at load time by the environment
  variable \`VAR\` or one of the runtime's own: \`MFDATA_HOME\`, \`MFDATA_DATA_IN_DIR\`, \`MFMODULE_VERSION\`,
  \`MFMODULE_RUNTIME_HOME\`, \`MFHARDWARE_NUMBER_OF_CPU_CORES\`(\`_MULTIPLIED_BY_2\`), and in a plugin
  \`MFDATA_CURRENT_PLUGIN_NAME\`, \`MFDATA_CURRENT_PLUGIN_DIR\`, \`MFDATA_CURRENT_PLUGIN_LABEL\`, plus in a
  \`[step_<name>]\` section \`MFDATA_CURRENT_STEP_NAME\`, \`MFDATA_CURRENT_STEP_QUEUE\`, \`MFDATA_CURRENT_STEP_DIR\`.
  An unknown variable is an error naming it. Filters and other Jinja syntax are not supported.
- \`{MFDATA_CURRENT_STEP_DIR}\` (single braces) in \`watched_directories\` is the step inbox
  \`IN/step.<plugin>.<step>\`; relative directories are joined to the inbox root \`IN\` (\`<home>/var/in\`).
- Booleans: \`1 true yes on\` / \`0 false no off\` (any case).
- Targets: \`plugin/step\`; in a list, a trailing \`*\` allows a hardlink; when no item of a list has a
  \`/\`, every item is a step of the same plugin (MFDATA rule). A target naming no known step is a warning.

## Plugins, overrides and what differs from MFDATA

- Plugins are found in \`<workspace>/plugins/<name>/config.ini\` (devlinked, origin \`workspace\`) and
  \`<home>/var/plugins/<name>/config.ini\` (installed). The directory name is the plugin name (MFDATA read
  it from \`.layerapi2_label\`); rules: \`^[A-Za-z0-9_-]+$\`, at most ${PLUGIN_NAME_MAX_LENGTH} characters, not starting
  with \`plugin_\` or \`__\`, not \`base\` or \`config\`. A workspace plugin hides an installed one of the same name, with a warning.
- Operator overrides: \`<home>/config/plugins/<name>.ini\` sets keys over the plugin's file; keys starting
  with \`_\` are refused, and only sections the plugin defines (plus \`[custom]\`) may appear.
- A plugin with an error is left out and the others still load; \`mfdata config check\` exits 1.
- \`numprocesses\` defaults to **1** (MFDATA: 0 = no watcher).
- A step is a TypeScript/JavaScript module, \`_step_module\` (default \`<step>.ts\`, else \`<step>.js\`),
  or a built-in (\`builtin:<name>\`); MFDATA's \`_cmd_and_args\` is refused with that advice.
- New step keys: \`process_timeout\`, \`step_limit\`, \`batch_max_size\`, \`batch_max_wait\`.
- Switch rule type \`python\` becomes \`function\` (a function of a step module).
- directory_observer.ini: a relative \`directory\` is an error; Redis settings that differ between
  sections are an error (MFDATA exited at run time); \`redis_server\` is not needed with \`redis_unix_socket\`.
- MFDATA settings this runtime does not use are errors that say what replaces them:
${RETIRED_SETTINGS.map(retiredItem).join('\n')}

## Problems

Every problem has the form \`<file>:<line>:<column>: error|warning: <message> (<what to do>)\`. The same
function (\`checkDocument\` in \`runtime/config/validate.ts\`) produces them for \`mfdata config check\`,
\`mfdata start\` and the editor's diagnostics.

## Generated files (\`<home>/tmp/config_auto/\`)

\`directory_observer.ini\` (\`[common]\` from mfdata.ini \`[directory_observer]\` plus the Redis address, then
one \`[step_<plugin>_<step>_<n>]\` per watched directory), \`redis.conf\` (unix socket \`<home>/var/redis.sock\`
mode 700, \`port 0\`, \`maxmemory-policy noeviction\`, \`appendonly yes\`, \`appendfsync everysec\`; absent
with an external Redis), \`watchers.json\` (the supervisor's watchers), \`plugins/<name>.json\` (the
resolved plugin a worker reads) and \`switch_rules.json\` (every plugin's switch rules, per switch instance). \`mfdata config show\` prints them.
`;

export function renderConfigurationDoc(): string {
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from runtime/config/schema.ts by runtime/config/config-doc.ts; test/config/config-doc.test.ts',
    '     fails when this file is stale (MFDATA_UPDATE_DOCS=1 node scripts/run-tests.mjs config-doc rewrites it). -->',
    '',
    PROSE_SYNTAX,
    ...fileSection('module'),
    ...fileSection('plugin'),
    '### Built-in step options',
    '',
    'A `[step_<name>]` section whose `_step_module` is `builtin:<name>` may also hold these keys (any other unknown key is an error).',
    '',
  ];
  for (const name of BUILTIN_STEPS) lines.push(`#### builtin:${name}`, '', ...keyTable(BUILTIN_STEP_OPTIONS[name]).map((l) => (l === 'Free keys (see above).' ? 'No options.' : l)));
  const o = schema.override;
  lines.push(`## ${o.title}`, '', `Operator overrides: only keys not starting with _, in the sections ${o.sections.map((s) => `[${s.title}]`).join(', ')}, with the keys and types of config.ini above.`, '');
  lines.push(...fileSection('observer'));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
