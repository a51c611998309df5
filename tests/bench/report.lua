-- report.lua: what every wrk script of scripts/bench shares (loaded with
-- dofile from $BENCH_REPORT_LUA): status counting, a monotonic clock, and
-- the one machine-readable closing line
--   RESULT requests=N seconds=S rps=R p50_ms=A p99_ms=B s2xx=.. s303=..
--          other=.. first_other=.. errors=.. abandoned=.. spare=..
-- A count-bounded run (submit.lua) sets t_first/t_last in each thread: its
-- rate is then responses / (last response - first request) over all
-- threads, not over wrk's -d (which is only the upper bound).
local ffi = require("ffi")
pcall(ffi.cdef, [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk, bench_timespec *ts);
]])
local ts = ffi.new("bench_timespec")

local M = { threads = {} }

function M.now()
	ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
	return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

function M.setup(thread)
	table.insert(M.threads, thread)
	thread:set("id", #M.threads)
end

-- Counts a status in the calling thread's globals.
function M.count(status)
	responses = (responses or 0) + 1
	if status == 303 then
		s303 = (s303 or 0) + 1
	elseif status >= 200 and status < 300 then
		s2xx = (s2xx or 0) + 1
	else
		other = (other or 0) + 1
		first_other = first_other or status
	end
end

function M.done(summary, latency, requests)
	local c = { s2xx = 0, s303 = 0, other = 0, spare = 0,
		sent = 0, responses = 0 }
	local first, t0, t1 = "-", nil, nil
	for _, t in ipairs(M.threads) do
		for k in pairs(c) do c[k] = c[k] + (t:get(k) or 0) end
		first = t:get("first_other") or first
		local a, b = t:get("t_first"), t:get("t_last")
		if a and (t0 == nil or a < t0) then t0 = a end
		if b and (t1 == nil or b > t1) then t1 = b end
	end
	local secs = summary.duration / 1e6
	local n = summary.requests
	if t0 and t1 and t1 > t0 then
		secs, n = t1 - t0, c.responses
	end
	local e = summary.errors
	io.write(string.format(
		"RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f "
		.. "p99_ms=%.2f s2xx=%d s303=%d other=%d first_other=%s "
		.. "errors=%d abandoned=%d spare=%d\n",
		n, secs, n / secs, latency:percentile(50) / 1000,
		latency:percentile(99) / 1000, c.s2xx, c.s303, c.other,
		tostring(first), e.connect + e.read + e.write + e.timeout,
		math.max(0, c.sent - c.responses), c.spare))
end

return M
