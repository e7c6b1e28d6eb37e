#!/usr/bin/env bash
# The main job end to end: services up, the CDC service running, a Postgres shop schema
# captured into Kafka, a live workload, decoded change events and slot lag on screen.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing dependencies (npm ci)"
  npm ci --no-fund --no-audit
fi
export PATH="$root/node_modules/.bin:$PATH"
echo "== services"
bash scripts/services.sh up
echo "== demo (Ctrl-C to stop)"
exec node --disable-warning=TimeoutNegativeWarning scripts/demo/demo.ts
