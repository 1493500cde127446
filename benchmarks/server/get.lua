-- wrk script: GET, with the bearer token of TOKEN (environment) when set. wrk counts non-2xx answers itself;
-- the first one of each thread is shown so a failing run says why.
function init(args)
  local token = os.getenv("TOKEN")
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

local shown = false
function response(status, headers, body)
  if status ~= 200 and not shown then
    shown = true
    io.stderr:write("status " .. status .. ": " .. string.sub(body, 1, 300) .. "\n")
  end
end
