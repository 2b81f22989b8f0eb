// Keeps one LogSource on the log directory of the CURRENT runtime home: when the home changes (setting
// mfdata.home, MFDATA_HOME, a workspace edit) the old source is dropped and the new home's logs are followed.
// No vscode import: the extension wires sync() to the events that may change the home.
import type { LogEntry } from '../../runtime/log/entry';
import { LogSource, type LogSourceOptions } from './logSource';

export interface LogFeedOptions extends Omit<LogSourceOptions, 'logDir' | 'onEntries'> {
  /** The log directory to follow now (asked at every sync), or undefined when there is no home. */
  logDir(): string | undefined;
  /** Called before the first entries of a new directory, so records of the previous home can be forgotten. */
  onSwitch(from: string | undefined, to: string | undefined): void;
  onEntries(entries: LogEntry[], initial: boolean): void;
}

export class LogFeed {
  private source: LogSource | undefined;
  private dir: string | undefined;
  private disposed = false;

  constructor(private readonly options: LogFeedOptions) {}

  /** The directory followed now. */
  get following(): string | undefined {
    return this.dir;
  }

  /** Follows the directory `logDir()` names now; a no-op when it has not changed. Returns true on a switch. */
  sync(): boolean {
    if (this.disposed) return false;
    const next = this.options.logDir();
    if (next === this.dir && (this.source !== undefined || next === undefined)) return false;
    const previous = this.dir;
    this.source?.dispose();
    this.source = undefined;
    this.dir = next;
    this.options.onSwitch(previous, next);
    if (next !== undefined) {
      const { tailBytes, pollMs, maxLinesPerRead, onEntries } = this.options;
      this.source = new LogSource({ logDir: next, tailBytes, pollMs, maxLinesPerRead, onEntries });
      this.source.start();
    }
    return true;
  }

  /** Reads the followed directory now instead of waiting for the next file event or poll. */
  read(): void {
    this.source?.read();
  }

  dispose(): void {
    this.disposed = true;
    this.source?.dispose();
    this.source = undefined;
  }
}
