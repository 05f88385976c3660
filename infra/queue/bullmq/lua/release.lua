--[[
  Frees a job's slot and forgets it (idempotent), then admits into the free slots, so that a
  job's end hands its slot to the next job in one step.
  With ARGV[3] (the start number the run got from start.lua, 0 for a run started ahead, see
  below), only that run may release: if another worker started the job since (the first one
  lost its lock), the slot stays with the newer run.
  With ARGV[4] = '1' (a worker at the end of a run), the first job admitted is started ahead
  for that worker, which is about to fetch it from BullMQ: marked running without a start
  number (a job BullMQ does not know and that has no start number was never added, and is
  added again by the reconciler). If another worker fetches it instead, that one goes through
  start.lua as usual.
  ARGV[1] key base, ARGV[2] id, ARGV[3] start number or '', ARGV[4] '1' or ''.
  Returns { 1 if the first admitted job was started ahead else 0, then the admitted jobs flat:
  id, organization, payload, attempts, ... }.
]]
local base, id, start = ARGV[1], ARGV[2], ARGV[3]
if start ~= nil and start ~= '' then
  local f = redis.call('HMGET', base .. 'job:' .. id, 'state', 'starts')
  if not f[1] or (f[2] or '0') == tostring(start) then release(base, id) end
else
  release(base, id)
end
local out = admit(base, { 0 })
if ARGV[4] == '1' and out[2] then
  redis.call('HSET', base .. 'job:' .. out[2], 'state', 'running')
  out[1] = 1
end
return out
