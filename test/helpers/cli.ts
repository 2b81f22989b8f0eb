// Runs the mfdata command line in the test process (runtime/cli/main) and returns its exit code and what it wrote.
import { PassThrough } from 'node:stream';
import { main } from '../../runtime/cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(argv: string[]): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => { out += d.toString(); });
  stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const code = await main(argv, { stdout, stderr });
  return { code, out, err };
}
