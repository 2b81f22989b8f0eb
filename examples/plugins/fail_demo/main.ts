// fail_demo/main: accepts every file except those whose name contains the [custom] fail_marker,
// which fail, are retried twice (retry_total), then moved with their tags (failure_policy = move).
import { defineStep, type StepContext, type StepFile } from 'mfdata';

export const step = defineStep({
  process(file: StepFile, ctx: StepContext): boolean {
    const marker = ctx.getCustom('fail_marker', 'fail');
    if (file.originalBasename.includes(marker)) {
      ctx.log.warning('refusing a file named for failure', { file: file.originalBasename, marker });
      return false;
    }
    ctx.log.info('accepted', { file: file.originalBasename });
    return true;
  },
});
