--[[
  Called by a worker before it runs a job: the run's start number (and marks it running),
  { 'cancelled', reason } when a cancel came before the start, 'gone' for a job we no longer
  hold (a stale copy, e.g. of a job whose run ended but whose process died before BullMQ heard
  of it).
  Counting the starts lets the reconciler tell a stall it saw from a start that happened since,
  and lets a run's release tell whether a newer run holds the slot.
  KEYS[1] job record
]]
local f = redis.call('HMGET', KEYS[1], 'state', 'cancelled')
if f[1] ~= 'admitted' and f[1] ~= 'running' then return 'gone' end
if f[2] then return { 'cancelled', f[2] } end
redis.call('HSET', KEYS[1], 'state', 'running')
return redis.call('HINCRBY', KEYS[1], 'starts', 1)
