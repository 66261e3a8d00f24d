// The builder of the warm-start snapshot (`sentinel-content warm`; docs/warm-start.md). Node runs it with
// `--build-snapshot`: it loads Kusto.Language (Microsoft's parser and semantic model, compiled from C#) and
// initializes its global state — the second or so every command that reads KQL pays at start — then records the
// heap. A process started from the snapshot finds Kusto.Language ready and runs the CLI from dist/.
// Inputs come from the environment, because a snapshot builder may require only Node's own modules.
"use strict";
const fs = require("node:fs");
const vm = require("node:vm");
const v8 = require("node:v8");

const kustoDir = process.env.SENTINEL_CONTENT_KUSTO_DIR;
const cliMain = process.env.SENTINEL_CONTENT_CLI_MAIN;
if (!kustoDir || !cliMain) throw new Error("SENTINEL_CONTENT_KUSTO_DIR and SENTINEL_CONTENT_CLI_MAIN must be set");
for (const file of ["bridge.min.js", "Kusto.Language.Bridge.min.js"]) {
  vm.runInThisContext(fs.readFileSync(`${kustoDir}/${file}`, "utf8"), { filename: `${kustoDir}/${file}` });
}
const language = globalThis.Kusto.Language;
language.KustoCode.ParseAndAnalyze("print x = 1 | extend y = now() | summarize count() by bin(y, 1h)", language.GlobalState.Default);

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // argv of a snapshot process: [node, ...the CLI's arguments]
  const { main } = require("node:module").createRequire(cliMain)(cliMain);
  main(["node", "sentinel-content", ...process.argv.slice(1)]).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`internal error (SC9001): ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 2;
    },
  );
});
