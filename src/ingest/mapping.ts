import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";

/** A column of a table or stream in an ingestion mapping. */
export interface MappingColumn {
  name: string;
  type: string;
  description?: string;
}

/** One ingestion-mapping file (docs/design/content-model.md, "Ingestion mappings"). */
export interface IngestionMapping {
  id: string;
  name: string;
  description?: string;
  tables?: { name: string; plan?: string; retentionInDays?: number; totalRetentionInDays?: number; description?: string; columns: MappingColumn[] }[];
  streams: { name: string; columns: MappingColumn[] }[];
  dataFlows: { streams: string[]; outputStream: string; transformKql: string }[];
}

/** The package root (two folders above src/ingest). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The mapping the `chatgpt` source uses unless --mapping says otherwise. */
export const CHATGPT_MAPPING_FILE = path.join(PACKAGE_ROOT, "ingestion/chatgpt/chatgpt-compliance.yaml");

/** The mapping the `openai` source uses unless --mapping says otherwise. */
export const OPENAI_MAPPING_FILE = path.join(PACKAGE_ROOT, "ingestion/openai/openai-audit-logs.yaml");

/** The mapping is not valid against schemas/ingestion-mapping.schema.json. */
export class InvalidMappingError extends Error {
  override name = "InvalidMappingError";
}

let validator: ReturnType<Ajv2020["compile"]> | undefined;

async function validate(data: unknown): Promise<string[]> {
  if (!validator) {
    const schema = JSON.parse(await readFile(path.join(PACKAGE_ROOT, "schemas/ingestion-mapping.schema.json"), "utf8")) as object;
    validator = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  }
  if (validator(data)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
}

/** Reads and schema-checks an ingestion mapping (throws InvalidMappingError listing every problem). */
export async function loadMapping(file: string): Promise<IngestionMapping> {
  const data: unknown = parse(await readFile(file, "utf8"));
  const problems = await validate(data);
  if (problems.length > 0) throw new InvalidMappingError(`${file}: ${problems.join("; ")}`);
  return data as IngestionMapping;
}

/** The table name an output stream writes to (`Custom-X_CL` → `X_CL`, `Microsoft-X` → `X`). */
export function outputTableOf(outputStream: string): string {
  return outputStream.replace(/^(Custom|Microsoft)-/, "");
}

/** The column names of a declared stream, or undefined when the mapping does not declare it. */
export function streamColumnsOf(mapping: IngestionMapping, stream: string): Set<string> | undefined {
  const declared = mapping.streams.find((s) => s.name === stream);
  return declared ? new Set(declared.columns.map((c) => c.name)) : undefined;
}

/** The data flows fed by a stream, with the table each one writes to. */
export function flowsOf(mapping: IngestionMapping, stream: string): { table: string; transformKql: string }[] {
  return mapping.dataFlows
    .filter((f) => f.streams.includes(stream))
    .map((f) => ({ table: outputTableOf(f.outputStream), transformKql: f.transformKql }));
}
