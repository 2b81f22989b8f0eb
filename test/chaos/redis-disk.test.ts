// Reduced chaos run, Redis and disk: redis-server SIGKILLed mid-run; the runtime home on a small tmpfs that fills up
// then frees space (skipped when this process cannot mount); 100,000-file bursts reduced to an inotify overflow.
import { runGroup } from './group';

runGroup('redis-disk');
