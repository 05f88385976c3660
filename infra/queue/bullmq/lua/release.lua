--[[
  Frees a job's slot and forgets it (idempotent), then admits into the free slots, so that a
  job's end hands its slot to the next job in one step.
  With ARGV[3] (the start number a worker got from start.lua), only that run may release: if
  another worker started the job since (the first one lost its lock), the slot stays with the
  newer run.
  ARGV[1] key base, ARGV[2] id, ARGV[3] start number or ''.
  Returns the admitted jobs flat: id, organization, payload, attempts, ...
]]
local base, id, start = ARGV[1], ARGV[2], ARGV[3]
if start ~= nil and start ~= '' then
  local starts = redis.call('HGET', base .. 'job:' .. id, 'starts')
  if starts == false or starts == tostring(start) then release(base, id) end
else
  release(base, id)
end
return admit(base, {})
