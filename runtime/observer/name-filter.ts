// MFDATA's file-name filter: `only` must match, `ignore` must not (`^.*\.working$` always added); regexes anchored at the start.

export type NameFilter = (basename: string) => boolean;

/** Which rule of the filter ignores a name (`ignore pattern '^.*\.t$'`, `only filter 'a;b'`), or undefined when it is taken. */
export type NameRefusal = (basename: string) => string | undefined;

const ALWAYS_IGNORED = '^.*\\.working$';

/** MFDATA's default `ignore`: files being written the `.t` way, and `.tmp` files. */
export const DEFAULT_IGNORE = '^.*\\.t$;^.*\\.tmp$';

interface Pattern {
  source: string;
  re: RegExp;
}

function compileList(list: string, what: string): Pattern[] {
  return list
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      try {
        // Python's re.match: anchored at the start only.
        return { source: p, re: new RegExp(`^(?:${p})`, 's') };
      } catch (err) {
        throw new Error(`invalid ${what} regular expression '${p}': ${(err as Error).message}`);
      }
    });
}

export function compileNameRefusal(only: string, ignore: string): NameRefusal {
  const onlyRes = compileList(only, 'only');
  const ignoreRes = [...compileList(ignore, 'ignore'), ...compileList(ALWAYS_IGNORED, 'ignore')];
  return (basename) => {
    if (onlyRes.length > 0 && !onlyRes.some((p) => p.re.test(basename))) return `only filter '${only}' (matches none of it)`;
    const hit = ignoreRes.find((p) => p.re.test(basename));
    return hit ? `ignore pattern '${hit.source}'` : undefined;
  };
}

export function compileNameFilter(only: string, ignore: string): NameFilter {
  const refusal = compileNameRefusal(only, ignore);
  return (basename) => refusal(basename) === undefined;
}
