// Configuration problems: one record shape for every syntax, schema and cross-file problem, and its CLI format.

export type ProblemSeverity = 'error' | 'warning';

/**
 * One problem found in a configuration file. Lines and columns are 1-based; `endColumn` is exclusive
 * (the column just after the offending text), columns count UTF-16 code units and a tab is one column,
 * so an editor can turn them into a range directly (subtract 1 from line and columns).
 */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  endColumn: number;
  severity: ProblemSeverity;
  /** Stable machine-readable code (`unknown-key`, `bad-int`, `duplicate-section`…) for quick fixes and tests. */
  code: string;
  message: string;
  key?: string;
  section?: string;
  /** What to do about it; '' when the message says it all. */
  hint: string;
}

/** `<file>:<line>:<col>: error: <message> (<hint>)`: the format of `mfdata config check` and every CLI error. */
export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`;
}

export function hasErrors(problems: readonly ConfigProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Stable order: file, line, column, then message (so outputs and tests never depend on discovery order). */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** Thrown when a caller needs a usable configuration and the files hold errors; carries every problem. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(
      errors.length === 0
        ? 'configuration problems'
        : `${errors.length} configuration error(s); first: ${formatProblem(errors[0])}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
