#!/usr/bin/env bash
# npm run bench: every benchmark, on SQLite and on PostgreSQL in the same run (issue 16, decision 029).
# Starts the local PostgreSQL cluster exactly as the tests do (scripts/pg-cluster.sh) unless BENCH_DATABASE_URL
# already names a server. BENCH_ENGINES=sqlite (or postgres) measures one engine only.
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINES="${BENCH_ENGINES:-sqlite,postgres}"
export BENCH_ENGINES="$ENGINES"
if [[ ",$ENGINES," == *",postgres,"* && -z "${BENCH_DATABASE_URL:-}" ]]; then
  BENCH_DATABASE_URL="$(bash scripts/pg-cluster.sh | tail -1)"
fi
export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-}"
started=$(date +%s)
for script in lesson-page quiz-submissions page-weight province-report agency-page import-during-requests backup-under-load; do
  echo "=== bench/$script.ts ==="
  npx tsx "bench/$script.ts"
done
echo "Whole run: $(( $(date +%s) - started )) s"
