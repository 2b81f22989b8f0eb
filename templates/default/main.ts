// Step "main" of plugin __PLUGIN_NAME__: counts the lines of each file, tags it, and writes a one-line report.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defineStep } from 'mfdata';

export const step = defineStep({
  async process(file, ctx) {
    const text = await fs.promises.readFile(file.path, 'utf8');
    const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    await ctx.setTag(file, 'lines', lines);
    ctx.log.info('file processed', { file: file.originalBasename, lines });
    const out = ctx.getCustom('output_dir');
    await fs.promises.mkdir(out, { recursive: true });
    // Written as .t then renamed, so a watcher of that directory never sees a half-written report.
    const report = path.join(out, `${file.originalBasename}.report`);
    await fs.promises.writeFile(`${report}.t`, `${file.originalBasename} ${lines}\n`);
    await fs.promises.rename(`${report}.t`, report);
    return true; // done: the runtime deletes the claimed file
  },
});
