// `npm run docs:schemas`: regenerates docs/schema-reference.md from schemas/*.schema.json (write to a temp file, then rename).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderSchemaReference } from "../src/schema/schema-docs.ts";
import { writeFileAtomicSync } from "../src/files/write-atomic.ts";

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../docs/schema-reference.md");
writeFileAtomicSync(target, renderSchemaReference());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
