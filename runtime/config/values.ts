// Value types of the schema: the check of one (already expanded) value, and the typed readers the loaders use.
import * as path from 'node:path';
import { BOOL_FALSE, BOOL_TRUE, BUILTIN_STEPS, PLUGIN_NAME_MAX_LENGTH, PLUGIN_NAME_PATTERN, RESERVED_PLUGIN_NAMES, STEP_NAME_PATTERN, type KeySpec } from './schema';
import { suggest } from './suggest';

/** What is wrong with a value; `offset`/`length` narrow the range inside the value (else the whole value). */
export interface ValueIssue {
  code: string;
  message: string;
  hint: string;
  offset?: number;
  length?: number;
}

export function toBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if ((BOOL_TRUE as readonly string[]).includes(v)) return true;
  if ((BOOL_FALSE as readonly string[]).includes(v)) return false;
  return undefined;
}

/** Comma list, blanks trimmed, empty items kept out. */
export function splitList(value: string, separator = ','): string[] {
  return value.split(separator).map((s) => s.trim()).filter((s) => s !== '');
}

/** `plugin/step`. */
export const TARGET_PATTERN = /^([A-Za-z0-9_-]+)\/([A-Za-z0-9_]+)$/;

export interface ParsedTarget {
  plugin: string;
  step: string;
  hardlinkAllowed: boolean;
  /** 0-based offset of the item in the value. */
  offset: number;
  length: number;
}

/**
 * `p1/s1, p2/s2*` (MFDATA rule: when no item holds a `/`, every item is a step of the current plugin).
 * Returns the targets and the items that are not targets.
 */
export function parseTargetList(value: string, currentPlugin: string): { targets: ParsedTarget[]; bad: { item: string; offset: number }[] } {
  const bare = !value.includes('/');
  const targets: ParsedTarget[] = [];
  const bad: { item: string; offset: number }[] = [];
  let offset = 0;
  for (const raw of value.split(',')) {
    const item = raw.trim();
    const at = offset + (raw.length - raw.trimStart().length);
    offset += raw.length + 1;
    if (item === '') continue;
    const hardlinkAllowed = item.endsWith('*');
    const name = hardlinkAllowed ? item.slice(0, -1) : item;
    const m = TARGET_PATTERN.exec(bare ? `${currentPlugin}/${name}` : name);
    if (!m) bad.push({ item, offset: at });
    else targets.push({ plugin: m[1], step: m[2], hardlinkAllowed, offset: at, length: item.length });
  }
  return { targets, bad };
}

const number = (v: string): number | undefined => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? Number(v) : undefined);

/** Compiles a regular expression; the message of the error without JavaScript's `/…/` prefix. */
export function regexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    return text.slice(text.lastIndexOf(': ') + 2);
  }
}

