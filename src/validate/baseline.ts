import { readFileSync } from "node:fs";
import { ExitError, type Diagnostic } from "../diagnostics/index.ts";
import { writeFileAtomicSync } from "../files/write-atomic.ts";

/** The default baseline file, at the repository root. */
export const DEFAULT_BASELINE = ".sentinel-content-baseline.json";

/** One accepted finding: matched by file, code and message (not by line, so edits above it do not break the match), up to `count` times. */
export interface BaselineEntry {
  file: string;
  code: string;
  message: string;
  count: number;
}

/** A baseline file: the findings a repository had when it adopted the gate. */
export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

const keyOf = (d: { file: string; code: string; message: string }) => `${d.file}\u0000${d.code}\u0000${d.message}`;

/** The baseline of a set of findings (warnings and errors; info findings never fail a run), sorted for stable diffs. */
export function baselineOf(diagnostics: readonly Diagnostic[]): Baseline {
  const counts = new Map<string, BaselineEntry>();
  for (const d of diagnostics.filter((x) => x.severity !== "info")) {
    const entry = counts.get(keyOf(d)) ?? { file: d.file, code: d.code, message: d.message, count: 0 };
    entry.count++;
    counts.set(keyOf(d), entry);
  }
  const findings = [...counts.values()].sort((a, b) => a.file.localeCompare(b.file) || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
  return { version: 1, findings };
}

/** Writes a baseline atomically (no partial file); exit 2 when it cannot be written. */
export function writeBaseline(file: string, baseline: Baseline): void {
  try {
    writeFileAtomicSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    throw new ExitError(2, `cannot write the baseline ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reads a baseline file; a missing or malformed one is a usage error (exit 2) naming the file, never an empty baseline. */
export function readBaseline(file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ExitError(2, `cannot read the baseline ${file}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  const findings = (data as { findings?: unknown } | null)?.findings;
  if ((data as { version?: unknown } | null)?.version !== 1 || !Array.isArray(findings) || !findings.every(isEntry)) {
    throw new ExitError(2, `the baseline ${file} is not a sentinel-content baseline (version 1, findings: [{file, code, message, count}]); write one with --write-baseline`);
  }
  return { version: 1, findings };
}

function isEntry(value: unknown): value is BaselineEntry {
  const e = value as Partial<BaselineEntry> | null;
  return typeof e?.file === "string" && typeof e.code === "string" && typeof e.message === "string" && Number.isInteger(e.count) && (e.count ?? 0) > 0;
}

/** The findings not accepted by the baseline (each entry accepts up to `count` equal findings), and how many it accepted. */
export function applyBaseline(diagnostics: readonly Diagnostic[], baseline: Baseline): { diagnostics: Diagnostic[]; accepted: number } {
  const remaining = new Map(baseline.findings.map((e) => [keyOf(e), e.count]));
  let accepted = 0;
  const kept = diagnostics.filter((d) => {
    const left = remaining.get(keyOf(d)) ?? 0;
    if (left === 0 || d.severity === "info") return true;
    remaining.set(keyOf(d), left - 1);
    accepted++;
    return false;
  });
  return { diagnostics: kept, accepted };
}
