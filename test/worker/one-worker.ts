// Test fixture: one real step worker of a plugin on a private redis-server and home, fed by hand-pushed messages,
// all stopped and removed when the test ends.
import * as path from 'node:path';
import Redis from 'ioredis';
import type { PluginConfig } from '../../runtime/config/model';
import { encodeMessage, messageFor } from '../../runtime/queue/message';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';
import { dropFile, makeHome, startWorker, writePlugin, type Proc, type RunAs, type StepSpec, type TestHome } from '../datapath/harness';

export interface OneWorker {
  redis: TestRedis;
  home: TestHome;
  client: Redis;
  plugin: PluginConfig;
  /** The worker of the plugin's first step. */
  worker: Proc;
  /** That step's inbox (first watched directory). */
  inbox: string;
  /** `IN/trash/<plugin>.<step>/` and `IN/tmp/<plugin>.<step>/` of that step. */
  trash: string;
  tmp: string;
  /** LPUSHes the MFDATA message for `directory/filename` onto the step's queue. */
  push(directory: string, filename: string): Promise<number>;
  /** Drops `name` into the inbox (the `.t` way) and pushes its message. */
  give(name: string, content: string): Promise<void>;
}

export interface OneWorkerOptions {
  /** The plugin's [custom] keys, given the test's home (for paths under it). */
  custom?: (home: TestHome) => Record<string, string>;
  env?: Record<string, string>;
  /** Called after the plugin is written and before the worker starts (permissions, ownership). */
  prepare?: (home: TestHome, plugin: PluginConfig, redis: TestRedis) => void;
  runAs?: RunAs;
  redisArgs?: string[];
}

export async function startOneWorker(t: { after(fn: () => Promise<void>): void }, pluginName: string, steps: StepSpec[], options: OneWorkerOptions = {}): Promise<OneWorker> {
  const redis = await startTestRedis(options.redisArgs);
  const home = makeHome();
  const client = new Redis({ path: redis.socket });
  const plugin = writePlugin(home, pluginName, steps, options.custom?.(home));
  options.prepare?.(home, plugin, redis);
  const step = plugin.steps[0].name;
  const worker = startWorker(home, pluginName, step, { MFDATA_REDIS_UNIX_SOCKET: redis.socket, ...options.env }, options.runAs);
  t.after(async () => {
    await worker.stop();
    client.disconnect();
    await redis.stop();
    home.cleanup();
  });
  const inbox = plugin.steps[0].watchedDirectories[0];
  const queue = `step.${pluginName}.${step}`;
  const push = (directory: string, filename: string): Promise<number> => client.lpush(queue, encodeMessage(messageFor(directory, filename, 'created')));
  return {
    redis, home, client, plugin, worker, inbox, push,
    trash: path.join(home.home.inDir, 'trash', `${pluginName}.${step}`),
    tmp: path.join(home.home.inDir, 'tmp', `${pluginName}.${step}`),
    async give(name, content) {
      dropFile(inbox, name, content);
      await push(inbox, name);
    },
  };
}
