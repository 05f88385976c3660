--[[
  Admits waiting jobs into BullMQ while a slot is free, fairly across organizations.
  Free slots: the concurrency of live workers minus the jobs already admitted (waiting in
  BullMQ or running), so BullMQ's own FIFO never holds more than the idle slots.
  Each pick takes the organization served least recently among those under the cap (the
  smallest perOrganizationLimit among live workers).
  ARGV[1] key base
  Returns a flat list: id, organization, payload, attempts, ...
]]
local base = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local workers, info = base .. 'workers', base .. 'worker-info'
for _, w in ipairs(redis.call('ZRANGEBYSCORE', workers, '-inf', now)) do
  redis.call('ZREM', workers, w)
  redis.call('HDEL', info, w)
end
local capacity, limit = 0, nil
for _, w in ipairs(redis.call('ZRANGE', workers, 0, -1)) do
  local v = redis.call('HGET', info, w)
  if v then
    local c, l = string.match(v, '^(%d+):(%d+)$')
    capacity = capacity + tonumber(c)
    if limit == nil or tonumber(l) < limit then limit = tonumber(l) end
  end
end
if limit == nil then return {} end

local admitted, byOrg = base .. 'admitted', base .. 'org-admitted'
local ring, served = base .. 'ring', base .. 'served'
local free = capacity - redis.call('HLEN', admitted)
local out = {}
while free > 0 do
  local chosen = nil
  for _, org in ipairs(redis.call('ZRANGE', ring, 0, -1)) do
    if tonumber(redis.call('HGET', byOrg, org) or '0') < limit then
      chosen = org
      break
    end
  end
  if chosen == nil then break end
  local lane = base .. 'lane:' .. chosen
  local id = redis.call('LPOP', lane)
  local seq = redis.call('INCR', base .. 'seq')
  redis.call('HSET', served, chosen, seq)
  if redis.call('LLEN', lane) == 0 then
    redis.call('ZREM', ring, chosen)
  else
    redis.call('ZADD', ring, seq, chosen)
  end
  if id then
    local job = base .. 'job:' .. id
    redis.call('HSET', job, 'state', 'admitted', 'admittedAt', now)
    redis.call('HSET', admitted, id, chosen)
    redis.call('HINCRBY', byOrg, chosen, 1)
    local f = redis.call('HMGET', job, 'payload', 'attempts')
    table.insert(out, id)
    table.insert(out, chosen)
    table.insert(out, f[1] or 'null')
    table.insert(out, f[2] or '1')
    free = free - 1
  end
end
return out
