#!/usr/bin/env bash
# README command 2 (and CI): install what the tests need, then run every test — Vitest and Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing Debian chromium for the browser tests…"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

npm install --no-audit --no-fund
npm run content:check
npm run typecheck
npm run lint
npm run test:unit
npm run test:e2e
# After every browser journey, the indicator aggregates must still equal a full recomputation.
DATABASE_PATH=test-results/e2e.db npm run reports:check
