#!/usr/bin/env node
// Entry point of the `sentinel-content` CLI. The installed package runs the compiled JavaScript in dist/;
// a source checkout (src/ present) runs the TypeScript sources through tsx, so edits need no build step.
import { existsSync } from "node:fs";
import module from "node:module";

// reuses V8's compiled code between runs (Node 22.1+; a no-op where unavailable)
module.enableCompileCache?.();
const source = new URL("../src/cli/main.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import("../dist/cli/main.js"));
}
process.exitCode = await main(process.argv);
