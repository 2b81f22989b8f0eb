// The fork step's `command_template`: split once into an argument vector (no shell), then `{PATH}` filled per file.

export class ForkTemplateError extends Error {
  constructor(readonly template: string, readonly reason: string, readonly hint: string) {
    super(`command_template '${template}': ${reason}${hint ? ` (${hint})` : ''}`);
    this.name = 'ForkTemplateError';
  }
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'busybox']);

/**
 * Splits a command line into words with POSIX quoting only: '…' is literal, "…" honours \" \\ \$ \`,
 * and a backslash outside quotes escapes the next character. Nothing is expanded. Unquoted shell
 * operators (| ; & < > ` $( ) are refused: they would silently become literal arguments.
 */
export function splitCommandLine(template: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === "'") {
      const end = template.indexOf("'", i + 1);
      if (end === -1) throw new ForkTemplateError(template, 'unclosed single quote', "close the quote with '");
      word += template.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < template.length && template[j] !== '"'; j++) {
        if (template[j] === '\\' && '"\\$`'.includes(template[j + 1] ?? '')) j++;
        word += template[j];
      }
      if (j >= template.length) throw new ForkTemplateError(template, 'unclosed double quote', 'close the quote with "');
      i = j;
    } else if (c === '\\') {
      inWord = true;
      if (i + 1 < template.length) word += template[++i];
    } else if ('|;&<>`'.includes(c) || (c === '$' && template[i + 1] === '(')) {
      throw new ForkTemplateError(template, `shell operator '${c === '$' ? '$(' : c}' outside quotes`,
        `the command runs without a shell; to use one, write it explicitly: sh -c 'mycmd "$1" | other' sh {PATH}`);
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export interface ForkCommand {
  template: string;
  words: string[];
}

function isShellScriptArgument(words: string[], index: number): boolean {
  const exe = words[0].split('/').pop() ?? '';
  if (!SHELLS.has(exe)) return false;
  const c = words.indexOf('-c');
  return c !== -1 && index === c + 1;
}

/**
 * Parses and checks a template once, at step start-up. It must contain `{PATH}`. In an explicit
 * `sh -c SCRIPT` the path may not be written inside SCRIPT (a file name would become shell code);
 * it must be passed as a further argument, which the script reads as "$1".
 */
export function parseForkCommand(template: string): ForkCommand {
  const words = splitCommandLine(template);
  if (words.length === 0) throw new ForkTemplateError(template, 'is empty', 'write the command to run, e.g. gzip -k {PATH}');
  if (!words.some((w) => w.includes('{PATH}'))) {
    throw new ForkTemplateError(template, 'does not contain {PATH}', 'put {PATH} where the file path goes, e.g. mycmd --input {PATH}');
  }
  words.forEach((w, i) => {
    if (w.includes('{PATH}') && isShellScriptArgument(words, i)) {
      throw new ForkTemplateError(template, '{PATH} inside a shell script would let a file name run as shell code',
        `pass it as an argument: ${words[0]} -c '… "$1" …' sh {PATH}`);
    }
  });
  if (words[0].includes('{PATH}')) throw new ForkTemplateError(template, 'the executable cannot be {PATH}', 'name the program to run first');
  return { template, words };
}

/** The argument vector for one file: `{PATH}` replaced in every word (each word stays one argument). */
export function forkArgv(cmd: ForkCommand, filePath: string): { file: string; args: string[] } {
  const [file, ...rest] = cmd.words.map((w) => w.split('{PATH}').join(filePath));
  return { file, args: rest };
}

export interface ForkOutput {
  /** Absolute paths announced with `FILEPATH:/abs/path` lines, in order, without duplicates. */
  paths: string[];
  /** `FILEPATH:` lines whose path is not absolute (reported, not used). */
  rejected: string[];
}

/** Reads the `FILEPATH:` lines of a command's standard output (other lines are the command's business). */
export function parseForkOutput(stdout: string): ForkOutput {
  const out: ForkOutput = { paths: [], rejected: [] };
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line.startsWith('FILEPATH:')) continue;
    const p = line.slice('FILEPATH:'.length).trim();
    if (!p.startsWith('/') || p.includes('\0')) out.rejected.push(p);
    else if (!out.paths.includes(p)) out.paths.push(p);
  }
  return out;
}
