--[[
  Queues a job in its organization's lane and puts the organization in the ring.
  KEYS[1] job record (HASH)   KEYS[2] the organization's lane (LIST)
  KEYS[3] ring (ZSET, organization -> last service)   KEYS[4] last service by organization (HASH)
  ARGV: id, organization, payload (JSON), attempts
  Returns 1 when queued, 0 when the id is already waiting or running.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'org', ARGV[2], 'payload', ARGV[3], 'attempts', ARGV[4], 'state', 'pending')
redis.call('RPUSH', KEYS[2], ARGV[1])
if not redis.call('ZSCORE', KEYS[3], ARGV[2]) then
  -- An organization coming back competes with its last service: idle tenants go first.
  redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[4], ARGV[2]) or 0, ARGV[2])
end
return 1
