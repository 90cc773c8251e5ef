import type { Generated } from "kysely";

// Typed schema of the SQLite database. Keep in step with db/migrations (forward-only).

export interface CommuneTable {
  code: string; // official 5-digit code, text
  name: string;
  type: string; // "xã" | "phường"
  search_name: string; // diacritic-free, for matching
}

export interface CommuneAliasTable {
  id: Generated<number>;
  commune_code: string;
  alias: string; // pre-2025 unit name, e.g. "Phường Hiệp Ninh"
  search_alias: string;
}

export interface DB {
  commune: CommuneTable;
  commune_alias: CommuneAliasTable;
}
