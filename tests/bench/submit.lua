-- submit.lua: POSTs complete submissions, each with its own form token,
-- until the tokens run out (a count-bounded run: -d is only the bound).
-- usage: BENCH_REPORT_LUA=report.lua wrk ... -s submit.lua URL/e/SLUG/post
--            -- TOKENS BODY NTHREADS DONE_PREFIX
-- TOKENS: one token per line (harvest.lua); thread k of NTHREADS takes
-- lines k, k + NTHREADS, ... BODY: the urlencoded answers without _token.
-- A thread whose tokens are all answered creates DONE_PREFIX.<id> and
-- stops; scripts/bench then interrupts wrk, so that no request is left in
-- flight and acknowledged (303) can be compared with stored exactly.
local R
function setup(thread)
	R = R or dofile(os.getenv("BENCH_REPORT_LUA"))
	R.setup(thread)
end
function init(args)
	R = dofile(os.getenv("BENCH_REPORT_LUA"))
	local n, i = tonumber(args[3]), 0
	tokens, sent, reserved, spare = {}, 0, 0, 0
	done_file = args[4] .. "." .. id
	for line in io.lines(args[1]) do
		if i % n == id - 1 then tokens[#tokens + 1] = line end
		i = i + 1
	end
	local f = io.open(args[2])
	body = f:read("*a"):gsub("%s+$", "")
	f:close()
	headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
	if #tokens == 0 then io.open(done_file, "w"):close() end
end
-- Each request reserves its token here (wrk calls delay() just before
-- request()); once all are reserved, connections wait (a replayed token
-- would not be a new submission) while the last responses arrive.
function delay()
	if reserved < #tokens then
		reserved = reserved + 1
		return 0
	end
	return 3600000
end
function request()
	local t = tokens[sent + 1]
	if t == nil or sent >= reserved then
		-- wrk asks for a request without delay() after a reconnect:
		-- send a harmless GET that response() does not count
		spare = spare + 1
		return wrk.format("GET", "/healthz")
	end
	sent = sent + 1
	if sent == 1 then t_first = R.now() end
	return wrk.format("POST", nil, headers, body .. "&_token=" .. t)
end
function response(status, headers, body)
	if status == 200 and body:match("^ok%s*$") then return end
	R.count(status)
	t_last = R.now()
	if responses == #tokens then
		io.open(done_file, "w"):close()
		wrk.thread:stop()
	end
end
function done(summary, latency, requests)
	R.done(summary, latency, requests)
end
