// Journey events written outside the data path's scripts (a replay from the trash, a dead worker's claim put back):
// rare, one round trip each, with the same TTL and name-index rules as the scripts' events.
import type { DataRedis } from '../redis/types';
import type { JourneyEvent } from './events';
import { JOURNEY_LUA_HELPERS } from './lua';

/** KEYS: none (journey keys are built in the script, as the claim script does). ARGV: uid, event JSON, keep seconds, original name ('' = unknown), epoch ms. */
const APPEND_LUA = `${JOURNEY_LUA_HELPERS}
local keep, tms = tonumber(ARGV[3]), tonumber(ARGV[5])
if j_pushraw(ARGV[1], ARGV[2], keep, true) and ARGV[4] ~= '' then
  j_index(ARGV[4], ARGV[1], tms)
  j_indexttl(tms, keep)
end
return 1`;

interface AppendCommand {
  mfdataJourneyEvent(uid: string, json: string, keep: string, name: string, at: string): Promise<number>;
}

/**
 * Appends `event` to the journey of `uid`: the journey is created with a TTL of `keepSeconds`, or its TTL is refreshed
 * (and the file indexed by `name` again) as the scripts do. Nothing when keepSeconds is 0 (journeys off) or uid is ''.
 */
export async function appendJourneyEvent(redis: DataRedis, keepSeconds: number, uid: string, event: JourneyEvent, name = ''): Promise<void> {
  if (!(keepSeconds > 0) || uid === '') return;
  if (!('mfdataJourneyEvent' in redis)) redis.defineCommand('mfdataJourneyEvent', { numberOfKeys: 0, lua: APPEND_LUA });
  await (redis as unknown as AppendCommand).mfdataJourneyEvent(uid, JSON.stringify(event), String(keepSeconds), name, String(event.t));
}
