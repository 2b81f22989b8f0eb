// Where the extension reaches the runtime's Redis: the address mfdata.ini's [redis] gives (an external
// server, or our own redis-server on a configured unix_socket), else `<home>/var/redis.sock`.
// Same rule as the runtime's generated configuration (redisEndpoint). No vscode import.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { redisEndpoint } from '../../runtime/config/generate/redis-address';
import { loadModuleConfig, MODULE_CONFIG_FILE } from '../../runtime/config/module-config';
import type { RedisAddress } from '../../runtime/queue/connection';

/** The Redis of the runtime of `workspace` with home `home`: a unix socket when one is known (it wins, as in the runtime), else host:port. */
export function runtimeRedisAddress(workspace: string, home: string, env: NodeJS.ProcessEnv = process.env): RedisAddress {
  const { module } = loadModuleConfig(workspace, { env, home });
  const endpoint = redisEndpoint(module, home);
  return endpoint.unixSocket ? { socket: endpoint.unixSocket } : { host: endpoint.host, port: endpoint.port };
}

/**
 * runtimeRedisAddress, re-read only when mfdata.ini changed (the views ask on every refresh).
 * A broken mfdata.ini keeps its defaults for the keys it cannot read, like the runtime.
 */
export class RedisAddressResolver {
  private cached?: { key: string; address: RedisAddress };

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  address(workspace: string, home: string): RedisAddress {
    const file = path.join(workspace, MODULE_CONFIG_FILE);
    let stamp = 'absent';
    try {
      const st = fs.statSync(file);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      // no mfdata.ini: every default
    }
    const key = `${workspace}\0${home}\0${stamp}`;
    if (this.cached?.key !== key) this.cached = { key, address: runtimeRedisAddress(workspace, home, this.env) };
    return this.cached.address;
  }
}
