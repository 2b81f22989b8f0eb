// Cross-checks of mfdata.ini [http_receiver] against the loaded plugins: a receiver storing where no step looks is a silent dead end.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigProblem } from '../config/errors';
import { runtimeHome } from '../home';
import type { RuntimeConfig } from '../config/model';

/** Line of `[http_receiver]` in mfdata.ini (1 when it cannot be read), so an editor can underline the section. */
function sectionLine(file: string): number {
  try {
    const index = fs.readFileSync(file, 'utf8').split(/\r?\n/).findIndex((l) => /^\s*\[\s*http_receiver\s*\]/.test(l));
    return index === -1 ? 1 : index + 1;
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
  const dir = path.resolve(runtimeHome(config.home).inDir, receiver.directory);
  const watched = config.plugins.some((p) => p.steps.some((s) => s.watchedDirectories.some((d) => path.resolve(d) === dir)));
  if (!watched) {
    problems.push({ ...at, severity: 'warning', code: 'receiver-directory-unwatched', key: 'directory',
      message: `[http_receiver] stores uploads in ${dir}, which no step watches: they would never be processed`,
      hint: 'set [internal_plugins] install_guess_file_type = 1 (it watches incoming), give a step watched_directories = incoming, or point directory at a step inbox' });
  }
  return problems;
}
