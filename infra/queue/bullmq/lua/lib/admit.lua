--[[
  Shared by the scripts that can free or fill a slot (enqueue, release, admit), so that taking
  the next job is part of the same atomic step and costs no extra round trip.

  admit(base): admits waiting jobs into BullMQ while a slot is free, fairly across
  organizations. Free slots: the concurrency of live workers minus the jobs already admitted
  (waiting in BullMQ or running), so BullMQ's own FIFO never holds more than the idle slots.
  Each pick takes the organization served least recently among those under the cap (the
  smallest perOrganizationLimit among live workers), and is marked running with no start
  number: started ahead for the worker BullMQ will hand it to. Appends to out, flat: id,
  organization, payload, attempts, ...

  release(base, id): frees the job's slot and forgets it. Idempotent.
]]
local function clock_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function admit(base, out)
  local admitted = base .. 'admitted'
  local workers, info = base .. 'workers', base .. 'worker-info'
  local now = clock_ms()
  for _, w in ipairs(redis.call('ZRANGEBYSCORE', workers, '-inf', now)) do
    redis.call('ZREM', workers, w)
    redis.call('HDEL', info, w)
  end
  local capacity, limit = 0, nil
  local live = redis.call('ZRANGE', workers, 0, -1)
  if #live == 0 then return out end
  for _, v in ipairs(redis.call('HMGET', info, unpack(live))) do
    if v then
      local c, l = string.match(v, '^(%d+):(%d+)$')
      capacity = capacity + tonumber(c)
      if limit == nil or tonumber(l) < limit then limit = tonumber(l) end
    end
  end
  if limit == nil then return out end
  local free = capacity - redis.call('HLEN', admitted)
  if free <= 0 then return out end

  local byOrg, ring, served = base .. 'org-admitted', base .. 'ring', base .. 'served'
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
      -- Started ahead: the worker that BullMQ first hands it to runs it without the start
      -- gate (see fair-worker.ts); later copies (after a stall) and re-adds go through it.
      redis.call('HSET', job, 'state', 'running', 'admittedAt', now)
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
end

local function release(base, id)
  local org = redis.call('HGET', base .. 'admitted', id)
  if org then
    redis.call('HDEL', base .. 'admitted', id)
    if redis.call('HINCRBY', base .. 'org-admitted', org, -1) <= 0 then
      redis.call('HDEL', base .. 'org-admitted', org)
    end
  end
  local job = base .. 'job:' .. id
  -- A pending record is a new job that reuses the id: it is not ours to drop.
  if redis.call('HGET', job, 'state') ~= 'pending' then
    redis.call('DEL', job, base .. 'claim:' .. id)
  end
end
