import { vi } from "vitest";
import { main } from "./main.ts";

/**
 * Runs `sentinel-content <args…>` in-process; returns the exit code and what it printed on stdout and stderr. The
 * process exit code a command sets is restored afterwards: test files share a worker process, and main() would
 * return a code left behind to a later test.
 */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const previous = process.exitCode;
  try {
    const code = await main(["node", "sentinel-content", ...args]);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = previous;
  }
}
