// Step references in a document: `plugin/step` targets, observer queues `step.<plugin>.<step>`, `[step_<name>]` headers.
import { findKeySpec } from '../../../runtime/config/schema';
import { parseTargetList, TARGET_PATTERN } from '../../../runtime/config/values';
import { contains, sectionAt, spanRange, stepModuleOf, type Analysis } from './analysis';
import type { Position, StepReference } from './types';

const QUEUE = /^step\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)$/;

/** The step reference under a position, if any. */
export function referenceAt(a: Analysis, p: Position): StepReference | undefined {
  const section = sectionAt(a, p.line);
  if (!section) return undefined;
  const plugin = a.info.plugin?.name;
  if (section.headerSpan.line - 1 === p.line) {
    const m = /^step_([A-Za-z0-9_]+)$/.exec(section.name);
    return m && plugin && a.info.kind !== 'module' && contains(spanRange(section.nameSpan), p)
      ? { plugin, step: m[1], range: spanRange(section.nameSpan) }
      : undefined;
  }
  const entry = section.entries.find((e) => e.valueSpan.line - 1 === p.line && contains(spanRange(e.valueSpan), p));
  if (!entry) return undefined;
  const start = entry.valueSpan.column - 1;
  const line = p.line;
  const at = (offset: number, length: number): StepReference['range'] => ({ start: { line, character: start + offset }, end: { line, character: start + offset + length } });
  if (a.info.kind === 'observer') {
    const m = entry.key === 'queue' ? QUEUE.exec(entry.value) : null;
    return m ? { plugin: m[1], step: m[2], range: at(0, entry.value.length) } : undefined;
  }
  const isSwitchRule = section.name.startsWith('switch_rules');
  const type = isSwitchRule ? 'target-list' : findKeySpec(a.info.kind, section.name, entry.key, stepModuleOf(a, section))?.type;
  if (type === 'target-or-dir') {
    const m = TARGET_PATTERN.exec(entry.value);
    return m ? { plugin: m[1], step: m[2], range: at(0, entry.value.length) } : undefined;
  }
  if (type === 'target-list') {
    const t = parseTargetList(entry.value, plugin ?? '').targets.find((x) => p.character >= start + x.offset && p.character <= start + x.offset + x.length);
    return t ? { plugin: t.plugin, step: t.step, range: at(t.offset, t.length) } : undefined;
  }
  return undefined;
}
