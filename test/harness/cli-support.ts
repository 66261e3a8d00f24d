// Shared by the harness tests: where the fixture repository lives and how to run the CLI in-process.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.ts";

/** The harness fixture repository (test/harness/repo). */
export const fixtureRepo = path.join(path.dirname(fileURLToPath(import.meta.url)), "repo");

/** Runs `sentinel-content <args>` in-process and returns its exit code and what it wrote to stdout (process state is restored). */
export async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  const previous = process.exitCode;
  try {
    return { code: await main(["node", "sentinel-content", ...args]), out: chunks.join("") };
  } finally {
    process.stdout.write = write;
    process.exitCode = previous;
  }
}
