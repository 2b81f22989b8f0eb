// Reduced chaos run, Redis: redis-server SIGKILLed twice mid-run and restarted by the supervisor; every file delivered.
import { runGroup } from './group';

runGroup('redis-disk');
