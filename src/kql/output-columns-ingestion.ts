import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { locate, locateInScalar } from "../load/index.ts";
import { STANDARD_COLUMNS, type QuerySite, type ResultColumn, type TableSchema } from "./index.ts";

/** Column types the ingestion pipeline converts between without loss (Kusto widens int to long). */
const COMPATIBLE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["int", new Set(["long"])],
  ["long", new Set(["int"])],
]);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Where a column name first appears in a query's source text (whole word), or the start of the query. */
function columnLocation(site: QuerySite, column: string) {
  const source = sourceText(site);
  const match = new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(column)}(?![A-Za-z0-9_])`).exec(source);
  const offset = match?.index ?? 0;
  return {
    file: site.file.path,
    start: locateInScalar(site.file, site.path, offset),
    end: locateInScalar(site.file, site.path, offset + (match ? column.length : 0)),
  };
}

function sourceText(site: QuerySite): string {
  let node: unknown = site.file.data;
  for (const segment of site.path) {
    if (typeof node !== "object" || node === null) return "";
    node = (node as Record<string | number, unknown>)[segment];
  }
  return typeof node === "string" ? node : "";
}

/** A transform's result must fit its target table: every output column declared there, with a compatible type. */
export function checkTransformOutput(site: QuerySite, columns: readonly ResultColumn[], target: TableSchema | undefined): Diagnostic[] {
  if (!site.transform) return [];
  const flow = site.path.slice(0, -1);
  if (!target) {
    return [
      makeDiagnostic(
        "SC3022",
        locate(site.file, [...flow, "outputStream"]),
        `output stream '${site.transform.outputStream}' writes to table '${site.transform.table}', which is neither declared under tables: nor a known built-in table`,
      ),
    ];
  }
  const declared = new Map(target.columns.map((c) => [c.name, c]));
  const out: Diagnostic[] = [...missingTimeGenerated(site, columns)];
  for (const column of columns) {
    const into = declared.get(column.name);
    if (!into) {
      const near = target.columns.find((c) => c.name.toLowerCase() === column.name.toLowerCase());
      out.push(
        makeDiagnostic(
          "SC3020",
          columnLocation(site, column.name),
          `transform outputs column '${column.name}', which table '${target.name}' does not have`,
          near ? { hint: `did you mean '${near.name}'? (column names are case-sensitive)` } : {},
        ),
      );
      continue;
    }
    if (column.type === "unknown" || column.type === into.type || COMPATIBLE.get(column.type)?.has(into.type)) continue;
    out.push(
      makeDiagnostic(
        "SC3021",
        columnLocation(site, column.name),
        `transform outputs '${column.name}' as ${column.type}, but table '${target.name}' declares it ${into.type}`,
      ),
    );
  }
  return out;
}

/** SC3038: Azure Monitor stores a transform's output only with a TimeGenerated column of type datetime. */
function missingTimeGenerated(site: QuerySite, columns: readonly ResultColumn[]): Diagnostic[] {
  const column = columns.find((c) => c.name === "TimeGenerated");
  if (column && (column.type === "datetime" || column.type === "unknown")) return [];
  const problem = column ? `outputs TimeGenerated as ${column.type}` : "has no TimeGenerated column";
  return [makeDiagnostic("SC3038", locate(site.file, site.path), `the transform ${problem}; its output needs TimeGenerated of type datetime`)];
}

/** The columns of each custom table that some transform writes (only tables that at least one transform targets). */
export type FilledColumns = ReadonlyMap<string, ReadonlySet<string>>;

const STANDARD_NAMES = new Set(STANDARD_COLUMNS.map((c) => c.name));

/** Warns when a query reads a column of a custom table that no transform in the repository ever writes. */
export function checkUnfilledColumns(site: QuerySite, referenced: readonly { table: string; column: string }[], filled: FilledColumns): Diagnostic[] {
  return referenced.flatMap(({ table, column }) => {
    const written = filled.get(table);
    if (!written || written.has(column) || STANDARD_NAMES.has(column)) return [];
    return [
      makeDiagnostic(
        "SC3023",
        columnLocation(site, column),
        `column '${column}' of ${table} is read here, but no ingestion transform writing ${table} outputs it`,
      ),
    ];
  });
}
