import path from "node:path";
import { isRecord } from "../../content/record.ts";
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.ts";
import type { DocPath, LoadedFile } from "../../load/index.ts";
import type { ContentEntry } from "../../repository/index.ts";
import { rowViolations, uniqueViolations, type Violation } from "../../profiles/invariants.ts";
import { loadProfiles, type SourceProfile } from "../../profiles/profile.ts";
import type { RowSource } from "./case-spec.ts";
import type { TestsFile } from "../../content/generated/index.ts";
import { PROFILE_EXCEPTION_KEY, readRowSource, type RawRow } from "./fixture-rows.ts";

/** Case keys whose rows a profile may apply to. */
// raw vendor events (`raw:`) of a query case are checked like an ingestion case's `input:` rows
const SOURCE_KEYS = ["tables", "input", "raw"] as const;

/** A fixture row's written opt-out from some of its profile's invariants. */
interface RowException {
  ids: string[];
  reason: string;
}

/**
 * Checks every fixture row of the tests files against the profile of its table or input stream
 * (profiles/*.yaml): a broken invariant or a value outside the vocabulary is an error at the row (SC2160/SC2161),
 * unless the row carries a `$profileException` naming it with a reason (SC2162 when the exception is malformed or unused).
 */
export function checkFixtureProfiles(root: string, files: readonly ContentEntry[]): Diagnostic[] {
  const { profiles, diagnostics } = loadProfiles(root);
  const byTable = profileIndex(profiles, "tables");
  const byInput = profileIndex(profiles, "inputs");
  const seen = new Set<string>();
  for (const file of files) {
    // a tests file its schema refuses has no cases to read: the schema's findings say why
    if (file.kind !== "tests" || !file.value) continue;
    for (const source of fixtureSources(file.value)) {
      const profile = (source.key === "tables" ? byTable : byInput).get(source.name);
      if (!profile) continue;
      const identity = `${profile.source}\u0000${source.file ? path.resolve(path.dirname(file.absolutePath), source.file) : `${file.path}\u0000${source.path.join("/")}`}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      diagnostics.push(...checkSource(profile, source, file));
    }
  }
  return diagnostics;
}

function profileIndex(profiles: readonly SourceProfile[], key: "tables" | "inputs"): Map<string, SourceProfile> {
  return new Map(profiles.flatMap((p) => (p.appliesTo[key] ?? []).map((name) => [name, p] as const)));
}

type KeyedSource = RowSource & { key: "tables" | "input" | "raw" };

function fixtureSources(tests: TestsFile): KeyedSource[] {
  return tests.cases.flatMap((c, index) =>
    SOURCE_KEYS.flatMap((key) =>
      Object.entries(c[key] ?? {}).flatMap(([name, value]): KeyedSource[] => {
        const sourcePath: DocPath = ["cases", index, key, name];
        if (typeof value === "string") return [{ key, name, path: sourcePath, file: value }];
        if (Array.isArray(value)) return [{ key, name, path: sourcePath, rows: value }];
        return [];
      }),
    ),
  );
}

/** Reading problems are the test harness's to report (SC5005); here only the rows that were read are checked. */
function checkSource(profile: SourceProfile, source: RowSource, file: LoadedFile): Diagnostic[] {
  const { rows } = readRowSource(source, file);
  const found: Diagnostic[] = [];
  const exceptions = rows.map((row) => readException(row, found));
  const violations: { index: number; violation: Violation }[] = [
    ...rows.flatMap((row, index) => rowViolations(profile, row.values).map((violation) => ({ index, violation }))),
    ...uniqueViolations(profile, rows.map((r) => r.values)),
  ];
  const used = new Set<string>();
  for (const { index, violation } of violations) {
    const exception = exceptions[index];
    if (exception?.ids.includes(violation.id)) {
      used.add(`${index}\u0000${violation.id}`);
      continue;
    }
    const row = rows[index] as RawRow;
    const code = violation.id.startsWith("values:") ? "SC2161" : "SC2160";
    found.push(makeDiagnostic(code, row.at(violation.column), `${source.name} row ${index + 1} breaks profile ${profile.source} (${violation.id}): ${violation.message}. ${violation.reason} [source: ${citation(profile, violation.sources)}]`));
  }
  exceptions.forEach((exception, index) => {
    for (const id of exception?.ids ?? []) {
      if (used.has(`${index}\u0000${id}`)) continue;
      found.push(makeDiagnostic("SC2162", (rows[index] as RawRow).at(PROFILE_EXCEPTION_KEY), `${source.name} row ${index + 1}: the exception for ${id} excuses nothing (profile ${profile.source} has no such finding on this row); remove it`));
    }
  });
  return found;
}

function citation(profile: SourceProfile, ids: readonly string[]): string {
  return ids.map((id) => profile.references[id]?.where ?? id).join("; ");
}

/** The row's `$profileException` ({ invariants: [...], reason }), or undefined; a malformed one is reported. */
function readException(row: RawRow, found: Diagnostic[]): RowException | undefined {
  if (!(PROFILE_EXCEPTION_KEY in row.values)) return undefined;
  const raw = row.values[PROFILE_EXCEPTION_KEY];
  const record = isRecord(raw) ? raw : {};
  const ids = Array.isArray(record.invariants) ? record.invariants.filter((v): v is string => typeof v === "string") : [];
  const reason = typeof record.reason === "string" ? record.reason.trim() : "";
  if (ids.length === 0 || reason.length < 10) {
    found.push(makeDiagnostic("SC2162", row.at(PROFILE_EXCEPTION_KEY), `${PROFILE_EXCEPTION_KEY} needs invariants (a list of the profile's invariant ids or values:<column>) and a written reason (at least 10 characters)`));
    return undefined;
  }
  return { ids, reason };
}
