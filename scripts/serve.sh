#!/usr/bin/env bash
# README command 1: install, migrate, load content and demo data, build and serve on http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund
npm run setup -- --demo
npm run keys:generate # the certificate signing key, in data/ (kept if it exists)
npm run build
NODE_ENV=production exec npm start
