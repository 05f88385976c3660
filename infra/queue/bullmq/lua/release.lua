--[[
  Forgets a job that BullMQ finished (or never got): frees its organization's slot.
  Idempotent. ARGV[1] key base, ARGV[2] id. Returns the organization, or false.
]]
local base, id = ARGV[1], ARGV[2]
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
return org or false
