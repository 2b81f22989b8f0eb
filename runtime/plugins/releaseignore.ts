// `.releaseignore`: the gitignore syntax subset that decides which plugin files stay out of a `.plugin` archive.

export interface IgnoreRule {
  negate: boolean;
  dirOnly: boolean;
  regex: RegExp;
  /** As written, for messages. */
  source: string;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` = any number of directories, `/**` at the end = everything inside.
        if (glob[i + 2] === '/') { out += '(?:.*/)?'; i += 2; } else { out += '.*'; i += 1; }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) { out += '\\['; continue; }
      let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `[${body}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      out += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return out;
}

/** Parses `.releaseignore` text: `#` comments, `!` negation, trailing `/` for directories, leading `/` anchors. */
export function parseIgnore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const source = line;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.replace(/\/+$/, '');
    const anchored = line.includes('/');
    line = line.replace(/^\/+/, '');
    if (line === '') continue;
    const body = globToRegex(line);
    rules.push({ negate, dirOnly, source, regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) });
  }
  return rules;
}

/** The last matching rule decides, as in git. `relPath` uses `/` and has no leading slash. */
export function isIgnored(rules: readonly IgnoreRule[], relPath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const r of rules) {
    if (r.dirOnly && !isDirectory) continue;
    if (r.regex.test(relPath)) ignored = !r.negate;
  }
  return ignored;
}

/** Never shipped, whatever `.releaseignore` says: version control, installed dependencies, built archives. */
export const ALWAYS_IGNORED = parseIgnore(['.git/', 'node_modules/', '/*.plugin', '.DS_Store'].join('\n'));
