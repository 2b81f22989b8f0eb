// Diagnostics: every problem `mfdata config check` reports for the file (same codes and messages), plus the
// checks only an editor can afford: missing directories, queues naming no step, the regex error's column.
import * as path from 'node:path';
import type { ConfigProblem } from '../../../runtime/config/errors';
import { suggest } from '../../../runtime/config/suggest';
import { findKeySpec } from '../../../runtime/config/schema';
import { splitList } from '../../../runtime/config/values';
import { stepModuleOf, type Analysis } from './analysis';
import { regexErrorOffset } from './regex-error';
import type { LanguageDiagnostic, LanguageEnvironment } from './types';

/** `<message> (<hint>)`: what `mfdata config check` prints after the severity. */
export function problemText(p: Pick<ConfigProblem, 'message' | 'hint'>): string {
  return `${p.message}${p.hint ? ` (${p.hint})` : ''}`;
}

function toDiagnostic(p: ConfigProblem): LanguageDiagnostic {
  return {
    range: { start: { line: p.line - 1, character: p.column - 1 }, end: { line: p.line - 1, character: Math.max(p.endColumn, p.column + 1) - 1 } },
    severity: p.severity,
    code: p.code,
    message: problemText(p),
    key: p.key,
    section: p.section,
  };
}

/** Narrows an invalid regular expression's range to the character that breaks it. */
function narrowRegex(d: LanguageDiagnostic, a: Analysis): void {
  const r = d.range;
  const item = (a.lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  // A switch rule key may hold @@@@@@ / ~~~~~~ escapes: offsets in the pattern are not offsets in the text.
  if (item.includes('@@@@@@') || item.includes('~~~~~~')) return;
  const offset = regexErrorOffset(item);
  if (offset === undefined) return;
  d.range = { start: { line: r.start.line, character: r.start.character + offset }, end: { line: r.start.line, character: r.start.character + offset + 1 } };
}

function warning(p: Omit<ConfigProblem, 'severity' | 'file'>, file: string): ConfigProblem {
  return { ...p, file, severity: 'warning' };
}

/** Absolute directories a value names (after {{VAR}} expansion) with the 0-based offset of each in the written value. */
function namedDirectories(type: string, written: string, expanded: string): { dir: string; offset: number; length: number }[] {
  const same = written === expanded;
  const whole = [{ dir: expanded, offset: 0, length: written.length }];
  if (type === 'abs-path' || type === 'target-or-dir') return path.isAbsolute(expanded) ? whole : [];
  if (type !== 'dir-list') return [];
  if (!same) return splitList(expanded).filter((d) => path.isAbsolute(d) && !d.includes('{')).map((dir) => ({ dir, offset: 0, length: written.length }));
  const out: { dir: string; offset: number; length: number }[] = [];
  let offset = 0;
  for (const raw of written.split(',')) {
    const dir = raw.trim();
    if (path.isAbsolute(dir) && !dir.includes('{')) out.push({ dir, offset: offset + raw.indexOf(dir), length: dir.length });
    offset += raw.length + 1;
  }
  return out;
}

function editorProblems(a: Analysis, env: LanguageEnvironment): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { kind } = a.info;
  const queues = (a.ctx.knownSteps ?? []).map((s) => `step.${s.replace('/', '.')}`);
  for (const s of a.checked.sections) {
    if (!s.spec || s.spec.freeKeys) continue;
    const stepModule = stepModuleOf(a, s.section);
    for (const [key, v] of s.values) {
      if (!v.valid) continue;
      const spec = findKeySpec(kind, s.name, key, stepModule);
      if (!spec) continue;
      const span = v.entry.valueSpan;
      for (const d of namedDirectories(spec.type, v.entry.value, v.value)) {
        if (env.isDirectory(d.dir)) continue;
        problems.push(warning({
          line: span.line, column: span.column + d.offset, endColumn: span.column + d.offset + Math.max(1, d.length),
          code: 'missing-directory', message: `directory '${d.dir}' does not exist`, hint: 'create it, or fix the path', key, section: s.name,
        }, a.path));
      }
      if (kind === 'observer' && key === 'queue' && v.value !== '' && !queues.includes(v.value)) {
        const close = suggest(v.value, queues);
        problems.push(warning({
          line: span.line, column: span.column, endColumn: span.endColumn, code: 'unknown-queue',
          message: `queue '${v.value}' matches no plugin step`,
          hint: close ? `did you mean '${close}'?` : queues.length ? `step queues: ${queues.join(', ')}` : 'no plugin declares a step yet',
          key, section: s.name,
        }, a.path));
      }
    }
  }
  return problems;
}

/** Every diagnostic of an analysed document, sorted by position. */
export function diagnose(a: Analysis, env: LanguageEnvironment): LanguageDiagnostic[] {
  const diagnostics = [...a.checked.problems, ...editorProblems(a, env)].map(toDiagnostic);
  for (const d of diagnostics) if (d.code === 'bad-regex') narrowRegex(d, a);
  return diagnostics.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
}

