// `npm run docs:schemas`: regenerates docs/schema-reference.md from schemas/*.schema.json (write to a temp file, then rename).
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderSchemaReference } from "../src/schema/schema-docs.ts";

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../docs/schema-reference.md");
writeFileSync(`${target}.tmp`, renderSchemaReference());
renameSync(`${target}.tmp`, target);
console.log(`wrote ${path.relative(process.cwd(), target)}`);
