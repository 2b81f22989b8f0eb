// Quick fixes for diagnostics: create a missing directory, fix a misspelt key, value, target or queue,
// add a missing mandatory key to its section.
import { findSectionSpec, keysOfSection, type KeySpec } from '../../../runtime/config/schema';
import { suggest } from '../../../runtime/config/suggest';
import { getSection } from '../../../runtime/config/ini-parser';
import { entryAt, spanRange, stepModuleOf, type Analysis } from './analysis';
import type { CodeAction, LanguageDiagnostic, Range } from './types';

/** `did you mean 'x'?` in a hint: the suggestion the checker already computed. */
function suggestion(message: string): string | undefined {
  return /did you mean '([^']+)'\?/.exec(message)?.[1];
}

function textOf(a: Analysis, r: Range): string {
  return (a.lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
}

/**
 * What an added key starts with: its default, else a step that exists for a target or a queue (not the section's own
 * step: a file sent to itself loops), else the schema's example; never empty (an empty mandatory value is an error).
 */
function startValue(a: Analysis, spec: KeySpec, section: string): string {
  if (spec.default !== '') return spec.default;
  const own = `${a.info.plugin?.name}/${section.replace(/^step_/, '')}`;
  const step = a.ctx.knownSteps?.find((s) => s !== own);
  if (step && spec.key === 'queue') return `step.${step.replace('/', '.')}`;
  if (step && (spec.type === 'target-list' || spec.type === 'target-or-dir')) return step;
  return spec.example ?? '…';
}

function addKey(a: Analysis, d: LanguageDiagnostic): CodeAction | undefined {
  const section = d.section ? getSection(a.checked.doc, d.section) : undefined;
  if (!section || !d.key) return undefined;
  // "neither redis_unix_socket nor redis_server": the socket is what the runtime's own Redis listens on.
  const key = a.info.kind === 'observer' && d.key === 'redis_server' ? 'redis_unix_socket' : d.key;
  const spec = keysOfSection(a.info.kind, section.name, stepModuleOf(a, section)).find((k) => k.key === key);
  const value = key === 'redis_unix_socket' ? `${a.ctx.home.replace(/\/$/, '')}/var/redis.sock` : spec ? startValue(a, spec, section.name) : '';
  const last = section.entries.length > 0 ? section.entries[section.entries.length - 1].valueSpan : section.headerSpan;
  const lineText = a.lines[last.line - 1] ?? '';
  const at = { line: last.line - 1, character: lineText.length };
  return {
    title: `Add '${key} = ${value}' to [${section.name}]`,
    diagnostic: d,
    isPreferred: true,
    edits: [{ range: { start: at, end: at }, newText: `${a.eol}${key} = ${value}` }],
  };
}

function replaceWith(d: LanguageDiagnostic, title: string, newText: string): CodeAction {
  return { title, diagnostic: d, isPreferred: true, edits: [{ range: d.range, newText }] };
}

/**
 * The fix of an unknown target: the item keeps its form and its hardlink `*`. When a list of bare step names
 * (this plugin's steps, MFDATA rule) needs a step of another plugin, every item is qualified in the same edit:
 * one item with a `/` would make MFDATA read the bare ones as plugin names.
 */
function fixTarget(a: Analysis, d: LanguageDiagnostic, close: string): CodeAction | undefined {
  const written = textOf(a, d.range);
  const star = written.endsWith('*') ? '*' : '';
  const replacement = close + star;
  if (close.includes('/') === written.includes('/')) return replaceWith(d, `Change '${written}' to '${replacement}'`, replacement);
  const entry = entryAt(d.section ? getSection(a.checked.doc, d.section) : undefined, d.range.start.line);
  const plugin = a.info.plugin?.name;
  // Only a list written without {{VAR}}: the item offsets are then offsets in the written text.
  if (!entry || !plugin || entry.value.includes('{{') || written.includes('/')) return undefined;
  const start = d.range.start.character - (entry.valueSpan.column - 1);
  let offset = 0;
  const items = entry.value.split(',').map((raw) => {
    const at = offset;
    offset += raw.length + 1;
    const item = raw.trim();
    if (at + raw.indexOf(item) === start) return raw.replace(item, replacement);
    return item === '' ? raw : raw.replace(item, `${plugin}/${item}`);
  });
  return {
    title: `Change '${written}' to '${replacement}' (and write the other items as ${plugin}/<step>)`,
    diagnostic: d,
    isPreferred: true,
    edits: [{ range: spanRange(entry.valueSpan), newText: items.join(',') }],
  };
}

/** The fixes for the given diagnostics (those of this document that touch the requested range). */
export function codeActions(a: Analysis, diagnostics: readonly LanguageDiagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    switch (d.code) {
      case 'missing-directory': {
        const dir = /^directory '(.+)' does not exist/.exec(d.message)?.[1];
        if (dir) actions.push({ title: `Create directory ${dir}`, diagnostic: d, isPreferred: true, createDirectory: dir });
        break;
      }
      case 'unknown-key': {
        const section = d.section ? getSection(a.checked.doc, d.section) : undefined;
        const written = textOf(a, d.range);
        const spec = section ? findSectionSpec(a.info.kind, section.name) : undefined;
        const candidates = spec ? keysOfSection(a.info.kind, section!.name, stepModuleOf(a, section)).map((k) => k.key) : [];
        const present = new Set(section?.entries.map((e) => e.key));
        const close = suggestion(d.message) ?? suggest(written, candidates.filter((k) => !present.has(k)));
        if (close) actions.push(replaceWith(d, `Change '${written}' to '${close}'`, close));
        break;
      }
      case 'unknown-target': {
        const close = suggestion(d.message);
        const action = close ? fixTarget(a, d, close) : undefined;
        if (action) actions.push(action);
        break;
      }
      case 'bad-enum':
      case 'unknown-queue':
      case 'unknown-builtin': {
        const close = suggestion(d.message);
        if (close) actions.push(replaceWith(d, `Change '${textOf(a, d.range)}' to '${close}'`, close));
        break;
      }
      case 'missing-key': {
        const action = addKey(a, d);
        if (action) actions.push(action);
        break;
      }
    }
  }
  return actions;
}
