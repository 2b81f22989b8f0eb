// Every `mfdata` sub-command, in the order `mfdata --help` lists them.
import type { Command } from '../command';
import { logsCommand } from './logs';

export const commands: Command[] = [logsCommand];
