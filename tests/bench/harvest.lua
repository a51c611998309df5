-- harvest.lua: GET the form as a browser does and keep the fresh `_token`
-- hidden field of every page, one per line, in OUT.<thread id>.
-- usage: wrk ... -s harvest.lua URL/e/SLUG/post -- OUT
local R
function setup(thread)
	R = R or dofile(os.getenv("BENCH_REPORT_LUA"))
	R.setup(thread)
end
function init(args)
	R = dofile(os.getenv("BENCH_REPORT_LUA"))
	out = io.open(args[1] .. "." .. id, "w")
end
function response(status, headers, body)
	R.count(status)
	local t = status == 200 and body:match('name="_token" value="([^"]+)"')
	if t then out:write(t, "\n") end
end
function done(summary, latency, requests)
	R.done(summary, latency, requests)
end
