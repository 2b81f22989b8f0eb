// Built-ins that look inside files: guess_file_type (tags, then on to the switch) and fork (a command per file); ungzip/unbzip2 are in uncompress.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StepDefinition } from '../api/types';
import { lazyBuiltins } from '../util/lazy-builtins';
import { asciiHeader, FileMagic } from './libmagic';
import { forkArgv, parseForkCommand, parseForkOutput } from './fork-command';
import { boolOption, destinationOption, LazyTags, option, BuiltinStepError, type BuiltinDeps } from './builtin';

/** `builtin:guess_file_type`: tags `ascii_header`, `system_magic` (and `custom_magic`), `size`, then moves the file to `dest_dir` (switch/main). */
export function guessFileTypeStep(deps: BuiltinDeps): StepDefinition {
  const dest = destinationOption(deps, 'dest_dir', 'switch/main');
  if (dest.kind !== 'step') throw new BuiltinStepError(deps.plugin.name, deps.step.name, 'dest_dir', 'must be plugin/step');
  const maxLength = Math.max(0, Number(option(deps, 'ascii_header_max_length', '60')) || 60);
  const customFile = option(deps, 'magic_custom_file');
  const customOnly = boolOption(deps, 'magic_use_custom_only', false);
  const magic = new FileMagic();
  const custom = customFile ? new FileMagic(path.resolve(deps.plugin.dir, customFile)) : undefined;
  return {
    init(ctx) {
      if (!magic.available()) ctx.log.error('the file command (libmagic) is not installed: system_magic will be magic_exception', { hint: 'apt-get install file' });
    },
    async process(file, ctx) {
      const fd = await fs.promises.open(file.path, 'r');
      let header: Buffer;
      let size: number;
      try {
        size = (await fd.stat()).size;
        const buf = Buffer.alloc(Math.min(maxLength, size));
        const { bytesRead } = await fd.read(buf, 0, buf.length, 0);
        header = buf.subarray(0, bytesRead);
      } finally {
        await fd.close();
      }
      await ctx.setTag(file, 'ascii_header', asciiHeader(header));
      if (!customOnly) await ctx.setTag(file, 'system_magic', await magic.describe(file.path));
      if (custom) await ctx.setTag(file, 'custom_magic', await custom.describe(file.path));
      await ctx.setTag(file, 'size', size);
      return ctx.moveToPluginStep(file, dest.plugin, dest.step, { keepOriginalBasename: true });
    },
    destroy() {
      magic.close();
      custom?.close();
    },
  };
}

/** `builtin:fork`: runs `command_template` per file (argument vector, timeout); `FILEPATH:` outputs go to `dest_dir`. */
export function forkStep(deps: BuiltinDeps): StepDefinition {
  const cmd = parseForkCommand(option(deps, 'command_template'));
  const returning = boolOption(deps, 'command_returning_path', false);
  const dest = returning ? destinationOption(deps, 'dest_dir') : undefined;
  if (dest && dest.kind !== 'step') throw new BuiltinStepError(deps.plugin.name, deps.step.name, 'dest_dir', 'must be plugin/step');
  const timeoutMs = deps.step.processTimeout > 0 ? deps.step.processTimeout * 1000 : 0;
  // Only files under the data directory or the home's tmp may be forwarded: a command cannot inject /etc/passwd.
  const allowed = [deps.home.inDir, deps.home.tmpDir].map((d) => path.resolve(d) + path.sep);
  const tags = new LazyTags(deps);
  return {
    async process(file, ctx) {
      const { file: exe, args } = forkArgv(cmd, file.path);
      const r = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; error?: Error }>((resolve) => {
        // Its own process group, so a timeout kills what the command started too (sh -c '…' leaves children).
        const child = lazyBuiltins.childProcess().spawn(exe, args, { cwd: path.dirname(file.path), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
        child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-4000); });
        const killGroup = (): void => {
          try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
        };
        const timer = timeoutMs > 0 ? setTimeout(killGroup, timeoutMs) : undefined;
        child.on('error', (error) => { clearTimeout(timer); resolve({ code: null, signal: null, stdout, stderr, error }); });
        child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
      });
      if (r.code !== 0) {
        ctx.log.error('command failed', { command: cmd.template, code: r.code, signal: r.signal, stderr: r.stderr.trim(), error: r.error?.message, file: file.path });
        return false;
      }
      if (!dest || dest.kind !== 'step') return true;
      const out = parseForkOutput(r.stdout);
      for (const p of out.rejected) ctx.log.warning('ignored a FILEPATH: line that is not an absolute path', { path: p });
      let ok = true;
      for (const p of out.paths) {
        if (!allowed.some((a) => path.resolve(p).startsWith(a))) {
          ctx.log.error('refused a FILEPATH: outside the runtime data directories', { path: p });
          ok = false;
          continue;
        }
        if (!fs.existsSync(p)) { ctx.log.error('FILEPATH: names a missing file', { path: p }); ok = false; continue; }
        await tags.get().copy(file.path, p);
        ok = (await ctx.moveToPluginStep(p, dest.plugin, dest.step, { keepOriginalBasename: true })) && ok;
      }
      return ok;
    },
    destroy: () => tags.close(),
  };
}
