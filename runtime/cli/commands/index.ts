// Every `mfdata` sub-command, in the order `mfdata --help` lists them.
import type { Command } from '../command';

export const commands: Command[] = [];
