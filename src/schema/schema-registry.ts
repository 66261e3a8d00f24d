import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ContentKind } from "../content/kinds.ts";
import { InternalError } from "../diagnostics/index.ts";

/** The repository's schemas/ folder (beside src/). */
export const SCHEMAS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../schemas");

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;

/** A compiled schema of one content kind. */
export interface KindSchema {
  kind: ContentKind;
  /** The schema document (for hints: property lists and descriptions). */
  schema: Record<string, unknown>;
  validate: ValidateFunction;
}

/** Path of the JSON Schema of a kind: `schemas/<kind>.schema.json`. */
export function schemaPathOf(kind: ContentKind, dir = SCHEMAS_DIR): string {
  return path.join(dir, `${kind}.schema.json`);
}

/** Builds the ajv instance every schema compiles with: draft 2020-12, strict, all errors, standard formats. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  return ajv;
}

/** Loads and compiles `schemas/<kind>.schema.json` once per process; undefined when the kind has no schema file yet. */
export class SchemaRegistry {
  private readonly ajv = createAjv();
  private readonly compiled = new Map<ContentKind, KindSchema | undefined>();

  constructor(private readonly dir = SCHEMAS_DIR) {}

  /** The compiled schema of a kind, or undefined when `schemas/<kind>.schema.json` does not exist. */
  get(kind: ContentKind): KindSchema | undefined {
    if (this.compiled.has(kind)) return this.compiled.get(kind);
    const file = schemaPathOf(kind, this.dir);
    let entry: KindSchema | undefined;
    if (existsSync(file)) {
      let schema: Record<string, unknown>;
      try {
        schema = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        entry = { kind, schema, validate: this.ajv.compile(schema) };
      } catch (error) {
        throw new InternalError(`schema ${file} does not compile: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.compiled.set(kind, entry);
    return entry;
  }
}
