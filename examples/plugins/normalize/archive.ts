// normalize/archive: writes each normalised file into the directory named by the [custom] key output_dir,
// under its original name (name.1, name.2… when taken), and logs its line count.
import { defineStep, type StepContext, type StepFile } from 'mfdata';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A free name in `dir`: `name`, else `name.1`, `name.2`… */
function freePath(dir: string, name: string): string {
  for (let i = 0; ; i++) {
    const candidate = path.join(dir, i === 0 ? name : `${name}.${i}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

export const step = defineStep({
  init(ctx: StepContext): void {
    fs.mkdirSync(ctx.getCustom('output_dir'), { recursive: true });
  },

  async process(file: StepFile, ctx: StepContext): Promise<boolean> {
    const dir = ctx.getCustom('output_dir');
    const lines = await ctx.getTag(file, 'line_count', { step: 'main' });
    const target = freePath(dir, file.originalBasename);
    // Through a temporary name, so a reader of the output directory never sees half a file.
    fs.copyFileSync(file.path, `${target}.t`);
    fs.renameSync(`${target}.t`, target);
    ctx.log.info('archived', { file: file.originalBasename, target, line_count: lines ?? null });
    return true;
  },
});
