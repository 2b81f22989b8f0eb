// A position-keeping INI parser with MFDATA's rules: every section, key, value and comment with its range.
// Why not the `ini` package: it drops positions, merges duplicate sections/keys and treats `;`/`#` after a
// value as a comment, so it could neither report file:line:column nor follow MFDATA's parser.
import type { ConfigProblem } from './errors';

/** A 1-based line with a 1-based start column and an exclusive end column. */
export interface Span {
  line: number;
  column: number;
  endColumn: number;
}

export interface IniComment extends Span {
  /** The whole line, trimmed, including its `#` or `;`. */
  text: string;
}

export interface IniEntry {
  /** The file this entry was read from (an operator override entry keeps its own file). */
  file: string;
  key: string;
  keySpan: Span;
  /** The value with surrounding blanks removed; `# text` after a value is part of the value (MFDATA rule). */
  value: string;
  valueSpan: Span;
  /** `key[DEV] = …`: the variant name. Variants are parsed but not applied (reported as a warning). */
  variant?: string;
}

export interface IniSection {
  file: string;
  name: string;
  /** The whole `[name]` header. */
  headerSpan: Span;
  /** Just `name`, inside the brackets. */
  nameSpan: Span;
  entries: IniEntry[];
  /** Last line belonging to this section (before the next header or the end of file). */
  endLine: number;
}

export interface IniDocument {
  file: string;
  sections: IniSection[];
  comments: IniComment[];
  /** Syntax problems (also the duplicate sections and keys). */
  problems: ConfigProblem[];
  lineCount: number;
}

/** Lines longer than this are refused: no real configuration value needs them, and editors choke on them. */
export const MAX_LINE_LENGTH = 65536;

function problem(file: string, span: Span, code: string, message: string, hint: string, extra: Partial<ConfigProblem> = {}): ConfigProblem {
  return { file, line: span.line, column: span.column, endColumn: span.endColumn, severity: 'error', code, message, hint, ...extra };
}

/** Decodes bytes as UTF-8, reporting each line holding invalid bytes (decoded with U+FFFD so parsing goes on). */
function decode(bytes: Uint8Array, file: string, problems: ConfigProblem[]): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const strict = new TextDecoder('utf-8', { fatal: true });
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        const chunk = bytes.subarray(start, i);
        try {
          strict.decode(chunk);
        } catch {
          const loose = new TextDecoder('utf-8').decode(chunk);
          const column = loose.indexOf('\uFFFD') + 1;
          problems.push(problem(file, { line, column, endColumn: column + 1 }, 'invalid-utf8',
            'invalid UTF-8 byte sequence', 'save the file as UTF-8'));
        }
        line++;
        start = i + 1;
      }
    }
    return new TextDecoder('utf-8').decode(bytes);
  }
}

// `key[DEV]`; not in switch rule sections, whose keys are patterns (`*.[ch] = …`).
const KEY_VARIANT = /^([^[\]]*?)\s*\[([A-Za-z0-9_]+)\]$/;

/**
 * Parses an INI document. Never throws: every problem is in `problems`, and the tree holds everything
 * that could be read. Rules: `=` is the only separator; full-line comments start with `#` or `;`;
 * keys and section names are case-sensitive; continuation lines are not supported; a BOM is dropped;
 * CRLF, CR and LF all end a line.
 */
