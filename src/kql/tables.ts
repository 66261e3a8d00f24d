import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The scalar types a Log Analytics column can have, as KQL spells them. */
export type KqlScalarType = "bool" | "int" | "long" | "real" | "decimal" | "string" | "datetime" | "timespan" | "guid" | "dynamic";

const SCALAR_TYPES: ReadonlySet<string> = new Set<KqlScalarType>([
  "bool",
  "int",
  "long",
  "real",
  "decimal",
  "string",
  "datetime",
  "timespan",
  "guid",
  "dynamic",
]);

/** True when `type` is one of the KQL scalar type names (lower case). */
export function isKqlScalarType(type: string): type is KqlScalarType {
  return SCALAR_TYPES.has(type);
}

/** One column of a table or of a function's result. */
export interface ColumnSchema {
  name: string;
  type: KqlScalarType;
}

/** A Log Analytics table: its name and columns (names are case-sensitive). */
export interface TableSchema {
  name: string;
  columns: ColumnSchema[];
}

/** A bundled built-in function (e.g. `_Im_Dns`, `_GetWatchlist`) known only by its signature and result columns. */
export interface BundledFunctionSchema {
  name: string;
  parameters: { name: string; type: string; required: boolean }[];
  columns: ColumnSchema[];
  /** True when the real function returns further columns not known statically (e.g. `_GetWatchlist`). */
  dynamicColumns?: boolean;
}

/** The columns Azure Monitor adds to every Log Analytics table (learn.microsoft.com, "Standard columns in Azure Monitor Logs"). */
export const STANDARD_COLUMNS: readonly ColumnSchema[] = [
  { name: "TenantId", type: "string" },
  { name: "TimeGenerated", type: "datetime" },
  { name: "_TimeReceived", type: "datetime" },
  { name: "Type", type: "string" },
  { name: "_ItemId", type: "string" },
  { name: "_ResourceId", type: "string" },
  { name: "_SubscriptionId", type: "string" },
  { name: "_IsBillable", type: "string" },
  { name: "_BilledSize", type: "real" },
];

/** The folder holding the bundled schemas (schemas/tables/ at the package root). */
export const BUNDLED_TABLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../schemas/tables");

let tables: Map<string, TableSchema> | undefined;
let functions: Map<string, BundledFunctionSchema> | undefined;
let tableNames: Set<string> | undefined;
const tableCache = new Map<string, TableSchema>();

function readJsonFiles<T>(dir: string): T[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as T);
}

/** The names of the bundled tables (from the file names; nothing is parsed). */
export function bundledTableNames(): ReadonlySet<string> {
  tableNames ??= new Set(
    readdirSync(BUNDLED_TABLES_DIR)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length)),
  );
  return tableNames;
}

/** One bundled table schema, read on first use (undefined when there is none of that exact name). */
export function loadBundledTable(name: string): TableSchema | undefined {
  if (!bundledTableNames().has(name)) return undefined;
  let table = tableCache.get(name);
  if (!table) {
    const raw = JSON.parse(readFileSync(path.join(BUNDLED_TABLES_DIR, `${name}.json`), "utf8")) as TableSchema;
    if (raw.name !== name) return undefined;
    table = { name: raw.name, columns: raw.columns };
    tableCache.set(name, table);
  }
  return table;
}

/** Every bundled Log Analytics table schema by name (read once per thread). */
export function loadBundledTables(): Map<string, TableSchema> {
  tables ??= new Map(
    [...bundledTableNames()].sort().flatMap((name) => {
      const table = loadBundledTable(name);
      return table ? [[name, table] as const] : [];
    }),
  );
  return tables;
}

/** The bundled built-in functions (`_GetWatchlist`, the ASIM `_Im_*` parsers) by name (read once per thread). */
export function loadBundledFunctions(): Map<string, BundledFunctionSchema> {
  functions ??= new Map(
    readJsonFiles<BundledFunctionSchema & { kind: string }>(path.join(BUNDLED_TABLES_DIR, "functions")).map((f) => [
      f.name,
      {
        name: f.name,
        parameters: f.parameters,
        columns: f.columns,
        ...(f.dynamicColumns ? { dynamicColumns: true } : {}),
      },
    ]),
  );
  return functions;
}
