-- wrk script: POSTs the realistic GLP-1 booking of the sanitizer benchmark (about 1.1 KB) as cs-event/1, with a
-- unique event_id per request and visitor ids that rotate over the 1,000 visitors the run granted consent to.
-- PACE_MS (environment) makes each connection wait that long between requests, which sets the offered rate.
local counter = 0
local thread_id = 0
local run = os.time() -- event ids stay unique across runs against the same relay
local pace = tonumber(os.getenv("PACE_MS") or "0")
-- PACE_RANDOM=1 draws each pause uniformly from 0 to 2 × PACE_MS (same mean): connections then arrive
-- independently, as visitors do, instead of in the lockstep a fixed pause settles into.
local random_pace = os.getenv("PACE_RANDOM") == "1"

function setup(thread)
  thread_id = thread_id + 1
  thread:set("thread_id", thread_id)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-ClearSignal-Key"] = os.getenv("INGEST_KEY") or ""
  wrk.headers["Origin"] = "https://www.austinweightlossclinic.com"
end

function delay()
  if random_pace then return math.random(0, 2 * pace) end
  return pace
end

function request()
  counter = counter + 1
  local body = '{"event":"BookedGLP1Consultation","event_id":"evt-' .. run .. '-' .. thread_id .. '-' .. counter .. '",' ..
    '"event_time":' .. os.time() .. ',"visitor_id":"v-' .. (counter % 1000) .. '",' ..
    '"page":{"url":"https://www.austinweightlossclinic.com/services/semaglutide-weight-loss/book?ttclid=E.C.P.CqgBxZ9Hkq1lC3YbTt0rAbCdEfGh12&utm_source=tiktok&utm_campaign=glp1_fall",' ..
    '"referrer":"https://www.austinweightlossclinic.com/services/semaglutide-weight-loss","title":"Book your Semaglutide consultation | Austin Weight Loss Clinic"},' ..
    '"user":{"ttp":"2F7h37YkS1j57AYSKTI7IHhJPYH","email":"jane.doe@gmail.com","phone":"(512) 555-0147",' ..
    '"first_name":"Jane","last_name":"Doe","zip_code":"78701","ip":"203.0.113.45",' ..
    '"user_agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1","locale":"en-US"},' ..
    '"properties":{"value":299,"currency":"USD","content_name":"Semaglutide starter program","content_type":"product",' ..
    '"contents":[{"content_id":"sema-3m","content_name":"Semaglutide 3 months","price":299,"quantity":1}]},' ..
    '"form":{"full_name":"Jane Doe","dob":"1984-03-12","reason":"Weight loss, on metformin"}}'
  return wrk.format(nil, nil, nil, body)
end

-- Non-2xx answers are errors for this benchmark: print them so a run with any is visibly invalid.
local bad = 0
function response(status, headers, body)
  if status ~= 202 and status ~= 200 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n") end
  end
end