export function parseIni(source: string | Uint8Array, file: string): IniDocument {
  const problems: ConfigProblem[] = [];
  let text = typeof source === 'string' ? source : decode(source, file, problems);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const doc: IniDocument = { file, sections: [], comments: [], problems, lineCount: text === '' ? 0 : lines.length };
  const firstSection = new Map<string, IniSection>();
  let current: IniSection | undefined;
  let firstKey = new Map<string, IniEntry>();
  let previousWasEntry = false;

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    if (raw.length > MAX_LINE_LENGTH) {
      problems.push(problem(file, { line: lineNo, column: 1, endColumn: MAX_LINE_LENGTH + 1 }, 'line-too-long',
        `line is ${raw.length} characters long (limit ${MAX_LINE_LENGTH})`, 'split the value or read it from a file'));
      previousWasEntry = false;
      continue;
    }
    const trimmed = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    const startCol = indent + 1;
    const endCol = indent + trimmed.length + 1;
    if (trimmed === '') {
      previousWasEntry = false;
      continue;
    }
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) {
      doc.comments.push({ line: lineNo, column: startCol, endColumn: endCol, text: trimmed });
      continue;
    }
    if (indent > 0 && previousWasEntry) {
      problems.push(problem(file, { line: lineNo, column: startCol, endColumn: endCol }, 'continuation-line',
        'continuation lines are not supported', 'put the whole value on the line of its key, or remove the indentation'));
      continue;
    }
    if (trimmed.startsWith('[')) {
      previousWasEntry = false;
      const close = trimmed.indexOf(']');
      if (close === -1) {
        problems.push(problem(file, { line: lineNo, column: startCol, endColumn: endCol }, 'unclosed-section',
          'unclosed section header', "end the header with ']'"));
        current = undefined;
        continue;
      }
      const inner = trimmed.slice(1, close);
      const name = inner.trim();
      const nameCol = startCol + 1 + (inner.length - inner.trimStart().length);
      const section: IniSection = {
        file,
        name,
        headerSpan: { line: lineNo, column: startCol, endColumn: startCol + close + 1 },
        nameSpan: { line: lineNo, column: nameCol, endColumn: nameCol + name.length },
        entries: [],
        endLine: lineNo,
      };
      const after = trimmed.slice(close + 1).trim();
      if (after !== '') {
        const col = startCol + trimmed.indexOf(after, close + 1);
        problems.push(problem(file, { line: lineNo, column: col, endColumn: endCol }, 'text-after-section',
          `unexpected text after section header [${name}]`, 'comments must be on their own line'));
      }
      if (name === '') {
        problems.push(problem(file, section.headerSpan, 'empty-section-name', 'empty section name', 'write a name between the brackets'));
      }
      const first = firstSection.get(name);
      if (first) {
        problems.push(problem(file, section.nameSpan, 'duplicate-section',
          `duplicate section [${name}] (first defined at line ${first.headerSpan.line})`, 'merge the two sections into one', { section: name }));
      } else {
        firstSection.set(name, section);
      }
      doc.sections.push(section);
      current = section;
      firstKey = new Map();
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (eq === -1) {
      previousWasEntry = false;
      const colon = trimmed.indexOf(':');
      if (colon > 0) {
        problems.push(problem(file, { line: lineNo, column: startCol, endColumn: endCol }, 'colon-separator',
          "missing '=': MFDATA configuration uses '=' only", `write '${trimmed.slice(0, colon).trim()} = ${trimmed.slice(colon + 1).trim()}'`));
      } else {
        problems.push(problem(file, { line: lineNo, column: startCol, endColumn: endCol }, 'missing-equals',
          "expected 'key = value', a [section] header or a comment", "add '=' between the key and its value"));
      }
      continue;
    }
    previousWasEntry = true;
    const keyRaw = trimmed.slice(0, eq);
    let key = keyRaw.trimEnd();
    const valueRaw = trimmed.slice(eq + 1);
    const value = valueRaw.trim();
    const valueCol = startCol + eq + 1 + (valueRaw.length - valueRaw.trimStart().length);
    const keySpan: Span = { line: lineNo, column: startCol, endColumn: startCol + key.length };
    const valueSpan: Span = { line: lineNo, column: valueCol, endColumn: valueCol + value.length };
    if (key === '') {
      problems.push(problem(file, { line: lineNo, column: startCol, endColumn: startCol + 1 }, 'empty-key',
        "missing key before '='", "write 'key = value'"));
      continue;
    }
    if (!current) {
      problems.push(problem(file, keySpan, 'key-outside-section', `key '${key}' outside any section`,
        'put it under a [section] header', { key }));
      continue;
    }
    let variant: string | undefined;
    const v = current.name.startsWith('switch_rules') ? null : KEY_VARIANT.exec(key);
    if (v) {
      key = v[1].trimEnd();
      variant = v[2];
    }
    const entry: IniEntry = { file, key, keySpan, value, valueSpan, variant };
    if (variant === undefined) {
      const first = firstKey.get(key);
      if (first) {
        problems.push(problem(file, keySpan, 'duplicate-key',
          `duplicate key '${key}' in [${current.name}] (first defined at line ${first.keySpan.line})`, 'keep only one of them',
          { key, section: current.name }));
      } else {
        firstKey.set(key, entry);
      }
    }
    current.entries.push(entry);
    current.endLine = lineNo;
  }
  for (let i = 0; i < doc.sections.length; i++) {
    const next = doc.sections[i + 1];
    doc.sections[i].endLine = next ? next.headerSpan.line - 1 : Math.max(doc.lineCount, doc.sections[i].headerSpan.line);
  }
  return doc;
}

/** The first section with this name (duplicates are already reported by the parser). */
export function getSection(doc: Pick<IniDocument, 'sections'>, name: string): IniSection | undefined {
  return doc.sections.find((s) => s.name === name);
}

/** The first plain (non-variant) entry with this key. */
export function getEntry(section: IniSection | undefined, key: string): IniEntry | undefined {
  return section?.entries.find((e) => e.key === key && e.variant === undefined);
}
