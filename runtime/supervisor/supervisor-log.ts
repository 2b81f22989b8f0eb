// The supervisor's own log: mflog-style JSON lines in `<home>/log/supervisor.log` (and stderr in the foreground).
import * as path from 'node:path';
import { RotatingFile } from '../log/rotating-file';
import type { LogLevel } from './watcher';

export class SupervisorLog {
  private readonly file: RotatingFile;

  constructor(logDir: string, private readonly echo: NodeJS.WritableStream | undefined) {
    this.file = new RotatingFile(path.join(logDir, 'supervisor.log'));
  }

  write(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    const record = { timestamp: isoMicros(new Date()), level, name: 'supervisor', pid: process.pid, event, plugin: '#core#', ...fields };
    const line = `${JSON.stringify(record)}\n`;
    try {
      this.file.write(line);
    } catch {
      // The log directory vanished: keep supervising, the echo (if any) still shows it.
    }
    this.echo?.write(line);
  }

  close(): void {
    this.file.close();
  }
}

/** ISO 8601 UTC with microseconds (mflog's timestamp format); JS dates have milliseconds only. */
function isoMicros(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
