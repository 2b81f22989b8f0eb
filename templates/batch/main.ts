// Step "main" of plugin __PLUGIN_NAME__: a batch step writing one report listing every file of the batch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defineStep } from 'mfdata';

export const step = defineStep({
  async batchProcess(files, ctx) {
    const out = ctx.getCustom('output_dir');
    await fs.promises.mkdir(out, { recursive: true });
    const lines = files.map((f) => `${f.originalBasename} ${fs.statSync(f.path).size}`).sort();
    const report = path.join(out, `batch-${Date.now()}-${process.pid}.report`);
    await fs.promises.writeFile(`${report}.t`, lines.join('\n') + '\n');
    await fs.promises.rename(`${report}.t`, report);
    ctx.log.info('batch processed', { files: files.length });
    return true; // one result for the whole batch (or one boolean per file)
  },
});
