--[[
  Waiting and running jobs by organization, read in one step. Waiting: in a lane, or admitted
  but not started. ARGV[1] key base. Returns a flat list: organization, waiting, running, ...
]]
local base = ARGV[1]
local waiting, running, orgs = {}, {}, {}
local function see(org)
  if waiting[org] == nil then
    waiting[org], running[org] = 0, 0
    table.insert(orgs, org)
  end
end
for _, org in ipairs(redis.call('ZRANGE', base .. 'ring', 0, -1)) do
  see(org)
  waiting[org] = waiting[org] + redis.call('LLEN', base .. 'lane:' .. org)
end
local admitted = redis.call('HGETALL', base .. 'admitted')
for i = 1, #admitted, 2 do
  local id, org = admitted[i], admitted[i + 1]
  see(org)
  if redis.call('HGET', base .. 'job:' .. id, 'state') == 'running' then
    running[org] = running[org] + 1
  else
    waiting[org] = waiting[org] + 1
  end
end
local out = {}
for _, org in ipairs(orgs) do
  table.insert(out, org)
  table.insert(out, waiting[org])
  table.insert(out, running[org])
end
return out
