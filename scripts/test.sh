#!/usr/bin/env bash
# README command 2 (and CI): install what the tests need, then run every test — Vitest and Playwright — on
# SQLite and on PostgreSQL (decision 016). TEST_ENGINES=sqlite (or postgres) runs one engine only.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINES="${TEST_ENGINES:-sqlite postgres}"
E2E_PORT="${E2E_PORT:-3111}"
export E2E_PORT

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing Debian chromium for the browser tests…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# The screenshot baselines (test/e2e/screenshots.spec.ts) and the layout checks were made with Noto Sans, the
# font `system-ui` resolves to on Debian when it is installed; without it Chromium falls back to the wider
# DejaVu Sans and every page grows taller. A fresh machine may not have it.
if ! fc-list 2>/dev/null | grep -q "Noto Sans"; then
  echo "Installing Debian fonts-noto-core for the browser tests…"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-core >/dev/null
fi

npm install --no-audit --no-fund
npm run content:check
npm run typecheck
npm run lint
npm run format:check

for engine in $ENGINES; do
  echo "=== $engine ==="
  if [ "$engine" = "postgres" ]; then
    # Installs Debian's postgresql when missing and starts a throwaway cluster on a local port (root-safe).
    SERVER_URL="$(bash scripts/pg-cluster.sh | tail -1)"
    E2E_URL="${SERVER_URL%/*}/hvs_e2e_${E2E_PORT}"
    TEST_DATABASE_URL="$SERVER_URL" npm run test:unit
    E2E_DATABASE_URL="$E2E_URL" npm run test:e2e
    # After every browser journey, the indicator aggregates must still equal a full recomputation.
    DATABASE_URL="$E2E_URL" npm run reports:check
  else
    npm run test:unit
    npm run test:e2e
    DATABASE_PATH=test-results/e2e.db npm run reports:check
  fi
done
