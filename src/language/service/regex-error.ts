// Where in a regular expression its syntax error is: JavaScript's RegExp errors carry no position.
import { regexError } from '../../../runtime/config/values';

/**
 * 0-based offset of the character that makes `pattern` invalid: the end of its shortest prefix failing
 * with the same error (an unterminated `(` fails from the `(` on; `a**` from the second `*`).
 * Undefined when the pattern compiles.
 */
export function regexErrorOffset(pattern: string): number | undefined {
  const error = regexError(pattern);
  if (error === undefined) return undefined;
  let anyFailure: number | undefined;
  for (let k = 1; k <= pattern.length; k++) {
    const e = regexError(pattern.slice(0, k));
    if (e === undefined) continue;
    if (e === error) return k - 1;
    anyFailure ??= k - 1;
  }
  return anyFailure ?? Math.max(0, pattern.length - 1);
}
