// Regenerates schemas/tables/ (the bundled Log Analytics table schemas) from the shared folder beside the repository:
//   npx tsx scripts/build-table-schemas.ts [sharedDir]
// Merge rule (as the corpus README states): the corpus schema (Microsoft's KQL-validation CustomTables
// columns first, then documented columns) wins; columns only the table reference has are appended, then
// AzureDiagnostics' Cognitive Services extra columns, then the Azure Monitor standard columns every table has.
import { mkdirSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isKqlScalarType, type KqlScalarType } from "../src/kql/tables.ts";
import { writeFileAtomicSync } from "../src/files/write-atomic.ts";
import { SHARED_DIR } from "./shared-dir.ts";

interface RawColumn {
  name: string;
  type: string;
}
interface RawSchema {
  name: string;
  kind?: string;
  columns?: RawColumn[];
  extra_columns?: RawColumn[];
  parameters?: { Name: string; Type: string; IsRequired?: boolean }[];
  dynamicColumns?: boolean;
  source?: string;
}
interface OutColumn {
  name: string;
  type: KqlScalarType;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const shared = path.resolve(process.argv[2] ?? SHARED_DIR);
const referenceDir = path.join(shared, "tables");
const corpusDir = path.join(shared, "corpus/azure-sentinel/tables");
const outDir = path.join(root, "schemas/tables");

function readSchemas(dir: string): Map<string, RawSchema> {
  const out = new Map<string, RawSchema>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "index.json")) {
    const schema = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as RawSchema;
    if (schema.columns || schema.kind === "function") out.set(schema.name, schema);
  }
  return out;
}

/** Spellings seen in the sources for KQL types (`sbyte` is how Kusto's .NET schema names bool). */
const TYPE_ALIASES: Readonly<Record<string, KqlScalarType>> = {
  integer: "int",
  "date/time": "datetime",
  sbyte: "bool",
  boolean: "bool",
  double: "real",
};

function normaliseColumns(columns: readonly RawColumn[], table: string): OutColumn[] {
  return columns.map((c) => {
    const lower = c.type.toLowerCase();
    const type = TYPE_ALIASES[lower] ?? lower;
    if (!isKqlScalarType(type)) throw new Error(`${table}.${c.name}: unknown type ${c.type}`);
    return { name: c.name, type };
  });
}

function appendMissing(into: OutColumn[], extra: readonly OutColumn[]): void {
  const seen = new Set(into.map((c) => c.name));
  for (const column of extra) {
    if (seen.has(column.name)) continue;
    seen.add(column.name);
    into.push(column);
  }
}

/** Pretty JSON with one array element (column, parameter) per line, so diffs stay readable. */
function formatJson(value: Record<string, unknown>): string {
  const lines = Object.entries(value).map(([key, v]) => {
    if (!Array.isArray(v)) return `  ${JSON.stringify(key)}: ${JSON.stringify(v)}`;
    const items = v.map((item) => `    ${JSON.stringify(item)}`).join(",\n");
    return `  ${JSON.stringify(key)}: [${items ? `\n${items}\n  ` : ""}]`;
  });
  return `{\n${lines.join(",\n")}\n}\n`;
}

/**
 * Corrections to the sources, each found by running the analyser over Microsoft's corpus (docs/corpus-findings.md):
 * - Defender XDR tables streamed to Log Analytics keep the advanced-hunting `Timestamp` column, which the Azure
 *   Monitor reference pages omit (Microsoft's own rules on these tables filter on it).
 * - Tables created by the legacy HTTP Data Collector API (the corpus' CustomTables `_CL` tables) carry the classic
 *   custom-log columns, which the CustomTables files omit.
 * - Columns Microsoft's own rules read and its KQL-validation CI accepted, missing from the documentation pages:
 *   SecurityEvent.AccessList, W3CIISLog.sComputerName and W3CIISLog.FileUri.
 * - The kql-validation CustomFunctions file types every `_Im_Dns` parameter as datetime; these are the ASIM DNS
 *   filtering parameters' real types.
 */
