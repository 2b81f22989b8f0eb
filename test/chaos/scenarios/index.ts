// The chaos suite's scenarios, in the order they run: one list, so `npm run chaos` and the reduced test run agree.
import type { Scenario } from '../scenario';
import { badEntries, badMessages, badNames } from './bad-input';
import { configChanges } from './config-changes';
import { diskFull } from './disk-full';
import { observerKill, supervisorKill, workerKill } from './kills';
import { inotifyOverflow } from './overflow';
import { redisKill } from './redis';
import { memoryLeak, stepDeaths, stepFailures } from './step-code';

export const SCENARIOS: readonly Scenario[] = [workerKill, observerKill, supervisorKill, redisKill, diskFull, stepFailures, stepDeaths, memoryLeak, badNames, badMessages, badEntries, inotifyOverflow, configChanges];
