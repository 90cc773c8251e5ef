import { foldForSearch } from "~/text/folding";
import { cacheEvents, db } from "~/db.server";

// The 96 communes and their pre-2025 names, held in memory after the first read (they change by migration
// or admin edit only; `forgetCommunes()` drops the cache in every app process, decision 017).

export type Commune = { code: string; name: string; type: string; label: string };
type Alias = { communeCode: string; alias: string; base: string; full: string };

let cache: { communes: Commune[]; byCode: Map<string, Commune>; aliases: Alias[] } | undefined;

const PREFIX = /^(xa|phuong|thi tran|tt|p|x) /;

function label(c: { name: string; type: string }): string {
  return `${c.type === "phường" ? "Phường" : "Xã"} ${c.name}`;
}

async function load() {
  if (!cache) {
    await cacheEvents.watch(); // listening before reading: a change made after the read is heard
    const rows = await db().selectFrom("commune").selectAll().orderBy("search_name").execute();
    const communes = rows.map((r) => ({ code: r.code, name: r.name, type: r.type, label: label(r) }));
    const aliasRows = await db().selectFrom("commune_alias").select(["commune_code", "alias"]).execute();
    const aliases = aliasRows.map((a) => {
      const full = foldForSearch(a.alias);
      const base = foldForSearch(a.alias.replace(/\(.*?\)/g, "")).replace(PREFIX, "");
      return { communeCode: a.commune_code, alias: a.alias, base, full };
    });
    cache = { communes, byCode: new Map(communes.map((c) => [c.code, c])), aliases };
  }
  return cache;
}

cacheEvents.register("communes", () => {
  cache = undefined;
});

export function forgetCommunes(): Promise<void> {
  return cacheEvents.changed("communes");
}

export async function listCommunes(): Promise<Commune[]> {
  return (await load()).communes;
}

export async function communeByCode(code: string): Promise<Commune | undefined> {
  return (await load()).byCode.get(code);
}

export type CommuneMatch = { kind: "exact"; commune: Commune } | { kind: "choose"; candidates: { commune: Commune; formerName?: string }[] } | { kind: "none" };

/**
 * Finds the commune someone means, typed with or without diacritics: a current name ("tan ninh"), a code,
 * or a pre-2025 name ("Phường Hiệp Ninh" → Phường Tân Ninh), in which case they are asked to confirm.
 */
export async function resolveCommune(input: string): Promise<CommuneMatch> {
  const { communes, byCode, aliases } = await load();
  const text = input.trim();
  if (/^\d{5}$/.test(text)) {
    const commune = byCode.get(text);
    return commune ? { kind: "exact", commune } : { kind: "none" };
  }
  const full = foldForSearch(text);
  const query = full.replace(PREFIX, "");
  if (!query) return { kind: "none" };
  const exact = communes.filter((c) => foldForSearch(c.name) === query || foldForSearch(c.label) === full);
  if (exact.length === 1) return { kind: "exact", commune: exact[0] };

  const seen = new Set<string>();
  const candidates: { commune: Commune; formerName?: string }[] = [];
  const add = (commune: Commune | undefined, formerName?: string) => {
    if (commune && !seen.has(commune.code)) {
      seen.add(commune.code);
      candidates.push({ commune, formerName });
    }
  };
  for (const c of exact) add(c);
  for (const a of aliases) if (a.full === full || a.base === query) add(byCode.get(a.communeCode), a.alias);
  for (const c of communes) if (` ${foldForSearch(c.name)}`.includes(` ${query}`)) add(c);
  for (const a of aliases) if (` ${a.base}`.includes(` ${query}`)) add(byCode.get(a.communeCode), a.alias);
  return candidates.length ? { kind: "choose", candidates: candidates.slice(0, 8) } : { kind: "none" };
}
