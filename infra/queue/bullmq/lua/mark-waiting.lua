--[[
  Shows a stalled job as waiting again. A compare-and-set on the start count: a worker that
  started the job after the caller read the count has it running, and the mark must stay.
  KEYS[1] job record   ARGV[1] the start count read before BullMQ's state
]]
local f = redis.call('HMGET', KEYS[1], 'state', 'starts')
-- Without a start number the job was started ahead and not delivered yet: the worker BullMQ
-- hands it to runs it without the start gate, so the mark must stay.
if f[1] == 'running' and tonumber(f[2] or '0') > 0 and tonumber(f[2] or '0') == tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'state', 'admitted')
  return 1
end
return 0
