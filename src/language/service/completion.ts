// Completion: section names, the keys a section may still take (docs, defaults), and values by the key's type:
// enum values, booleans, built-in steps, plugin/step targets, queues, directories.
import * as path from 'node:path';
import { runtimeHome } from '../../../runtime/home';
import { BUILTIN_STEPS, findSectionSpec, keysOfSection, schema, SWITCH_RULE_TYPES, type KeySpec, type ValueType } from '../../../runtime/config/schema';
import { sectionAt, stepModuleOf, type Analysis } from './analysis';
import { keyDetail, keyDocumentation } from './hover';
import type { CompletionItem, LanguageEnvironment, Position, Range } from './types';

const LIST_SEPARATOR: Partial<Record<ValueType, string>> = { 'target-list': ',', 'dir-list': ',', 'regex-list': ';' };

function range(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** Section names: the fixed ones not yet written, and templates for the named ones. */
function sectionItems(a: Analysis, line: string, p: Position): CompletionItem[] {
  const open = line.indexOf('[');
  const close = line.indexOf(']', open);
  const r = range(p.line, open + 1, close === -1 ? line.trimEnd().length : close);
  const suffix = close === -1 ? ']' : '';
  const present = new Set(a.checked.doc.sections.map((s) => s.name));
  const items: CompletionItem[] = [];
  const add = (label: string, doc: string, sortText: string): void => {
    items.push({ label, kind: 'section', detail: schema[a.info.kind].title, documentation: doc, insertText: label + suffix, range: r, sortText });
  };
  for (const spec of schema[a.info.kind].sections) {
    const fixed = /^[a-z_]+$/.test(spec.title);
    if (fixed && !present.has(spec.title)) add(spec.title, spec.doc, `0${spec.title}`);
  }
  if (a.info.kind === 'plugin' || a.info.kind === 'override') {
    if (!present.has('step_main')) add('step_main', findSectionSpec('plugin', 'step_main')!.doc, '1step_main');
    if (a.info.kind === 'plugin') for (const t of SWITCH_RULE_TYPES) add(`switch_rules:${t}${t === 'alwaystrue' || t === 'function' ? '' : ':'}`, findSectionSpec('plugin', 'switch_rules:regex')!.doc, `2${t}`);
  }
  if (a.info.kind === 'observer') {
    for (const s of a.ctx.knownSteps ?? []) {
      const name = `step_${s.replace('/', '_')}`;
      if (!present.has(name)) add(name, `watch the inbox of ${s}`, `1${name}`);
    }
  }
  return items;
}

function keyItems(a: Analysis, line: string, p: Position, sectionName: string, stepModule: string | undefined, present: Set<string>): CompletionItem[] {
  const spec = findSectionSpec(a.info.kind, sectionName);
  if (!spec || spec.freeKeys) return [];
  const start = line.length - line.trimStart().length;
  const eq = line.indexOf('=');
  const r = range(p.line, start, eq === -1 ? line.trimEnd().length : line.slice(0, eq).trimEnd().length);
  return keysOfSection(a.info.kind, sectionName, stepModule)
    .filter((k) => !present.has(k.key))
    .filter((k) => a.info.kind !== 'override' || !k.key.startsWith('_'))
    // Mandatory keys first, then the schema's order (related keys stay together).
    .map((k, i) => ({
      label: k.key,
      kind: 'key' as const,
      detail: keyDetail(k),
      documentation: keyDocumentation(k, spec.title),
      insertText: eq === -1 ? `${k.key} = ${k.default}` : k.key,
      range: r,
      sortText: `${k.mandatory ? 0 : 1}${String(i).padStart(3, '0')}`,
    }))
    .sort((x, y) => (x.sortText < y.sortText ? -1 : 1));
}

/** Directories under the typed prefix: absolute, or (dir-list) relative to the inbox root. */
function directoryItems(env: LanguageEnvironment, typed: string, r: Range, type: ValueType): CompletionItem[] {
  const relative = type === 'dir-list' && !typed.startsWith('/');
  let base = typed.slice(0, typed.lastIndexOf('/') + 1);
  if (!relative && base === '') base = '/';
  const dir = relative ? path.join(runtimeHome(env.home).inDir, base) : base;
  const items: CompletionItem[] = env.listDirectories(dir).map((name) => ({
    label: `${base}${name}/`, kind: 'folder' as const, insertText: `${base}${name}`, range: r, detail: path.join(dir, name),
  }));
  if (relative && typed === '') {
    items.unshift({ label: '{MFDATA_CURRENT_STEP_DIR}', kind: 'value', insertText: '{MFDATA_CURRENT_STEP_DIR}', range: r, detail: 'the step inbox', sortText: '0' });
  }
  return items;
}

function valueItems(a: Analysis, env: LanguageEnvironment, spec: KeySpec | undefined, key: string, line: string, p: Position, valueStart: number): CompletionItem[] {
  const type: ValueType | 'queue' | undefined = a.info.kind === 'observer' && key === 'queue' ? 'queue' : spec?.type;
  if (!type) return [];
  const sep = type === 'queue' ? undefined : LIST_SEPARATOR[type];
  let start = valueStart;
  let end = line.trimEnd().length;
  if (sep) {
    const before = line.lastIndexOf(sep, p.character - 1);
    if (before >= valueStart) start = before + 1;
    while (start < p.character && line[start] === ' ') start++;
    const after = line.indexOf(sep, p.character);
    if (after !== -1) end = after;
  }
  const r = range(p.line, start, Math.max(start, end));
  const typed = line.slice(start, p.character);
  const simple = (values: readonly string[], kind: CompletionItem['kind'], detail?: string): CompletionItem[] =>
    values.map((v, i) => ({ label: v, kind, insertText: v, range: r, detail, sortText: String(i).padStart(3, '0') }));
  switch (type) {
    case 'bool':
      return simple(['1', '0', 'true', 'false'], 'enum', `default ${spec?.default || '0'}`);
    case 'enum':
      return simple(spec?.values ?? [], 'enum', `default ${spec?.default}`);
    case 'step-module': {
      const files = a.info.plugin ? env.listFiles(a.info.plugin.dir).filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts')) : [];
      return [...simple(files, 'file', 'step module'), ...simple(BUILTIN_STEPS.map((b) => `builtin:${b}`), 'value', 'built-in step')];
    }
    case 'queue':
      return simple((a.ctx.knownSteps ?? []).map((s) => `step.${s.replace('/', '.')}`), 'queue', 'step queue');
    case 'target-list':
    case 'target-or-dir': {
      const steps = simple(a.ctx.knownSteps ?? [], 'step', 'plugin/step');
      return type === 'target-or-dir' && typed.startsWith('/') ? directoryItems(env, typed, r, type) : steps;
    }
    case 'abs-path':
    case 'dir-list':
    case 'path':
      return directoryItems(env, typed, r, type);
    default:
      return spec && spec.default !== '' ? simple([spec.default], 'value', 'default') : [];
  }
}

/** Completion items at a position. */
export function complete(a: Analysis, env: LanguageEnvironment, p: Position): CompletionItem[] {
  const line = a.lines[p.line] ?? '';
  const before = line.slice(0, p.character);
  const trimmed = before.trimStart();
  if (trimmed.startsWith('#') || trimmed.startsWith(';')) return [];
  if (trimmed.startsWith('[')) return sectionItems(a, line, p);
  const section = sectionAt(a, p.line);
  if (!section || section.headerSpan.line - 1 === p.line) return [];
  const stepModule = stepModuleOf(a, section);
  const eq = before.indexOf('=');
  if (eq === -1) {
    const present = new Set(section.entries.filter((e) => e.keySpan.line - 1 !== p.line).map((e) => e.key));
    return keyItems(a, line, p, section.name, stepModule, present);
  }
  const key = before.slice(0, eq).trim();
  let valueStart = eq + 1;
  while (valueStart < p.character && (line[valueStart] === ' ' || line[valueStart] === '\t')) valueStart++;
  if (section.name.startsWith('switch_rules') && a.info.kind === 'plugin') {
    return valueItems(a, env, { key, type: 'target-list', default: '', doc: '' }, key, line, p, valueStart);
  }
  const spec = keysOfSection(a.info.kind, section.name, stepModule).find((k) => k.key === key);
  return valueItems(a, env, spec, key, line, p, valueStart);
}
