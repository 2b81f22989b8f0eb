// The supervisor's own log: mflog-style JSON lines in `<home>/log/supervisor.log` (and stderr in the foreground).
import * as path from 'node:path';
import { mflogTimestamp } from '../log/mflog';
import { RotatingFile } from '../log/rotating-file';
import type { LogLevel } from './watcher';

export class SupervisorLog {
  private readonly file: RotatingFile;

  constructor(logDir: string, private readonly echo: NodeJS.WritableStream | undefined) {
    this.file = new RotatingFile(path.join(logDir, 'supervisor.log'));
  }

  write(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    const record: Record<string, unknown> = { timestamp: mflogTimestamp(), level, name: 'supervisor', pid: process.pid, event, plugin: '#core#', ...fields };
    // mflog's pid is the process that logged: a child's pid goes under child_pid, never over this one.
    record.pid = process.pid;
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

