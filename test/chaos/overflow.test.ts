// Reduced chaos run, inotify overflow: 20,000 files created while inotifywait is paused; the overflow rescan and its
// catch-up announce every file; each ends exactly once in the output with its content.
import { runGroup } from './group';

runGroup('overflow');
