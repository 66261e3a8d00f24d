import { recordsOf } from "../../content/record.ts";
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.ts";
import { locate, locateInScalar, type LoadedFile } from "../../load/index.ts";
import type { CaseSpec } from "../spec/case-spec.ts";
import { readTyped } from "../spec/case-data.ts";
import { compareRows } from "../verdict/compare.ts";
import { problemMessage, type QueryEngine } from "./engine-port.ts";
import type { ResultTable } from "../verdict/result-table.ts";
import type { SchemaColumn, TypedTable } from "../spec/typed-rows.ts";
import type { Failure } from "../verdict/verdict.ts";
import type { Workspace } from "../spec/workspace.ts";

type Doc = Record<string, unknown>;

function columnsOf(value: unknown): SchemaColumn[] {
  return recordsOf(value)
    .filter((c) => typeof c.name === "string" && typeof c.type === "string")
    .map((c) => ({ name: c.name as string, type: (c.type as string).toLowerCase() }));
}

/** The table a DCR output stream writes to: `Custom-X_CL` → `X_CL`, `Microsoft-Syslog` → `Syslog`. */
export function outputTableOf(stream: string): string {
  return stream.replace(/^(Custom|Microsoft)-/, "");
}

/**
 * Runs one ingestion-mapping case: each input stream's rows (typed by the stream declaration) go through the
 * transformKql of every data flow reading that stream, as the table `source`; the output rows of each
 * destination table must equal the expected rows exactly (every output column named, order ignored).
 */
export function runIngestionCase(testsFile: LoadedFile, target: LoadedFile, workspace: Workspace, engine: QueryEngine, spec: CaseSpec): Failure[] {
  const data = (typeof target.data === "object" && target.data !== null ? target.data : {}) as Doc;
  const streams = new Map(recordsOf(data.streams).map((s) => [String(s.name), columnsOf(s.columns)]));
  const diagnostics: Diagnostic[] = [];
  const inputs = new Map<string, TypedTable>();
  for (const source of spec.input) {
    const columns = streams.get(source.name);
    if (!columns) {
      diagnostics.push(makeDiagnostic("SC5004", locate(testsFile, source.path), `${target.path} declares no stream ${source.name} (streams: ${[...streams.keys()].join(", ") || "none"})`));
      continue;
    }
    // the ingestion API drops input fields the stream does not declare
    inputs.set(source.name, readTyped(source, columns, testsFile, diagnostics, { ignoreUnknown: true }));
  }
  if (diagnostics.length > 0) return diagnostics.map((diagnostic) => ({ diagnostic }));
  const outputs = new Map<string, ResultTable>();
  const failures: Failure[] = [];
  recordsOf(data.dataFlows).forEach((flow, index) => {
    const transform = typeof flow.transformKql === "string" ? flow.transformKql : "source";
    const table = outputTableOf(String(flow.outputStream ?? ""));
    for (const stream of Array.isArray(flow.streams) ? flow.streams.map(String) : []) {
      const input = inputs.get(stream);
      if (!input) continue;
      const outcome = engine(transform, { tables: new Map([["source", { ...input, name: "source" }]]), functions: [], watchlists: new Map() }, spec.now ?? 0);
      if (!outcome.ok) {
        for (const p of outcome.problems) {
          const at = p.offset === undefined ? locate(target, ["dataFlows", index, "transformKql"]) : { file: target.path, start: locateInScalar(target, ["dataFlows", index, "transformKql"], p.offset) };
          failures.push({ diagnostic: makeDiagnostic("SC5011", at, problemMessage(p)) });
        }
        continue;
      }
      const previous = outputs.get(table);
      outputs.set(table, previous ? { columns: previous.columns, rows: [...previous.rows, ...outcome.table.rows] } : outcome.table);
    }
  });
  if (failures.length > 0) return failures;
  for (const [table, expected] of spec.expect.output ?? new Map<string, Record<string, unknown>[]>()) {
    const at = locate(testsFile, [...spec.path, "expect", "output", table]);
    const actual = outputs.get(table) ?? { columns: [], rows: [] };
    const destination = workspace.tables.get(table);
    const kept = destination ? actual.columns.filter((c) => destination.columns.some((d) => d.name === c.name)) : actual.columns;
    const named = new Set(expected.flatMap((row) => Object.keys(row)));
    const unnamed = expected.length > 0 ? kept.filter((c) => !named.has(c.name)).map((c) => c.name) : [];
    if (unnamed.length > 0) {
      failures.push({ diagnostic: makeDiagnostic("SC5001", at, `output columns ${unnamed.join(", ")} of ${table} are not in the expected rows (ingestion cases compare all columns)`) });
      continue;
    }
    const comparison = compareRows(expected, actual, false);
    if (!comparison.ok) failures.push({ diagnostic: makeDiagnostic("SC5001", at, `${table}: ${comparison.message}`), ...(comparison.diff ? { diff: comparison.diff } : {}) });
  }
  return failures;
}
