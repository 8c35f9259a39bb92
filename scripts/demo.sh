#!/usr/bin/env bash
# `make demo`: a small sample catalog in var/catalog.sqlite, a products resync on the embedded
# default (no broker, no servers), then where the output went and what it contains.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
unset SAAS_EXPORT_BROKER_URL SAAS_EXPORT_RESULT_BACKEND SAAS_EXPORT_SOURCE_DB SAAS_EXPORT_FEED_DB SAAS_EXPORT_TARGET

echo "== 1. sample catalog (profile small) -> var/catalog.sqlite"
$BIN/saas-export sample-data --profile small --seed 1 --replace | tail -n 3

echo
echo "== 2. full products resync on the embedded default"
$BIN/saas-export resync --feed products

echo
echo "== 3. what it wrote"
out=var/export/default/products
files=$(find "$out" -name '*.ndjson' | wc -l)
items=$(cat "$out"/*.ndjson | wc -l)
echo "NDJSON batches in $out: $files file(s), $items item(s) in all (only new or changed items are written)"
echo "feed table and run history in var/feeds.sqlite:"
$BIN/saas-export feeds
$BIN/saas-export status --limit 3
echo "one item, as Commerce Services would receive it:"
$BIN/python - "$out" <<'PY'
import json, pathlib, sys
first = sorted(pathlib.Path(sys.argv[1]).glob("*.ndjson"))[0].read_text().splitlines()[0]
item = json.loads(first)
item["description"] = (item.get("description") or "")[:80] + "…"
print(json.dumps(item, indent=2, ensure_ascii=False))
PY
echo
echo "Run it again (make demo) and step 2 sends nothing: every item's hash is unchanged."
