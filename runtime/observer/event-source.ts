// The interface between the observer and whatever tells it about new files (inotifywait, or fs.watch as a fallback).

export interface SourceHandlers {
  /** A file appeared in (or was completed in) a watched directory. */
  onFile(directory: string, filename: string): void;
  /** A sub-directory appeared in a watched directory: never announced (not a file), warned about. */
  onSubdirectory(directory: string, name: string): void;
  /** A file whose name is not valid UTF-8 (raw bytes) was completed or moved in. */
  onUndecodable(directory: string, rawName: Buffer): void;
  /** Events were lost (kernel queue overflow): every directory must be rescanned. */
  onOverflow(): void;
  /** A watched directory was deleted or moved away. */
  onDirectoryGone(directory: string): void;
  /** The source stopped working (process exited, watcher error): restart it and rescan. */
  onSourceLost(reason: string): void;
}

export interface EventSource {
  readonly kind: string;
  /** Resolves once the directories are watched: a file created after that is reported. */
  start(directories: string[]): Promise<void>;
  stop(): Promise<void>;
}
