-- wrk script: POST canonical ticket events with ids unique per request (a repeated id would be a no-op).
-- BATCH (environment) events per request, default 1 (a single JSON object); more sends a JSON array.
-- Each thread numbers its events from its own counter; RUN (environment) keeps ids unique across runs on one store.
-- Four events per ticket: created, two agent replies, solved — so each POST also re-derives a small ticket.
local counter = 0
local threads = {}
local batch = tonumber(os.getenv("BATCH") or "1")
local run = os.getenv("RUN") or tostring(os.time())
local token = os.getenv("TOKEN")
local kinds = {
  '"type":"created","actor":{"kind":"customer","id":"c-1"},"channel":"email","team":"support","priority":"normal"',
  '"type":"agent_reply","actor":{"kind":"agent","id":"amina"}',
  '"type":"agent_reply","actor":{"kind":"agent","id":"juma"}',
  '"type":"status_changed","actor":{"kind":"agent","id":"amina"},"status":"solved"',
}
local id = 0

function setup(thread)
  id = id + 1
  thread:set("tid", id)
  table.insert(threads, thread)
end

local function event()
  counter = counter + 1
  local n = counter
  local minutes = n % 4 * 7
  return string.format('{"id":"%s-%d-%d","ticket_id":"T-%s-%d-%d","at":"2026-03-02T08:%02d:00Z",%s}',
    run, tid, n, run, tid, math.floor(n / 4), minutes, kinds[n % 4 + 1])
end

function init(args)
  counter = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  local body
  if batch == 1 then
    body = event()
  else
    local parts = {}
    for i = 1, batch do parts[i] = event() end
    body = "[" .. table.concat(parts, ",") .. "]"
  end
  return wrk.format(nil, nil, nil, body)
end

-- wrk counts non-2xx answers itself; the first one of each thread is shown so a failing run says why.
local shown = false
function response(status, headers, body)
  if status ~= 200 and not shown then
    shown = true
    io.stderr:write("status " .. status .. ": " .. string.sub(body, 1, 300) .. "\n")
  end
end
