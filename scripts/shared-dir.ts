import path from "node:path";
import { fileURLToPath } from "node:url";

/** The read-only `shared/` folder beside the repository (corpus, table schemas, conformance cases) that the scripts read. */
export const SHARED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../shared");
