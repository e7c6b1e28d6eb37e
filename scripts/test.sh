#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs dependencies, brings up the four real
# servers when they are not up, then checks formatting, lint and types and runs every test.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

step() { printf '\n== %s\n' "$*"; }

# node_modules/.package-lock.json is what npm last installed; reinstall when the lockfile is newer.
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing dependencies (npm ci)"
  npm ci --no-fund --no-audit
fi
export PATH="$root/node_modules/.bin:$PATH"
echo "node $(node --version)"

step "services"
bash scripts/services.sh up

step "format"
prettier --check . >/dev/null || { prettier --check . || true; echo "formatting differs: run npm run format"; exit 1; }
step "lint"
eslint --max-warnings 0 .
step "typecheck"
tsc --noEmit -p tsconfig.json

step "tests"
export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=TimeoutNegativeWarning"
# One test file at a time: several files restart or load the shared servers.
node --test --test-reporter=spec --test-concurrency=1 --test-timeout=600000 \
  'test/unit/**/*.test.ts' 'test/integration/**/*.test.ts'
