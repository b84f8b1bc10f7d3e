#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang and runs each one for SECONDS (default 240), seeded from tests/data.
# Usage: tests/fuzz/run-fuzzers.sh [SECONDS [TARGET...]]   (all targets when none is named)
# Findings land in build/fuzz/findings/<target>/.
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-240}
only=("${@:2}")

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

work=build/fuzz/work
rm -rf "$work"
mkdir -p "$work"/{events,rules,text,requests,ingest,framing}

# Seeds: every corpus event, every rules file, and the URLs and strings of the PHI test data.
split -l 1 -a 4 tests/data/corpus/mixed.ndjson "$work/events/line-"
cp resources/templates/*.json tests/data/rules/*.json "$work/rules/"
python3 - "$work/text" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
n = 0
for line in open("tests/data/corpus/mixed.ndjson", encoding="utf-8", errors="replace"):
    try:
        event = json.loads(line)
    except ValueError:
        continue
    for value in (event.get("page") or {}).values():
        if isinstance(value, str):
            (out / f"s{n}").write_text(value); n += 1
for line in open("tests/data/phi/health-phrases.tsv", encoding="utf-8").readlines()[1:]:
    (out / f"s{n}").write_text(line.split("\t")[0]); n += 1
PY
# One seed per captured tracker request: URL, newline, content type, newline, body (the target's input format).
python3 - "$work/requests" <<'PY'
import base64, json, sys, pathlib
out = pathlib.Path(sys.argv[1])
for n, request in enumerate(json.load(open("tests/data/trackers/requests.json", encoding="utf-8"))["requests"]):
    url, body = request["url"], request.get("body", "")
    for marker, spec in request.get("repeat", {}).items():
        url, body = url.replace(marker, spec["text"] * spec["times"]), body.replace(marker, spec["text"] * spec["times"])
    if "bodyJson" in request:
        data = json.dumps(request["bodyJson"], separators=(",", ":"), ensure_ascii=False).encode()
    elif "bodyBase64" in request:
        data = base64.b64decode(request["bodyBase64"])
    else:
        data = body.encode()
    (out / f"r{n}").write_bytes(url.encode() + b"\n" + request.get("contentType", "").encode() + b"\n" + data)
PY
# One seed per corpus event as an ingest request, with each flag combination in the first byte.
python3 - "$work/ingest" <<'PY'
import sys, pathlib
out = pathlib.Path(sys.argv[1])
lines = [l.encode() for l in open("tests/data/corpus/mixed.ndjson", encoding="utf-8").read().splitlines() if l.strip()]
for n, line in enumerate(lines[:200]):
    (out / f"i{n}").write_bytes(bytes([n % 16]) + line)
(out / "batch").write_bytes(bytes([5]) + b'{"events":[' + b",".join(lines[:20]) + b"]}")
(out / "consent").write_bytes(bytes([9]) + b'{"visitor_id":"v-1","ads":true,"source":"banner","timestamp":1795305000}')
PY
# Connections as the relay sees them: the first byte picks the chunk size.
printf '\x05POST /v1/events HTTP/1.1\r\nHost: relay\r\nContent-Length: 5\r\n\r\nhelloGET /v1/health HTTP/1.1\r\n\r\n' \
    > "$work/framing/two"
printf '\x3fPOST / HTTP/1.1\nContent-Length: 99999\n\nx' > "$work/framing/large"
printf '\x00POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc' > "$work/framing/chunked"

run() {
    local target=$1 seeds=$2
    if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $target "* ]]; then
        return
    fi
    mkdir -p "build/fuzz/findings/$target" "$work/corpus-$target"
    echo "== $target for ${seconds}s"
    build/fuzz/fuzz/"$target" -max_total_time="$seconds" -max_len=70000 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="build/fuzz/findings/$target/" -print_final_stats=1 \
        "$work/corpus-$target" "$seeds" 2>&1 | tail -n 12
}
run FuzzEventParser "$work/events"
run FuzzJsonDom "$work/events"
run FuzzRulesParser "$work/rules"
run FuzzPhiScanner "$work/text"
run FuzzTrackerDecoders "$work/requests"
run FuzzIngestRequest "$work/ingest"
run FuzzRequestFraming "$work/framing"
