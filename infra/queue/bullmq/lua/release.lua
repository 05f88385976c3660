--[[
  Frees a job's slot and forgets it (idempotent), then admits into the free slots, so that a
  job's end hands its slot to the next job in one step.
  With ARGV[3] (the start number the run got from start.lua, 0 for a run started ahead), only
  that run may release: if another worker started the job since (the first one lost its lock),
  the slot stays with the newer run.
  ARGV[1] key base, ARGV[2] id, ARGV[3] start number or ''.
  Returns the admitted jobs flat: id, organization, payload, attempts, ...
]]
local base, id, start = ARGV[1], ARGV[2], ARGV[3]
if start ~= nil and start ~= '' then
  local f = redis.call('HMGET', base .. 'job:' .. id, 'state', 'starts')
  if not f[1] or (f[2] or '0') == tostring(start) then release(base, id) end
else
  release(base, id)
end
return admit(base, {})
