// Lua pieces that record journeys inside the scripts the data path already runs (claim, trace): no extra round trip.

/**
 * Helpers prepended to a script. `j_pushraw`/`j_push` append an event to a file's journal (`j_key`: shared by the
 * files of a pop round, each event saying whose it is with "u"; `j_pushmany` appends several): the TTL is set when the
 * list is created and, for the events that may come long after the first (a claim by a later step, a route, a
 * failure), refreshed once it has fallen more than keep/24 below keep (one TTL read, and an EXPIRE about once an hour
 * of a journal's life at the default 24 h), so a journey lives keep seconds after its latest claim, not its first
 * event; a refreshed journey is indexed by name again in the current hour. `j_index` indexes an original name
 * (`journey-names@<hour>`); `j_steptags` picks the tags `<n>.*` of a HGETALL reply, keyed without `<n>.` and without
 * enter_step; `j_edgefile` remembers a file among the latest of an edge (the claim script: one per batch and edge).
 */
export const JOURNEY_LUA_HELPERS = `
-- Name index: one hash per UTC hour (field: the name, value: the first uid; further uids of the same name under
-- '<name>/<k>', counted in '<name>/'), so a new file costs one HSETNX in an existing key, not a key with its own TTL.
-- The hash expires keep (+ an hour) after its hour ends; the sorted set journey-names lists the hours for readers.
local function j_index(name, uid, tms)
  local b = 'journey-names@' .. math.floor(tms / 3600000)
  if redis.call('HSETNX', b, name, uid) == 0 then
    local k = redis.call('HINCRBY', b, name .. '/', 1)
    redis.call('HSET', b, name .. '/' .. k, uid)
  end
end
-- Once per script run that indexed names (not per name): the hour's TTL, set when the hash is new.
local function j_indexttl(tms, keep)
  local hour = math.floor(tms / 3600000)
  local b = 'journey-names@' .. hour
  if redis.call('TTL', b) == -1 then
    redis.call('EXPIREAT', b, (hour + 1) * 3600 + keep + 3600)
    redis.call('ZADD', 'journey-names', hour, hour)
    redis.call('ZREMRANGEBYSCORE', 'journey-names', '-inf', hour - math.ceil(keep / 3600) - 2)
  end
end
-- A file's journal and its uid as a JSON string (journalKey in runtime/queue/keys.ts): the files of one pop round
-- share a journal, named by the first 24 hex of their uids; a uid of another form has its own.
local function j_key(uid)
  if #uid == 32 and not string.find(uid, '[^0-9a-f]') then return 'journal@' .. string.sub(uid, 1, 24), '"' .. uid .. '"' end
  return 'journal@' .. uid, cjson.encode(uid)
end
-- Events in a journal say whose they are: '"u":<uid>' before the closing brace.
local function j_owned(json, quid)
  return string.sub(json, 1, -2) .. ',"u":' .. quid .. '}'
end
-- Several events into one journal; its TTL set when this created it.
local function j_pushmany(k, events, keep)
  if redis.call('RPUSH', k, unpack(events)) == #events then redis.call('EXPIRE', k, keep) end
end
-- Returns true when the TTL was refreshed (the caller then indexes the name again, when it knows it).
local function j_pushraw(uid, json, keep, refresh)
  local k, quid = j_key(uid)
  if redis.call('RPUSH', k, j_owned(json, quid)) == 1 then
    redis.call('EXPIRE', k, keep)
  elseif refresh and redis.call('TTL', k) < keep - math.ceil(keep / 24) then
    redis.call('EXPIRE', k, keep)
    return true
  end
  return false
end
local function j_push(uid, ev, keep, refresh)
  return j_pushraw(uid, cjson.encode(ev), keep, refresh)
end
local function j_steptags(flat, n)
  local pre = n .. '.'
  local len = #pre
  local t = {}
  for i = 1, #flat, 2 do
    local f = flat[i]
    if string.sub(f, 1, len) == pre and string.sub(f, -11) ~= '.enter_step' then t[string.sub(f, len + 1)] = flat[i + 1] end
  end
  return t
end
local function j_field(flat, name)
  for i = 1, #flat, 2 do if flat[i] == name then return flat[i + 1] end end
  return nil
end
-- The latest first; trimmed only once over the cap.
local function j_edgefile(from, to, uid, name, at, keep, cap)
  local k = 'edgefiles@' .. from .. '~' .. to
  if redis.call('LPUSH', k, cjson.encode({uid = uid, name = name, at = at})) > cap then redis.call('LTRIM', k, 0, cap - 1) end
  redis.call('EXPIRE', k, keep)
end
-- Leave events from ARGV triples (tag key, original uid, event JSON) from index i0: with no tag key the step set no
-- tags and the event is stored as the worker encoded it; else the tags <n>.* are read from the key and added to it.
-- One RPUSH per journal (the files of one pop round usually leave together).
local function j_leaves(keep, args, i0)
  if keep <= 0 then return end
  local lists, order = {}, {}
  for i = i0, #args - 2, 3 do
    local k, uid, json = args[i], args[i + 1], args[i + 2]
    if k ~= '' then
      local flat = redis.call('HGETALL', k)
      uid = j_field(flat, 'first.core.original_uid') or uid
      -- The worker's event with the step's tags appended before its closing brace: no decode and encode of the event.
      -- Its "n" is the first such key (a quote inside a plugin or step name is escaped, so never followed by n":).
      local n = tonumber(string.match(json, '"n":(%-?%d+)'))
      json = string.sub(json, 1, -2) .. ',"tags":' .. cjson.encode(j_steptags(flat, n)) .. '}'
    end
    if uid ~= '' then
      local jk, quid = j_key(uid)
      local list = lists[jk]
      if not list then list = {}; lists[jk] = list; order[#order + 1] = jk end
      list[#list + 1] = j_owned(json, quid)
    end
  end
  for _, jk in ipairs(order) do j_pushmany(jk, lists[jk], keep) end
end
`;

