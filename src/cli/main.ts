import { Command, CommanderError } from "commander";
import { ExitError } from "../diagnostics/errors.ts";
import { redact } from "../diagnostics/redact.ts";

/** What every file in commands/ exports. */
export interface CommandModule {
  register(program: Command): void;
}

/** Builds the `sentinel-content` program with every command registered. */
export async function buildProgram(): Promise<Command> {
  const program = new Command("sentinel-content")
    .description("Validate, test offline and deploy Microsoft Sentinel content for generative-AI security.")
    .showHelpAfterError()
    .exitOverride();
  // Each command module exports `register(program)`; commands lazy-import their heavy modules.
  const modules: Promise<CommandModule>[] = [
    // commands: one `import("./commands/<verb>.ts"),` per line, keep sorted
    import("./commands/build.ts"),
    import("./commands/collect.ts"),
    import("./commands/deploy.ts"),
    import("./commands/drift.ts"),
    import("./commands/fixture.ts"),
    import("./commands/import.ts"),
    import("./commands/query.ts"),
    import("./commands/test.ts"),
    import("./commands/validate.ts"),
  ];
  for (const module of await Promise.all(modules)) module.register(program);
  return program;
}

/** Runs the CLI with process arguments and maps errors to exit codes (0 ok, 1 findings, 2 usage). */
export async function main(argv: string[] = process.argv): Promise<number> {
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
