import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { ExitError } from "../diagnostics/errors.ts";
import { redact } from "../diagnostics/redact.ts";
import { examples } from "./help.ts";

/** What every file in commands/ exports. */
export interface CommandModule {
  register(program: Command): void;
}

/** Builds the `sentinel-content` program with every command registered. */
export async function buildProgram(): Promise<Command> {
  const program = new Command("sentinel-content")
    .description("Validate, test offline and deploy Microsoft Sentinel content for generative-AI security.")
    .version(toolVersion(), "-V, --version", "print the version")
    .addHelpText(
      "after",
      examples([
        ["sentinel-content init", "scaffold a content repository in the current folder"],
        ["sentinel-content validate", "check every content file"],
        ["sentinel-content test", "run every rule's test cases offline"],
        ["sentinel-content help test", "options and examples of one command"],
      ]),
    )
    .showHelpAfterError()
    .exitOverride();
  // Each command module exports `register(program)`; commands lazy-import their heavy modules.
  const modules: Promise<CommandModule>[] = [
    // commands: one `import("./commands/<verb>.ts"),` per line, keep sorted
    import("./commands/build.ts"),
    import("./commands/check.ts"),
    import("./commands/collect.ts"),
    import("./commands/deploy.ts"),
    import("./commands/drift.ts"),
    import("./commands/fixture.ts"),
    import("./commands/import.ts"),
    import("./commands/init.ts"),
    import("./commands/new.ts"),
    import("./commands/query.ts"),
    import("./commands/replay.ts"),
    import("./commands/test.ts"),
    import("./commands/validate.ts"),
    import("./commands/warm.ts"),
  ];
  for (const module of await Promise.all(modules)) module.register(program);
  return program;
}

/** The toolkit's version, from its package.json (two folders above this module, in the sources and in dist/). */
export function toolVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

const quietOnClose = new WeakSet<NodeJS.EventEmitter>();

/**
 * Ends the process with exit code 0 when the reader of `stream` has gone (EPIPE: `sentinel-content … | head`), as
 * cut-short output is what the reader asked for; any other write error stays an error. Installed once per stream.
 */
export function endQuietlyWhenReaderCloses(stream: NodeJS.EventEmitter, exit: (code: number) => void = (code) => process.exit(code)): void {
  if (quietOnClose.has(stream)) return;
  quietOnClose.add(stream);
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    exit(0);
  });
}

/** Runs the CLI with process arguments and maps errors to exit codes (0 ok, 1 findings, 2 usage). */
export async function main(argv: string[] = process.argv): Promise<number> {
  endQuietlyWhenReaderCloses(process.stdout);
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof ExitError) {
      if (error.message) process.stderr.write(`${redact(error.message)}\n`);
      return error.exitCode;
    }
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(redact(`internal error (SC9001): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
    return 2;
  }
}
