// Reduced chaos run, step code: throws, hangs past process_timeout, garbage results, process.exit and a blocked event
// loop (3 deaths → trash), a memory leak recycled by max_age. Every file in its documented place, none lost.
import { runGroup } from './group';

runGroup('step-code');
