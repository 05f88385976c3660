--[[
  Admits waiting jobs into the free slots (see lib/admit.lua).
  ARGV[1] key base. Returns a flat list: id, organization, payload, attempts, ...
]]
return admit(ARGV[1], {})
