// `npm run docs:schemas`: regenerates docs/schema-reference.md from schemas/*.schema.json and docs/diagnostics.md from the code catalog (each written to a temp file, then renamed).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderSchemaReference } from "../src/schema/schema-docs.ts";
import { writeFileAtomicSync } from "../src/files/write-atomic.ts";
import { CODES_PAGE, renderCodesPage } from "../src/diagnostics/codes-page.ts";

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../docs/schema-reference.md");
writeFileAtomicSync(target, renderSchemaReference());
console.log(`wrote ${path.relative(process.cwd(), target)}`);

const codesPage = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", CODES_PAGE);
writeFileAtomicSync(codesPage, renderCodesPage());
console.log(`wrote ${path.relative(process.cwd(), codesPage)}`);
