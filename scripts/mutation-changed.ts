// `npm run test:mutation:changed [-- --base <ref>] [--list] [other Stryker options]`: mutation testing of only the
// domain modules that differ from a base ref (default origin/main, else main), committed or not. The whole
// domain takes hours; a change usually touches one to three modules, which take minutes (docs/testing.md).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

// The folders stryker.config.mjs mutates; components (.tsx) and tests are not mutated.
const DOMAIN = /^app\/(learning|cohorts|reports|accounts)\/.+\.ts$/;

const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();

function refExists(ref: string): boolean {
  return spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).status === 0;
}

function baseRef(args: string[]): { base: string; rest: string[] } {
  const at = args.indexOf("--base");
  if (at >= 0) {
    if (!args[at + 1]) throw new Error("--base needs a git ref, e.g. --base origin/main");
    return { base: args[at + 1], rest: [...args.slice(0, at), ...args.slice(at + 2)] };
  }
  const base = process.env.MUTATION_BASE ?? ["origin/main", "main"].find(refExists);
  if (!base) throw new Error("No base ref: pass --base <ref> or set MUTATION_BASE.");
  return { base, rest: args };
}

/** Domain modules added or changed since the merge base, including uncommitted edits, that still exist. */
export function changedDomainFiles(base: string): string[] {
  const since = git("merge-base", base, "HEAD");
  const names = git("diff", "--name-only", "--diff-filter=AMR", since).split("\n").filter(Boolean);
  return names.filter((name) => DOMAIN.test(name) && existsSync(name)).sort();
}

function main() {
  const args = process.argv.slice(2);
  const listOnly = args.includes("--list"); // print the files, run nothing
  const { base, rest } = baseRef(args.filter((a) => a !== "--list"));
  const files = changedDomainFiles(base);
  if (files.length === 0) {
    console.log(`No domain module (app/learning, app/cohorts, app/reports, app/accounts) changed since ${base}: nothing to mutate.`);
    return;
  }
  if (listOnly) {
    console.log(files.join("\n"));
    return;
  }
  console.log(`Mutating ${files.length} changed domain module(s) since ${base}:\n  ${files.join("\n  ")}`);
  const run = spawnSync("npx", ["stryker", "run", "--mutate", files.join(","), ...rest], { stdio: "inherit" });
  process.exitCode = run.status ?? 1;
}

main();
