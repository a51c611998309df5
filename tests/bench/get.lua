-- get.lua: GET the URL given to wrk; counts statuses, prints the RESULT
-- line (report.lua). usage: wrk ... -s get.lua URL -- REPORT_LUA
local R
function setup(thread)
	R = R or dofile(os.getenv("BENCH_REPORT_LUA"))
	R.setup(thread)
end
function init(args)
	R = dofile(os.getenv("BENCH_REPORT_LUA"))
end
function response(status, headers, body)
	R.count(status)
end
function done(summary, latency, requests)
	R.done(summary, latency, requests)
end
