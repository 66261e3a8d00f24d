import { recordsOf } from "../../content/record.ts";
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.ts";
import { locate, type LoadedFile } from "../../load/index.ts";
import type { CaseSpec } from "./case-spec.ts";
import { readTyped } from "./case-data.ts";
import { problemMessage, type QueryEngine } from "../run/engine-port.ts";
import { typeRows, type SchemaColumn, type TypedTable } from "./typed-rows.ts";
import type { Workspace } from "./workspace.ts";

/** One data flow of an ingestion mapping: the transform and the table it writes. */
export interface MappingFlow {
  table: string;
  transformKql: string;
  /** The mapping file, repository-relative. */
  file: string;
}

/** A DCR input stream an ingestion mapping declares: its columns and the data flows reading it. */
export interface MappingStream {
  columns: SchemaColumn[];
  flows: MappingFlow[];
}

type Doc = Record<string, unknown>;

/** The input streams the repository's ingestion mappings declare, by name. */
export function mappingStreams(workspace: Workspace): Map<string, MappingStream> {
  const streams = new Map<string, MappingStream>();
  for (const file of workspace.files.values()) {
    if (file.kind !== "ingestion-mapping" || typeof file.data !== "object" || file.data === null) continue;
    const data = file.data as Doc;
    for (const stream of recordsOf(data.streams)) {
      const columns = recordsOf(stream.columns)
        .filter((c) => typeof c.name === "string" && typeof c.type === "string")
        .map((c) => ({ name: c.name as string, type: (c.type as string).toLowerCase() }));
      const flows = recordsOf(data.dataFlows)
        .filter((f) => Array.isArray(f.streams) && f.streams.includes(stream.name))
        .map((f) => ({ table: String(f.outputStream ?? "").replace(/^(Custom|Microsoft)-/, ""), transformKql: typeof f.transformKql === "string" ? f.transformKql : "source", file: file.path }));
      streams.set(String(stream.name), { columns, flows });
    }
  }
  return streams;
}

/**
 * Runs stream rows (typed by the stream declaration, undeclared keys dropped as the ingestion API does) through
 * every data flow of the stream, as Azure's DCR would: each output keeps the columns its table has, typed by
 * the table's schema. Returns the rows per table, or the first problem as a message.
 */
export function transformStream(stream: MappingStream, source: TypedTable, workspace: Workspace, engine: QueryEngine, now: number): { tables: Map<string, TypedTable> } | { error: string; flow: MappingFlow } {
  const tables = new Map<string, TypedTable>();
  for (const flow of stream.flows) {
    const outcome = engine(flow.transformKql, { tables: new Map([["source", { ...source, name: "source" }]]), functions: [], watchlists: new Map() }, now);
    if (!outcome.ok) return { flow, error: `the transform of ${flow.file} into ${flow.table} failed: ${outcome.problems.map(problemMessage).join("; ")}` };
    const schema = workspace.tables.get(flow.table);
    if (!schema) return { flow, error: `${flow.file} writes ${flow.table}, which has no schema` };
    const columns = schema.columns.map((c) => ({ name: c.name, type: c.type }));
    const at = () => ({ file: flow.file });
    const objects = outcome.table.rows.map((row) => ({ values: Object.fromEntries(outcome.table.columns.map((c, i) => [c.name, row[i]])), at }));
    const typed = typeRows(flow.table, columns, objects, { ignoreUnknown: true });
    const problem = typed.diagnostics[0];
    if (problem) return { flow, error: `the transform of ${flow.file} wrote a value ${flow.table} cannot hold: ${problem.message}` };
    const previous = tables.get(flow.table);
    tables.set(flow.table, previous ? { ...previous, rows: [...previous.rows, ...typed.table.rows] } : typed.table);
  }
  return { tables };
}

/**
 * A case's raw vendor events (`raw:` per input stream) through the repository's ingestion mappings: the rows
 * each output table receives. A stream no mapping declares is reported (SC5053) at the case's key.
 */
export function ingestRawSources(spec: CaseSpec, testsFile: LoadedFile, workspace: Workspace, engine: QueryEngine, now: number): { tables: Map<string, TypedTable>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const tables = new Map<string, TypedTable>();
  if (spec.raw.length === 0) return { tables, diagnostics };
  const streams = mappingStreams(workspace);
  for (const source of spec.raw) {
    const stream = streams.get(source.name);
    if (!stream || stream.flows.length === 0) {
      const known = [...streams.keys()].join(", ") || "none";
      diagnostics.push(makeDiagnostic("SC5053", locate(testsFile, source.path), `no ingestion mapping reads a stream ${source.name} (streams: ${known})`));
      continue;
    }
    const typed = readTyped(source, stream.columns, testsFile, diagnostics, { ignoreUnknown: true });
    const out = transformStream(stream, typed, workspace, engine, now);
    if ("error" in out) {
      diagnostics.push(makeDiagnostic("SC5011", locate(testsFile, source.path), out.error));
      continue;
    }
    for (const [name, table] of out.tables) {
      const previous = tables.get(name);
      tables.set(name, previous ? { ...previous, rows: [...previous.rows, ...table.rows] } : table);
    }
  }
  return { tables, diagnostics };
}
