#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The relay under wrk, side by side with nginx answering a static 200 on the same machine (docs/benchmarks.md).
# Loopback only. Usage: tests/bench/relay/run.sh [CLI] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
cli=${1:-build/bench/app/clearsignal-cli}
seconds=${2:-20}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

cp tests/bench/relay/nginx.conf "$work/"
nginx -p "$work" -c "$work/nginx.conf" &
sleep 0.5

export INGEST_KEY
INGEST_KEY=$("$cli" workspace create "$work/bench.csdb" --site https://www.austinweightlossclinic.com \
    --pixel-id CBENCHPIXEL000000001 --template glp1-clinic)
"$cli" workspace set "$work/bench.csdb" listen=127.0.0.1:18787 rate_limit=10000000 \
    endpoint=http://127.0.0.1:18081/open_api/v1.3/event/track/
CLEARSIGNAL_TIKTOK_TOKEN=bench "$cli" relay --workspace "$work/bench.csdb" 2>"$work/relay.log" &
relay=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:18787/v1/health >/dev/null && break; sleep 0.1; done

# 1,000 visitors who accepted ads: every event goes through a consent lookup that says yes.
for i in $(seq 0 999); do
    printf '{"visitor_id":"v-%d","ads":true,"source":"banner"}\n' "$i"
done | while read -r consent; do
    curl -sf -o /dev/null -H "X-ClearSignal-Key: $INGEST_KEY" -H 'Content-Type: application/json' \
        -d "$consent" http://127.0.0.1:18787/v1/consent
done

echo "== nginx, static 200 (baseline)"
wrk -t1 -c64 -d"${seconds}s" --latency -s tests/bench/relay/post-event.lua http://127.0.0.1:18080/v1/events
echo "== relay, full pipeline (consent lookup, sanitize, durable enqueue, delivery running)"
wrk -t1 -c64 -d"${seconds}s" --latency -s tests/bench/relay/post-event.lua http://127.0.0.1:18787/v1/events
echo "== relay at about 5,000/s from independent visitors: 62 connections, random pauses of 0-20 ms (mean 10)"
PACE_MS=10 PACE_RANDOM=1 wrk -t1 -c62 -d"${seconds}s" --latency -s tests/bench/relay/post-event.lua http://127.0.0.1:18787/v1/events
echo "== relay at a fixed pace: 80 connections, each pausing exactly 10 ms (they fall into lockstep)"
PACE_MS=10 wrk -t1 -c80 -d"${seconds}s" --latency -s tests/bench/relay/post-event.lua http://127.0.0.1:18787/v1/events
sleep 2
echo "== relay health after the runs"
curl -s http://127.0.0.1:18787/v1/health; echo
kill -TERM "$relay"; wait "$relay" || true
echo "== workspace size"; ls -la "$work"/bench.csdb*
