// Hover: a key's documentation, type and default from the schema; a section's purpose; on a step reference,
// the step's queue and, while the runtime runs, its live figures.
import { findKeySpec, findSectionSpec, type KeySpec } from '../../../runtime/config/schema';
import { contains, sectionAt, spanRange, stepModuleOf, type Analysis } from './analysis';
import { referenceAt } from './references';
import type { HoverResult, LiveFigures, NoLiveFigures, Position } from './types';

/** `int · default 600`: the one-line summary of a key. */
export function keyDetail(k: KeySpec): string {
  const def = k.defaultDoc ?? k.default;
  return `${k.type}${k.mandatory ? ' · mandatory' : ''}${def !== '' ? ` · default ${def}` : ''}`;
}

/** The Markdown documentation of a key: what completion and hover show. */
export function keyDocumentation(k: KeySpec, sectionTitle: string): string {
  const lines = [`**${k.key}** in \`[${sectionTitle}]\``, '', k.doc, '', `- type: \`${k.type}\`${k.mandatory ? ' (mandatory)' : ''}`];
  const def = k.defaultDoc ?? k.default;
  lines.push(`- default: ${def === '' ? '(empty)' : `\`${def}\``}`);
  if (k.values) lines.push(`- values: ${k.values.map((v) => `\`${v}\``).join(', ')}`);
  if (k.min !== undefined && (k.type === 'int' || k.type === 'float')) lines.push(`- minimum: ${k.min}`);
  if (k.max !== undefined && k.type === 'int') lines.push(`- maximum: ${k.max}`);
  return lines.join('\n');
}

const NO_FIGURES: Record<NoLiveFigures, string> = {
  'off': 'live figures off (setting `mfdata.language.liveFigures`)',
  'not running': 'runtime not running: no live figures',
  'timed out': 'no live figures: the runtime\'s Redis did not answer in time',
  'unreadable': 'no live figures: the runtime\'s Redis could not be read',
};

/** Hover at a position; undefined over blanks, comments and unknown keys. */
export async function hover(a: Analysis, p: Position, live?: LiveFigures): Promise<HoverResult | undefined> {
  const ref = referenceAt(a, p);
  const section = sectionAt(a, p.line);
  if (ref) {
    const queue = `step.${ref.plugin}.${ref.step}`;
    const known = (a.ctx.knownSteps ?? []).includes(`${ref.plugin}/${ref.step}`);
    const lines = [`**${ref.plugin}/${ref.step}**: queue \`${queue}\`${known ? '' : ' (no such step is declared)'}`];
    const figures = live ? await live.stepFigures(ref.plugin, ref.step) : 'not running';
    lines.push('', typeof figures === 'string' ? NO_FIGURES[figures] : `queued **${figures.queued}** · processed **${figures.processed}** · failed **${figures.failed}**`);
    if (section && section.headerSpan.line - 1 === p.line) lines.push('', findSectionSpec(a.info.kind, section.name)?.doc ?? '');
    return { contents: lines.join('\n'), range: ref.range };
  }
  if (!section) return undefined;
  const spec = findSectionSpec(a.info.kind, section.name);
  if (section.headerSpan.line - 1 === p.line) {
    if (!contains(spanRange(section.headerSpan), p)) return undefined;
    return { contents: spec ? `**[${spec.title}]**\n\n${spec.doc}` : `unknown section \`[${section.name}]\``, range: spanRange(section.nameSpan) };
  }
  const entry = section.entries.find((e) => e.keySpan.line - 1 === p.line);
  if (!entry || !spec) return undefined;
  const keyRange = spanRange(entry.keySpan);
  const onKey = contains(keyRange, p);
  if (!onKey && !contains(spanRange(entry.valueSpan), p)) return undefined;
  if (spec.freeKeys) return { contents: `**[${spec.title}]**\n\n${spec.doc}`, range: keyRange };
  const k = findKeySpec(a.info.kind, section.name, entry.key, stepModuleOf(a, section));
  return k ? { contents: keyDocumentation(k, spec.title), range: onKey ? keyRange : spanRange(entry.valueSpan) } : undefined;
}
