export { validateSchema } from "./validate-schema.ts";
export { SchemaRegistry, SCHEMAS_DIR, schemaPathOf, createAjv } from "./schema-registry.ts";
export type { KindSchema } from "./schema-registry.ts";