/**
 * One flow-graph edge counted, with (journeys on) the file's route or failure event and the edge's recent files.
 * KEYS: trace, tags of the file (where they are now), failed counter, error edges of the day.
 * ARGV: trace TTL, keep, event JSON, uid ('' = from the tags), name ('' = from the tags), from, to,
 * step counter of the tags to record ('' = none, 'latest' = the file's current one), edge cap, failure ('1' = count it as a
 * failure and mark the edge an error edge; '2' = mark the edge only: a retry give-up, whose failure its attempt counted),
 * event time (epoch ms).
 */
export const TRACE_LUA = `${JOURNEY_LUA_HELPERS}
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
if ARGV[10] == '1' or ARGV[10] == '2' then
  if ARGV[10] == '1' then redis.call('INCR', KEYS[3]) end
  redis.call('SADD', KEYS[4], ARGV[6] .. '~' .. ARGV[7])
  redis.call('EXPIRE', KEYS[4], ARGV[1])
end
local keep = tonumber(ARGV[2])
if keep > 0 then
  local uid, name, n = ARGV[4], ARGV[5], ARGV[8]
  -- The tags are read only when the worker could not say who the file is or the event carries them (a failure).
  local flat = {}
  if uid == '' or name == '' or n ~= '' then flat = redis.call('HGETALL', KEYS[2]) end
  if uid == '' then uid = j_field(flat, 'first.core.original_uid') or '' end
  if name == '' then name = j_field(flat, 'first.core.original_basename') or '' end
  if uid ~= '' then
    if n == 'latest' then n = j_field(flat, 'latest.core.step_counter') or '' end
    local t = tonumber(ARGV[11])
    local refreshed
    if n ~= '' then
      local ev = cjson.decode(ARGV[3])
      ev.tags = j_steptags(flat, n); ev.n = tonumber(n)
      refreshed = j_push(uid, ev, keep, true)
    else
      -- A route event is complete as the worker encoded it: no decode and encode again here.
      refreshed = j_pushraw(uid, ARGV[3], keep, true)
    end
    if refreshed and name ~= '' then j_index(name, uid, t); j_indexttl(t, keep) end
    j_edgefile(ARGV[6], ARGV[7], uid, name, t, keep, tonumber(ARGV[9]))
  end
end
return 1`;

/** Leave events recorded when the worker is idle (else they go with its next claim). KEYS: none. ARGV: keep, leave triples. */
export const LEAVES_LUA = `${JOURNEY_LUA_HELPERS}
j_leaves(tonumber(ARGV[1]), ARGV, 2)
return 1`;
