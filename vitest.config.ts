import { availableParallelism, loadavg } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // a private temporary root for the run (TMPDIR), removed at the end; fails the run if the real one gained entries
    globalSetup: ["test/global-setup.ts"],
    // Test files share each worker process's module graph instead of re-importing it per file: Kusto.Language
    // (a large Bridge.NET bundle, seconds to load and warm up) is then loaded once per worker, not once per file.
    // Tests must leave no module state behind (none uses vi.mock; spies are restored after each test). Processes,
    // not threads: the test and analysis pools start worker threads of their own.
    pool: "forks",
    isolate: false,
    // Workers: two or more on a machine with CPU to spare (vitest's default, CPUs − 1, is one on two CPUs), one on a
    // crowded one. Each worker loads Kusto.Language and compiles the engine's hot code once (seconds of CPU), so a
    // second worker costs CPU time; on a quiet machine it buys the second CPU: the suite took 145 s wall and 189 s
    // CPU with two workers against 263 s and 216 s with one (load average 3–8). With the machine's CPUs crowded by
    // other work, it buys nothing: with two workers 402 s wall and 263 s CPU, 577 s and 294 s, against 371 s and 212 s,
    // 491 s and 232 s with one (load average 11–15, 2 CPUs). The content tests and the engine self-check share their
    // runs of the content cases (src/testing/test-support.ts) because they sit in one file, so a second worker runs no
    // case twice. Which files share a worker varies from run to run, so no file may leave state behind for the next
    // (a process exit code included: the CLI helpers restore it). Order: vitest's own, the longest files of the last
    // run first (else the largest); replaying the measured file times, neither order ends more than 1 % after an even
    // split of the work, as the many short files fill the gaps.
    maxWorkers: workers(),
    // a larger nursery for the content tests' queries over large fixtures (as the test command's workers get)
    execArgv: ["--max-semi-space-size=64"],
  },
});

/** SENTINEL_CONTENT_TEST_WORKERS when set, else one on crowded CPUs, else two or more. */
function workers(): number {
  const chosen = Number(process.env.SENTINEL_CONTENT_TEST_WORKERS);
  if (Number.isInteger(chosen) && chosen >= 1) return chosen;
  return crowded() ? 1 : Math.max(2, availableParallelism() - 1);
}

/** Whether other work already crowds the CPUs: a five-minute load average of five or more per CPU (0 where unknown, as on Windows). */
function crowded(): boolean {
  return loadavg()[1]! >= 5 * availableParallelism();
}
