// Fallback file events from Node's fs.watch, used when inotifywait is not installed. libuv drops inotify overflows
// silently and reports creation before the write ends, so the observer pairs it with a periodic rescan.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventSource, SourceHandlers } from './event-source';

export class FsWatchSource implements EventSource {
  readonly kind = 'fs.watch';
  private watchers: fs.FSWatcher[] = [];

  constructor(private readonly handlers: SourceHandlers) {}

  async start(directories: string[]): Promise<void> {
    for (const dir of directories) {
      const watcher = fs.watch(dir, { persistent: true }, (eventType, filename) => {
        if (eventType !== 'rename' || !filename) return;
        const name = filename.toString();
        // 'rename' is both appearance and disappearance: only existing entries count. lstat: a symbolic link is
        // announced as itself (the worker sets it aside), never followed.
        fs.lstat(path.join(dir, name), (err, st) => {
          if (!err && st.isDirectory()) this.handlers.onSubdirectory(dir, name);
          else if (!err) this.handlers.onFile(dir, name);
          else if (err && name === path.basename(dir) && !fs.existsSync(dir)) this.handlers.onDirectoryGone(dir);
        });
      });
      watcher.on('error', () => {
        if (!fs.existsSync(dir)) this.handlers.onDirectoryGone(dir);
        else this.handlers.onSourceLost(`fs.watch failed on ${dir}`);
      });
      this.watchers.push(watcher);
    }
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}
