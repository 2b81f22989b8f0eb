// Tells a running runtime that the installed plugins changed, so it starts or stops their watchers.
import { runtimeHome } from '../home';
import { ControlClient, NotRunningError } from '../supervisor/control-client';

/**
 * Asks the supervisor to reload. conf_monitor also notices `var/plugins/` changes by itself; asking
 * explicitly makes the change take effect before the command returns. Returns a line for the user.
 */
export async function notifyRuntime(_workspace: string, homeRoot: string): Promise<string> {
  const home = runtimeHome(homeRoot);
  let client: ControlClient;
  try {
    client = await ControlClient.connect(home.supervisorSocket, 1000);
  } catch (err) {
    if (err instanceof NotRunningError) return 'the runtime is not running: the change applies at the next `mfdata start`';
    throw err;
  }
  try {
    await client.request({ cmd: 'reload' });
    return 'the running runtime reloaded its configuration';
  } catch (err) {
    return `the runtime did not reload (${err instanceof Error ? err.message : String(err)}); run \`mfdata restart\``;
  } finally {
    client.close();
  }
}
