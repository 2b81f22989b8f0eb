// MFDATA's file-name filter: `only` must match, `ignore` must not (`^.*\.working$` always added); regexes anchored at the start.

export type NameFilter = (basename: string) => boolean;

const ALWAYS_IGNORED = '^.*\\.working$';

function compileList(list: string, what: string): RegExp[] {
  return list
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      try {
        // Python's re.match: anchored at the start only.
        return new RegExp(`^(?:${p})`, 's');
      } catch (err) {
        throw new Error(`invalid ${what} regular expression '${p}': ${(err as Error).message}`);
      }
    });
}

export function compileNameFilter(only: string, ignore: string): NameFilter {
  const onlyRes = compileList(only, 'only');
  const ignoreRes = [...compileList(ignore, 'ignore'), ...compileList(ALWAYS_IGNORED, 'ignore')];
  return (basename) => (onlyRes.length === 0 || onlyRes.some((r) => r.test(basename))) && !ignoreRes.some((r) => r.test(basename));
}
