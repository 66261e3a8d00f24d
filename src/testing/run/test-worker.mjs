// Worker entry: registers tsx (workers do not inherit the parent's loader) and runs the TypeScript worker body.
import { register } from "tsx/esm/api";

register();
await import("./test-worker.ts");
