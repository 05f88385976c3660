--[[
  Registers a worker's slots until a deadline; a worker that stops beating (killed) leaves the
  capacity when its lease runs out. Returns Redis' clock (ms), the one clock all processes use.
  ARGV[1] key base, ARGV[2] worker id, ARGV[3] concurrency, ARGV[4] per-organization limit, ARGV[5] lease ms
]]
local base = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', base .. 'workers', now + tonumber(ARGV[5]), ARGV[2])
redis.call('HSET', base .. 'worker-info', ARGV[2], ARGV[3] .. ':' .. ARGV[4])
return now
