import path from "node:path";
import { Option, type Command } from "commander";
import { examples } from "../help.ts";

/** Options of `sentinel-content init`. */
interface InitOptions {
  preset: "sentinel-content" | "azure-sentinel";
}

/** Registers `sentinel-content init [dir]`: scaffolds a content repository (configuration and content folders). */
export function register(program: Command): void {
  program
    .command("init")
    .description("Scaffold a content repository: sentinel-content.config.yaml, a .gitignore and the preset's content folders")
    .argument("[dir]", "folder to scaffold (created when missing)", ".")
    .addOption(new Option("--preset <name>", "layout of the repository").choices(["sentinel-content", "azure-sentinel"]).default("sentinel-content"))
    .addHelpText(
      "after",
      `${examples([
        ["sentinel-content init", "this toolkit's layout in the current folder"],
        ["sentinel-content init my-content --preset azure-sentinel", "Microsoft's Azure-Sentinel layout in a new folder"],
      ])}\nExisting files are never overwritten (exit 2 and nothing written).`,
    )
    .action(async (dir: string, options: InitOptions) => {
      const [{ initFiles }, { createFiles }] = await Promise.all([import("../../scaffold/init.ts"), import("../../scaffold/write-files.ts")]);
      const root = path.resolve(dir);
      const written = createFiles(root, initFiles(options.preset));
      process.stdout.write(`created ${written.join(", ")} in ${root}\nnext: sentinel-content new rule <table> <name>\n`);
    });
}
