#!/usr/bin/env bash
# Starts the production build for Playwright on a fresh database with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_PATH="${DATABASE_PATH:-test-results/e2e.db}"
rm -f "$DATABASE_PATH" "$DATABASE_PATH-wal" "$DATABASE_PATH-shm"
# On PostgreSQL (DATABASE_URL), a fresh database of that name instead of a fresh file.
if [ -n "${DATABASE_URL:-}" ]; then npx tsx scripts/pg-database.ts recreate "$DATABASE_URL"; fi
npx tsx scripts/setup.ts --demo
export NODE_ENV=production
exec node build/index.js
