// Reduced chaos run, configuration changes while files flow: numprocesses up and down, a plugin added and removed, a
// broken config.ini saved then fixed. Nothing lost; the removed plugin's waiting files stay, intact, in its inbox.
import { runGroup } from './group';

runGroup('config-changes');
