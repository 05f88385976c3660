--[[
  Queues jobs in their organizations' lanes, puts the organizations in the ring, then admits
  into the free slots: on an idle queue the job enqueued is handed out by this same step.
  ARGV[1] key base, ARGV[2] number of jobs, then per job: id, organization, payload (JSON),
  attempts.
  Returns { one '1' (queued) or '0' (already waiting or running) per job, as one string,
  then the admitted jobs flat: id, organization, payload, attempts, ... }.
]]
local base, n = ARGV[1], tonumber(ARGV[2])
local ring, served = base .. 'ring', base .. 'served'
local verdicts = {}
for i = 0, n - 1 do
  local id, org, payload, attempts = ARGV[3 + i * 4], ARGV[4 + i * 4], ARGV[5 + i * 4], ARGV[6 + i * 4]
  local job = base .. 'job:' .. id
  if redis.call('EXISTS', job) == 1 then
    verdicts[i + 1] = '0'
  else
    redis.call('HSET', job, 'org', org, 'payload', payload, 'attempts', attempts, 'state', 'pending')
    redis.call('RPUSH', base .. 'lane:' .. org, id)
    if not redis.call('ZSCORE', ring, org) then
      -- An organization coming back competes with its last service: idle tenants go first.
      redis.call('ZADD', ring, redis.call('HGET', served, org) or 0, org)
    end
    verdicts[i + 1] = '1'
  end
end
return admit(base, { table.concat(verdicts) })
