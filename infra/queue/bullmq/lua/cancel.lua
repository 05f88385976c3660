--[[
  Cancels a job on our side. A pending job is dropped from its lane ('removed'). An admitted
  one is flagged, so it is skipped if it has not started and running processes see the flag
  even if the broadcast is lost; returns its state ('admitted' or 'running') for the caller
  to act in BullMQ.
  ARGV[1] key base, ARGV[2] id, ARGV[3] reason
]]
local base, id = ARGV[1], ARGV[2]
local job = base .. 'job:' .. id
local f = redis.call('HMGET', job, 'state', 'org')
local state, org = f[1], f[2]
if not state then return 'not-found' end
if state == 'pending' then
  local lane = base .. 'lane:' .. org
  redis.call('LREM', lane, 1, id)
  if redis.call('LLEN', lane) == 0 then redis.call('ZREM', base .. 'ring', org) end
  redis.call('DEL', job)
  return 'removed'
end
redis.call('HSET', job, 'cancelled', ARGV[3])
return state
