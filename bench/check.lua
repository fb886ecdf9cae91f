-- bench/check.lua — wrk script for bench/serve.sh: GET /api/v1/check/{person}
-- over keep-alive connections, cycling through resident IDs read from a
-- file (one per line). Each wrk thread starts at its own offset so the
-- threads do not ask for the same person at the same time.
--
-- Environment: CHECK_IDS (the file), CHECK_TOKEN (a bearer token),
-- CHECK_CHECKPOINT (a venue code of kind checkpoint), CHECK_PATH (set to
-- a path to request it instead, for the static baseline).

local ids = {}
local threads = 0

local function load_ids()
	local path = os.getenv("CHECK_IDS")
	if not path then return end
	for line in io.lines(path) do
		if #line > 0 then ids[#ids + 1] = line end
	end
end

function setup(thread)
	thread:set("tid", threads)
	threads = threads + 1
end

local i, fixed, headers, query

function init(args)
	load_ids()
	fixed = os.getenv("CHECK_PATH")
	headers = {}
	local token = os.getenv("CHECK_TOKEN")
	if token then headers["Authorization"] = "Bearer " .. token end
	query = "?checkpoint=" .. (os.getenv("CHECK_CHECKPOINT") or "") ..
		"&temp=36.5"
	i = #ids > 0 and ((tid or 0) * 7919) % #ids or 0
end

function request()
	if fixed or #ids == 0 then
		return wrk.format("GET", fixed or "/", headers)
	end
	i = i % #ids + 1
	return wrk.format("GET", "/api/v1/check/" .. ids[i] .. query, headers)
end
