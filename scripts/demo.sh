#!/usr/bin/env bash
# `make demo`: a small sample catalog in var/catalog.sqlite, an initial sync of every feed on the
# embedded default (no broker, no servers), then where the output went and what it contains.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
unset SAAS_EXPORT_BROKER_URL SAAS_EXPORT_RESULT_BACKEND SAAS_EXPORT_SOURCE_DB SAAS_EXPORT_FEED_DB SAAS_EXPORT_TARGET

echo "== 1. sample catalog (profile small) -> var/catalog.sqlite"
$BIN/saas-export sample-data --profile small --seed 1 --replace | tail -n 3

echo
echo "== 2. initial sync of every feed on the embedded default (saas-export resync --all)"
$BIN/saas-export resync --all

echo
echo "== 3. what it wrote (NDJSON batches per feed; only new, changed or deleted items are written)"
for dir in var/export/default/*/; do
  printf '  %-50s %4d file(s) %7d item(s)\n' "$dir" "$(find "$dir" -name '*.ndjson' | wc -l)" "$(cat "$dir"/*.ndjson | wc -l)"
done
out=var/export/default/products
echo "feed table and run history in var/feeds.sqlite:"
$BIN/saas-export feeds
$BIN/saas-export status --limit 3
echo "one products item, as Commerce Services would receive it:"
$BIN/python - "$out" <<'PY'
import json, pathlib, sys
first = sorted(pathlib.Path(sys.argv[1]).glob("*.ndjson"))[0].read_text().splitlines()[0]
item = json.loads(first)
item["description"] = (item.get("description") or "")[:80] + "…"
print(json.dumps(item, indent=2, ensure_ascii=False))
PY
echo
echo "Run it again (make demo) and step 2 sends nothing for the immediate feeds: every hash is unchanged"
echo "(the legacy feeds, scopes and orders, are re-sent whole on every full resync)."
