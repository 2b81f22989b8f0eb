// Reduced chaos run, bad input: awkward names, garbage and out-of-bounds queue messages, links, a FIFO, a folder and an
// unreadable file in the inbox. Every file injected ends exactly once in a final place with its content; nothing is lost.
import { runGroup } from './group';

runGroup('bad-input');