const DEFENDER_XDR_TABLES = [
  "AlertEvidence", "AlertInfo", "CloudAppEvents", "DeviceEvents", "DeviceFileCertificateInfo", "DeviceFileEvents",
  "DeviceImageLoadEvents", "DeviceInfo", "DeviceLogonEvents", "DeviceNetworkEvents", "DeviceNetworkInfo",
  "DeviceProcessEvents", "DeviceRegistryEvents", "EmailAttachmentInfo", "EmailEvents", "EmailPostDeliveryEvents",
  "EmailUrlInfo", "IdentityDirectoryEvents", "IdentityLogonEvents", "IdentityQueryEvents", "UrlClickEvents",
];
const XDR_COLUMNS: OutColumn[] = [{ name: "Timestamp", type: "datetime" }];
const DATA_COLLECTOR_COLUMNS: OutColumn[] = ["SourceSystem", "MG", "ManagementGroupName", "Computer", "RawData"].map((name) => ({ name, type: "string" }));
const FUNCTION_PARAMETER_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  _Im_Dns: {
    srcipaddr: "string",
    domain_has_any: "dynamic",
    responsecodename: "string",
    response_has_ipv4: "string",
    response_has_any_prefix: "dynamic",
    eventtype: "string",
  },
};

const UNDOCUMENTED_COLUMNS: Readonly<Record<string, OutColumn[]>> = {
  SecurityEvent: [{ name: "AccessList", type: "string" }],
  W3CIISLog: [
    { name: "sComputerName", type: "string" },
    { name: "FileUri", type: "string" },
  ],
};

function corrections(name: string, fromCorpus: RawSchema | undefined): OutColumn[] {
  const undocumented = UNDOCUMENTED_COLUMNS[name];
  if (undocumented) return undocumented;
  if (DEFENDER_XDR_TABLES.includes(name)) return XDR_COLUMNS;
  if (name.endsWith("_CL") && fromCorpus?.source?.includes("KqlvalidationsTests/CustomTables")) return DATA_COLLECTOR_COLUMNS;
  return [];
}

function writeJson(file: string, value: Record<string, unknown>): void {
  writeFileAtomicSync(file, formatJson(value));
}

function main(): void {
  if (!existsSync(referenceDir) || !existsSync(corpusDir)) {
    console.error(`build-table-schemas: ${shared} has no tables/ or corpus/azure-sentinel/tables/`);
    process.exitCode = 2;
    return;
  }
  const reference = readSchemas(referenceDir);
  const corpus = readSchemas(corpusDir);
  const index = JSON.parse(readFileSync(path.join(referenceDir, "index.json"), "utf8")) as {
    standard_columns: { columns: RawColumn[] };
  };
  const standard = normaliseColumns(index.standard_columns.columns, "standard columns");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, "functions"), { recursive: true });
  const names = [...new Set([...reference.keys(), ...corpus.keys()])].sort();
  let tables = 0;
  let functions = 0;
  for (const name of names) {
    const fromCorpus = corpus.get(name);
    const fromReference = reference.get(name);
    if (fromCorpus?.kind === "function") {
      writeJson(path.join(outDir, "functions", `${name}.json`), {
        name,
        kind: "function",
        parameters: (fromCorpus.parameters ?? []).map((p) => ({
          name: p.Name,
          type: FUNCTION_PARAMETER_TYPES[name]?.[p.Name] ?? p.Type,
          required: p.IsRequired ?? false,
        })),
        columns: normaliseColumns(fromCorpus.columns ?? [], name),
        ...(fromCorpus.dynamicColumns ? { dynamicColumns: true } : {}),
        source: fromCorpus.source,
      });
      functions++;
      continue;
    }
    const columns = normaliseColumns(fromCorpus?.columns ?? [], name);
    appendMissing(columns, normaliseColumns(fromReference?.columns ?? [], name));
    appendMissing(columns, normaliseColumns(fromReference?.extra_columns ?? [], name));
    appendMissing(columns, corrections(name, fromCorpus));
    appendMissing(columns, standard);
    const sources = [fromCorpus?.source, fromReference?.source].filter((s): s is string => Boolean(s));
    writeJson(path.join(outDir, `${name}.json`), { name, kind: "table", columns, sources });
    tables++;
  }
  console.log(`build-table-schemas: wrote ${tables} tables and ${functions} functions to ${path.relative(root, outDir)}`);
}

main();
