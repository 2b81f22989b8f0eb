// Every `mfdata` sub-command, in the order `mfdata --help` lists them.
import type { Command } from '../command';
import { configCheckCommand } from './config-check';
import { configShowCommand } from './config-show';
import { pluginsListCommand } from './plugins-list';
import { logsCommand } from './logs';
import { pluginsBuildCommand } from './plugins-build';
import { pluginsCreateCommand } from './plugins-create';
import { pluginsInfoCommand } from './plugins-info';
import { pluginsInstallCommand } from './plugins-install';
import { pluginsUninstallCommand } from './plugins-uninstall';
import { restartCommand } from './restart';
import { startCommand } from './start';
import { statusCommand } from './status';
import { statsCommand } from './stats';
import { stopCommand } from './stop';
import { injectCommand } from './inject';
import { flowCommand, journeyCommand } from './flow';
import { trashDeleteCommand, trashListCommand, trashReplayCommand } from './trash';

export const commands: Command[] = [startCommand, stopCommand, statusCommand, statsCommand, restartCommand, logsCommand, injectCommand,
  pluginsListCommand, pluginsCreateCommand, pluginsBuildCommand, pluginsInstallCommand, pluginsUninstallCommand, pluginsInfoCommand,
  configCheckCommand, configShowCommand, flowCommand, journeyCommand, trashListCommand, trashReplayCommand, trashDeleteCommand];
