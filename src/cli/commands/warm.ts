import type { Command } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import { examples } from "../help.ts";

/** Options of `sentinel-content warm`. */
interface WarmOptions {
  clear?: boolean;
}

/** Registers `sentinel-content warm`: builds (or clears) the warm-start snapshot of the installed package. */
export function register(program: Command): void {
  program
    .command("warm")
    .description("Build a start-up snapshot with Kusto.Language ready, so later commands start in a fraction of the time (installed package)")
    .option("--clear", "remove the snapshots instead")
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content warm", "build the snapshot for this Node and this installation"],
        ["sentinel-content warm --clear", "remove every snapshot"],
      ])}\nSnapshots live in $SENTINEL_CONTENT_CACHE_DIR, else $XDG_CACHE_HOME/sentinel-content or ~/.cache/sentinel-content\n(about 25 MB each). SENTINEL_CONTENT_WARM_START=0 starts without one. See docs/warm-start.md.`,
    )
    .action(async (options: WarmOptions) => {
      const { buildWarmStart, clearWarmStarts, installedInputs } = await import("../warm-start.ts");
      if (options.clear) {
        process.stdout.write(`removed ${clearWarmStarts()} snapshot(s)\n`);
        return;
      }
      const started = performance.now();
      const result = buildWarmStart(installedInputs());
      if (!result.ok) throw new ExitError(2, `warm: ${result.message}`);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`built ${result.blob} (${(result.bytes / 1024 / 1024).toFixed(1)} MB) in ${seconds} s; commands now start from it\n`);
    });
}