/** `5 # five` → `# five`: what looks like an inline comment (MFDATA has none: it is part of the value). */
function trailingComment(value: string): string | undefined {
  return /\s([#;].*)$/.exec(value)?.[1];
}

/** An int/float/bool/enum value refused: says when an inline comment is what makes it wrong. */
function typeIssue(code: string, spec: KeySpec, value: string, expected: string, hint: string): ValueIssue {
  const comment = trailingComment(value);
  if (comment === undefined) return { code, message: `'${spec.key}' must be ${expected}, not '${value}'`, hint };
  return {
    code,
    message: `'${spec.key}' must be ${expected}, not '${value}': text after a value, ${comment[0]} included, is part of the value (comments start a line)`,
    hint: `move '${comment}' to a line of its own above the key`,
  };
}

/** Checks one value against its spec; undefined when the value is fine. */
export function checkValue(spec: KeySpec, value: string): ValueIssue | undefined {
  const k = spec.key;
  if (value === '') {
    if (spec.mandatory) return { code: 'empty-value', message: `'${k}' must not be empty`, hint: spec.doc };
    if (spec.allowEmpty || ['string', 'path', 'target-or-dir', 'url', 'step-module', 'target-list', 'dir-list', 'regex-list', 'abs-path', 'command'].includes(spec.type)) return undefined;
  }
  switch (spec.type) {
    case 'int': {
      const n = number(value);
      if (n === undefined || !Number.isInteger(n)) return typeIssue('bad-int', spec, value, 'an integer', `for example ${k} = ${spec.default || 1}`);
      if (spec.min !== undefined && n < spec.min) return { code: 'too-small', message: `'${k}' must be at least ${spec.min}, not ${value}`, hint: spec.doc };
      if (spec.max !== undefined && n > spec.max) return { code: 'too-large', message: `'${k}' must be at most ${spec.max}, not ${value}`, hint: spec.doc };
      return undefined;
    }
    case 'float': {
      const n = number(value);
      if (n === undefined) return typeIssue('bad-number', spec, value, 'a number', `for example ${k} = ${spec.default || 1}`);
      if (spec.min !== undefined && n < spec.min) return { code: 'too-small', message: `'${k}' must be at least ${spec.min}, not ${value}`, hint: spec.doc };
      return undefined;
    }
    case 'bool':
      return toBool(value) === undefined ? typeIssue('bad-bool', spec, value, 'a boolean', 'write 1 or 0 (true/false, yes/no, on/off also work)') : undefined;
    case 'enum': {
      const values = spec.values ?? [];
      if (values.includes(value)) return undefined;
      const close = suggest(value, values);
      return { code: 'bad-enum', message: `'${k}' must be one of ${values.join(', ')}, not '${value}'`, hint: close ? `did you mean '${close}'?` : '' };
    }
    case 'version':
      return /^[a-z0-9_.-]+$/.test(value) ? undefined : { code: 'bad-version', message: `'${k}' must match [a-z0-9-_.]+, not '${value}'`, hint: 'for example _version = 1.0.0' };
    case 'abs-path':
      return path.isAbsolute(value) ? undefined : { code: 'relative-path', message: `'${k}' must be an absolute path, not '${value}'`, hint: 'start it with /' };
    case 'target-or-dir':
      return path.isAbsolute(value) || TARGET_PATTERN.test(value)
        ? undefined
        : { code: 'bad-target', message: `'${k}' must be plugin/step or an absolute directory, not '${value}'`, hint: 'for example my_plugin/main or /data/out' };
    case 'step-module': {
      if (value.startsWith('builtin:')) {
        const name = value.slice('builtin:'.length);
        if ((BUILTIN_STEPS as readonly string[]).includes(name)) return undefined;
        const close = suggest(name, BUILTIN_STEPS);
        return { code: 'unknown-builtin', message: `unknown built-in step '${name}'`, hint: close ? `did you mean 'builtin:${close}'?` : `built-ins: ${BUILTIN_STEPS.join(', ')}` };
      }
      if (path.isAbsolute(value) || value.split(/[\\/]/).includes('..')) return { code: 'bad-step-module', message: `'${k}' must be a path inside the plugin directory, not '${value}'`, hint: 'for example main.ts' };
      return /\.(ts|js|mjs|cjs|mts|cts)$/.test(value) ? undefined : { code: 'bad-step-module', message: `'${k}' must name a .ts or .js file, not '${value}'`, hint: 'for example main.ts, or builtin:move' };
    }
    case 'regex-list': {
      let offset = 0;
      for (const item of value.split(';')) {
        const error = item.trim() === '' ? undefined : regexError(item);
        if (error) return { code: 'bad-regex', message: `invalid regular expression '${item}' in '${k}': ${error}`, hint: 'patterns are separated by ;', offset, length: item.length };
        offset += item.length + 1;
      }
      return undefined;
    }
    case 'target-list': {
      const { bad } = parseTargetList(value, 'plugin');
      if (bad.length === 0) return undefined;
      return { code: 'bad-target', message: `'${bad[0].item}' in '${k}' is not plugin/step`, hint: 'write plugin/step, with a trailing * to allow a hardlink', offset: bad[0].offset, length: bad[0].item.length };
    }
    case 'command':
      return k === 'command_template' && !value.includes('{PATH}')
        ? { code: 'bad-command', message: `'${k}' must contain {PATH}`, hint: '{PATH} is replaced with the file being processed' }
        : undefined;
    case 'url':
      try {
        new URL(value);
        return undefined;
      } catch {
        return { code: 'bad-url', message: `'${k}' must be a URL, not '${value}'`, hint: 'for example http://localhost:9200' };
      }
    default:
      return undefined;
  }
}

/**
 * MFDATA's plugin name rules ([A-Za-z0-9_-]+, not starting with plugin_ or __, not base or config) and at most 64 characters (the name
 * is part of inbox, log-file and archive names); undefined when the name is valid. `fix` is the hint: what to do
 * where the name came from (a plugin directory for config check, a command argument for the plugin tools).
 */
export function pluginNameIssue(name: string, fix = 'rename the plugin directory'): ValueIssue | undefined {
  if (name.length > PLUGIN_NAME_MAX_LENGTH) return { code: 'long-plugin-name', message: `plugin name too long (${name.length} characters, at most ${PLUGIN_NAME_MAX_LENGTH})`, hint: fix };
  if (!PLUGIN_NAME_PATTERN.test(name)) return { code: 'bad-plugin-name', message: `invalid plugin name '${name}': only letters, digits, _ and -`, hint: fix };
  if (name.startsWith('plugin_') || name.startsWith('__')) return { code: 'reserved-plugin-name', message: `plugin name '${name}' must not start with 'plugin_' or '__'`, hint: fix };
  if ((RESERVED_PLUGIN_NAMES as readonly string[]).includes(name)) return { code: 'reserved-plugin-name', message: `plugin name '${name}' is reserved`, hint: fix };
  return undefined;
}

export function stepNameIssue(name: string): ValueIssue | undefined {
  return STEP_NAME_PATTERN.test(name) ? undefined : { code: 'bad-step-name', message: `invalid step name '${name}'`, hint: 'use only letters, digits and _' };
}
