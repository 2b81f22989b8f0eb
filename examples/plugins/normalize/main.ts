// normalize/main: tidies a text file (trailing spaces removed, CRLF/CR turned into LF), tags its line count,
// then hands it to the `archive` step of this plugin.
import { defineStep, type StepContext, type StepFile } from 'mfdata';
import * as fs from 'node:fs';

/** The normalised text and its number of lines. */
export function normalizeText(text: string): { text: string; lines: number } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((line) => line.replace(/[ \t]+$/, ''));
  // A final newline ends the last line; it does not start a new one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const body = lines.join('\n');
  return { text: body === '' ? '' : `${body}\n`, lines: body === '' ? 0 : lines.length };
}

export const step = defineStep({
  async process(file: StepFile, ctx: StepContext): Promise<boolean> {
    const raw = fs.readFileSync(file.path);
    if (raw.includes(0)) {
      // Not text: the failure policy (keep) puts it in the trash with its tags.
      ctx.log.warning('not a text file', { file: file.originalBasename });
      return false;
    }
    const { text, lines } = normalizeText(raw.toString('utf8'));
    fs.writeFileSync(file.path, text);
    await ctx.setTag(file, 'line_count', lines);
    ctx.log.debug('normalised', { file: file.originalBasename, lines });
    return ctx.moveToPluginStep(file, ctx.plugin, 'archive', { keepOriginalBasename: true });
  },
});
