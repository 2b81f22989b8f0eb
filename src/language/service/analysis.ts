// One document, checked once per text: the same checkDocument `mfdata config check` runs, plus line access.
import { getEntry, type IniEntry, type IniSection, type Span } from '../../../runtime/config/ini-parser';
import { checkDocument, type CheckContext, type CheckedDocument } from '../../../runtime/config/validate';
import type { DocumentInfo, LanguageEnvironment, Position, Range, TextDocumentLike } from './types';

export interface Analysis {
  path: string;
  info: DocumentInfo;
  /** The document's lines (BOM dropped, CRLF/CR/LF all end a line), as the parser numbered them. */
  lines: string[];
  /** The line break to use in edits ('\r\n' when the document uses it). */
  eol: string;
  ctx: CheckContext;
  checked: CheckedDocument;
}

/** A parser span (1-based, end exclusive) as a 0-based range. */
export function spanRange(s: Span): Range {
  return { start: { line: s.line - 1, character: s.column - 1 }, end: { line: s.line - 1, character: s.endColumn - 1 } };
}

export function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

export function pos(line: number, character: number): Position {
  return { line, character };
}

/**
 * The steps targets may name while this document is edited: what is on disk, except that a plugin's
 * own steps come from the text being edited (a step added a second ago is already a valid target).
 */
function knownStepsFor(info: DocumentInfo, checkedSteps: string[], env: LanguageEnvironment): string[] {
  const disk = env.knownSteps();
  if (info.kind !== 'plugin' || !info.plugin) return [...disk];
  const own = `${info.plugin.name}/`;
  return [...new Set([...disk.filter((s) => !s.startsWith(own)), ...checkedSteps.map((s) => own + s)])].sort();
}

/** Checks a document as `mfdata config check` does; undefined when its path is no configuration file. */
export function analyze(doc: TextDocumentLike, env: LanguageEnvironment): Analysis | undefined {
  const info = env.classify(doc.path);
  if (!info) return undefined;
  const text = doc.text.charCodeAt(0) === 0xfeff ? doc.text.slice(1) : doc.text;
  const lines = text.split(/\r\n|\n|\r/);
  const ownSteps = [...text.matchAll(/^[ \t]*\[[ \t]*step_([A-Za-z0-9_]+)[ \t]*\]/gm)].map((m) => m[1]);
  const ctx: CheckContext = { env: env.env, home: env.home, plugin: info.plugin, knownSteps: knownStepsFor(info, ownSteps, env) };
  if (info.kind === 'override' && info.plugin) {
    const layout = env.pluginLayout(info.plugin);
    ctx.pluginStepModules = layout.stepModules;
    if (layout.sections.length > 0) ctx.pluginSections = layout.sections;
  }
  const checked = checkDocument(info.kind, text, doc.path, ctx);
  return { path: doc.path, info, lines, eol: text.includes('\r\n') ? '\r\n' : '\n', ctx, checked };
}

/** The section a 0-based line belongs to (the last header at or above it). */
export function sectionAt(a: Analysis, line: number): IniSection | undefined {
  let found: IniSection | undefined;
  for (const s of a.checked.doc.sections) {
    if (s.headerSpan.line - 1 <= line) found = s;
    else break;
  }
  return found;
}

/** `_step_module` of a step section as written (selects the built-in options); an override's comes from its plugin. */
export function stepModuleOf(a: Analysis, section: IniSection | undefined): string | undefined {
  if (a.info.kind === 'override') return section ? a.ctx.pluginStepModules?.[section.name] : undefined;
  return getEntry(section, '_step_module')?.value;
}

/** The entry written on a 0-based line. */
export function entryAt(section: IniSection | undefined, line: number): IniEntry | undefined {
  return section?.entries.find((e) => e.keySpan.line - 1 === line);
}
