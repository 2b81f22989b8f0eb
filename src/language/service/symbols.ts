// Outline (sections, then their keys) and go-to-definition from a step reference to its `[step_<name>]` section.
import { spanRange, type Analysis } from './analysis';
import { referenceAt } from './references';
import type { DocumentSymbol, LanguageEnvironment, Location, Position } from './types';

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  return a.checked.doc.sections.map((s) => {
    const lastLine = Math.max(s.headerSpan.line, s.endLine) - 1;
    const children: DocumentSymbol[] = s.entries.map((e) => {
      const r = { start: spanRange(e.keySpan).start, end: spanRange(e.valueSpan).end };
      return { name: e.variant ? `${e.key}[${e.variant}]` : e.key, detail: e.value, kind: 'key', range: r, selectionRange: spanRange(e.keySpan), children: [] };
    });
    return {
      name: s.name,
      detail: `${s.entries.length} key${s.entries.length === 1 ? '' : 's'}`,
      kind: 'section',
      range: { start: spanRange(s.headerSpan).start, end: { line: lastLine, character: (a.lines[lastLine] ?? '').length } },
      selectionRange: spanRange(s.nameSpan),
      children,
    };
  });
}

/** Where the step a reference names is declared: this document when it is that plugin's config.ini, else on disk. */
export function definition(a: Analysis, env: LanguageEnvironment, p: Position): Location | undefined {
  const ref = referenceAt(a, p);
  if (!ref) return undefined;
  if (a.info.kind === 'plugin' && a.info.plugin?.name === ref.plugin) {
    const section = a.checked.doc.sections.find((s) => s.name === `step_${ref.step}`);
    return section ? { path: a.path, range: spanRange(section.nameSpan) } : undefined;
  }
  return env.stepLocation(ref.plugin, ref.step);
}

/** Folding by section: from its header to its last non-blank line (0-based, inclusive). */
export function foldingRanges(a: Analysis): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const s of a.checked.doc.sections) {
    const start = s.headerSpan.line - 1;
    let end = Math.max(s.headerSpan.line, s.endLine) - 1;
    while (end > start && (a.lines[end] ?? '').trim() === '') end--;
    if (end > start) out.push({ start, end });
  }
  return out;
}
