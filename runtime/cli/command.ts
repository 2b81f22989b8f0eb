// The shape of one `mfdata` sub-command, and the context every command receives.
import type { OptionSpec, ParsedArgs } from './args';

export interface CliContext {
  /** `--home`, else `MFDATA_HOME`, else `<workspace>/.mfdata`. */
  home: string;
  /** The workspace: the nearest directory (from the current one upwards) holding `mfdata.ini` or `plugins/`. */
  workspace: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface Command {
  /** Words that select the command, e.g. ['plugins', 'list']. */
  path: string[];
  summary: string;
  usage: string;
  options: OptionSpec[];
  /** Returns the process exit code. */
  run(args: ParsedArgs, ctx: CliContext): Promise<number>;
}
