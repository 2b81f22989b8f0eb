// Cross-checks of mfdata.ini [http_receiver] against the loaded plugins: a receiver storing where no step looks is a silent dead end.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigProblem } from '../config/errors';
import { runtimeHome } from '../home';
import type { RuntimeConfig } from '../config/model';
import { tokenFileProblem } from './token';

/** Addresses only this machine can reach: binding there without a token is the documented default. */
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Line of `[http_receiver]` in mfdata.ini, or of `key` inside it (1 when it cannot be read), so an editor can underline it. */
function sectionLine(file: string, key?: string): number {
  try {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    const start = lines.findIndex((l) => /^\s*\[\s*http_receiver\s*\]/.test(l));
    if (start === -1) return 1;
    if (key === undefined) return start + 1;
    for (let i = start + 1; i < lines.length && !/^\s*\[/.test(lines[i]); i++) {
      if (new RegExp(`^\\s*${key}\\s*[=:]`).test(lines[i])) return i + 1;
    }
    return start + 1;
  } catch {
    return 1;
  }
}

export function receiverProblems(config: RuntimeConfig): ConfigProblem[] {
  const receiver = config.module.httpReceiver;
  if (!receiver.flag || !config.module.file) return [];
  const file = config.module.file;
  const at = { file, line: sectionLine(file), column: 1, endColumn: 2, section: 'http_receiver' };
  const problems: ConfigProblem[] = [];
  if (receiver.port === 0 && !receiver.unixSocket) {
    problems.push({ ...at, severity: 'error', code: 'receiver-no-listener', key: 'port',
      message: '[http_receiver] flag = 1 with port = 0 and no unix_socket: the receiver has nothing to listen on', hint: 'set port (e.g. 9091) or unix_socket' });
  }
  if (receiver.tokenFile) {
    const problem = tokenFileProblem(receiver.tokenFile);
    if (problem) {
      problems.push({ ...at, line: sectionLine(file, 'token_file'), severity: 'error', code: 'receiver-token-file', key: 'token_file',
        message: `[http_receiver] token_file: ${problem}`,
        hint: 'write the token alone in that file (e.g. `openssl rand -hex 32 > receiver.token`), then `chmod 600` it; the path is relative to the folder of mfdata.ini' });
    }
  } else if (receiver.port !== 0 && !LOOPBACK.test(receiver.bind)) {
    problems.push({ ...at, line: sectionLine(file, 'bind'), severity: 'warning', code: 'receiver-no-auth', key: 'bind',
      message: `[http_receiver] bind = ${receiver.bind} accepts uploads from other machines and there is no token_file: anyone who can reach port ${receiver.port} can write into the inbox`,
      hint: 'set token_file (a file holding a bearer token, mode 0600), or bind = 127.0.0.1 behind a proxy that authenticates' });
  }
  const dir = path.resolve(runtimeHome(config.home).inDir, receiver.directory);
  const watched = config.plugins.some((p) => p.steps.some((s) => s.watchedDirectories.some((d) => path.resolve(d) === dir)));
  if (!watched) {
    problems.push({ ...at, severity: 'warning', code: 'receiver-directory-unwatched', key: 'directory',
      message: `[http_receiver] stores uploads in ${dir}, which no step watches: they would never be processed`,
      hint: 'set [internal_plugins] install_guess_file_type = 1 (it watches incoming), give a step watched_directories = incoming, or point directory at a step inbox' });
  }
  return problems;
}
