#!/usr/bin/env bash
# Starts the production build for Playwright on a fresh database with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_PATH="${DATABASE_PATH:-test-results/e2e.db}"
rm -f "$DATABASE_PATH" "$DATABASE_PATH-wal" "$DATABASE_PATH-shm"
# On PostgreSQL (DATABASE_URL), a fresh database of that name instead of a fresh file.
if [ -n "${DATABASE_URL:-}" ]; then npx tsx scripts/pg-database.ts recreate "$DATABASE_URL"; fi
npx tsx scripts/setup.ts --demo
# The certificate signing key of this test server (decision 022), outside the repository like a real one.
export CREDENTIAL_KEY_PATH="${CREDENTIAL_KEY_PATH:-test-results/credential-key.json}"
npx tsx scripts/keys-generate.ts
export NODE_ENV=production
exec node build/index.js
