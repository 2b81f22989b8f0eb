// Where the runtime's Redis is: our own on a unix socket in the home, or an external one from mfdata.ini.
import { runtimeHome } from '../../home';
import type { ModuleConfig } from '../model';

export interface RedisEndpoint {
  /** True when the supervisor runs its own redis-server. */
  own: boolean;
  host: string;
  port: number;
  /** '' when the external Redis is reached over TCP only. */
  unixSocket: string;
}

export function redisEndpoint(module: ModuleConfig, home: string): RedisEndpoint {
  const r = module.redis;
  if (r.host !== '') return { own: false, host: r.host, port: r.port || 6379, unixSocket: r.unixSocket };
  return { own: true, host: '127.0.0.1', port: r.port, unixSocket: r.unixSocket || runtimeHome(home).redisSocket };
}
