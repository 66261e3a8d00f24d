/** `npm run docs`: regenerates docs/content/ from the content; `npm run docs -- --check` only reports stale files. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ExitError } from "../src/diagnostics/errors.ts";
import { DOCS_OUTPUT_DIR, generateDocs } from "../src/docs/generate.ts";
import { staleDocs, writeDocs } from "../src/docs/write.ts";
import { loadRepository } from "../src/repository/index.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(root, DOCS_OUTPUT_DIR);
const files = await generated();
// without files the reason is printed and the exit code set already
if (files && process.argv.includes("--check")) {
  const stale = staleDocs(outDir, files);
  for (const rel of stale) process.stdout.write(`stale: ${DOCS_OUTPUT_DIR}/${rel}\n`);
  process.stdout.write(stale.length === 0 ? `${DOCS_OUTPUT_DIR} is current (${files.size} files)\n` : "run `npm run docs` and commit the result\n");
  process.exitCode = stale.length === 0 ? 0 : 1;
} else if (files) {
  const changed = writeDocs(outDir, files);
  process.stdout.write(`${DOCS_OUTPUT_DIR}: ${files.size} files, ${changed.length} written or removed\n`);
}

/** The generated pages, or undefined (the reason printed, the exit code set) when the content cannot be documented. */
async function generated(): Promise<Map<string, string> | undefined> {
  try {
    return generateDocs(await loadRepository(root));
  } catch (error) {
    if (!(error instanceof ExitError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
    return undefined;
  }
}
