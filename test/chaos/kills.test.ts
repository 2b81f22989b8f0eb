// Reduced chaos run, kills: worker SIGKILLs every 200 ms, observer SIGKILLs, supervisor SIGKILL then `mfdata start`.
// Every file injected ends exactly once in a final place with its content; nothing is lost or left behind.
import { runGroup } from './group';

runGroup('kills');
