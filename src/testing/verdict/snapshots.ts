import { existsSync, readFileSync, unlinkSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import type { AlertSnapshot } from "../simulation/alerts.ts";
import { diffLines } from "./line-diff.ts";
import { writeFileAtomicSync } from "../../files/write-atomic.ts";

/** What a case records in a snapshot: its alerts (timeline alerts carry the run that raised them). */
export type CaseSnapshot = (AlertSnapshot | ({ run: string } & AlertSnapshot))[];

/** The snapshot file of a tests file: `x.tests.yaml` → `x.snap.yaml` in the same folder. */
export function snapshotPathFor(testsPath: string): string {
  return testsPath.replace(/\.tests\.ya?ml$/i, ".snap.yaml");
}

/** A snapshot file's contents (case name → alerts), or a problem reading it. Missing files are empty. */
export function readSnapshotFile(file: string): { cases: Map<string, unknown>; error?: string } {
  if (!existsSync(file)) return { cases: new Map() };
  try {
    const data: unknown = parse(readFileSync(file, "utf8"));
    if (data === null || data === undefined) return { cases: new Map() };
    if (typeof data !== "object" || Array.isArray(data)) return { cases: new Map(), error: "a snapshot file must be a map from case name to alerts" };
    return { cases: new Map(Object.entries(data as Record<string, unknown>)) };
  } catch (error) {
    return { cases: new Map(), error: error instanceof Error ? error.message : String(error) };
  }
}

/** The YAML a case's snapshot is written as (also what comparisons use, so key order and spelling match). */
export function renderSnapshot(value: unknown): string {
  return stringify(value, { lineWidth: 0, sortMapEntries: false }).trimEnd();
}

/** Compares a stored snapshot with the actual alerts: undefined when equal, else a line diff of their YAML. */
export function diffSnapshot(stored: unknown, actual: CaseSnapshot): string | undefined {
  const want = renderSnapshot(stored);
  const got = renderSnapshot(actual);
  return want === got ? undefined : diffLines(want, got);
}

/**
 * Writes a snapshot file atomically (temp file + rename): entries for `keep` case names in their order, each
 * from `updates` when given there, else from the existing file; names not kept are dropped. An empty result
 * deletes the file.
 */
export function writeSnapshotFile(file: string, keep: readonly string[], updates: ReadonlyMap<string, CaseSnapshot>): void {
  const existing = readSnapshotFile(file).cases;
  const out: Record<string, unknown> = {};
  for (const name of keep) {
    if (updates.has(name)) out[name] = updates.get(name);
    else if (existing.has(name)) out[name] = existing.get(name);
  }
  if (Object.keys(out).length === 0) {
    if (existsSync(file)) unlinkSync(file);
    return;
  }
  const header = `# Alert snapshots of ${path.basename(file).replace(/\.snap\.yaml$/, ".tests.yaml")}: written by \`sentinel-content test --update-snapshots\`; review changes in PRs.\n`;
  writeFileAtomicSync(file, `${header}${stringify(out, { lineWidth: 0 })}`);
}
