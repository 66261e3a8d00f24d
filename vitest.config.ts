import { availableParallelism } from "node:os";
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
    // Workers: at least two (vitest's default, CPUs − 1, is one on two CPUs). Each worker loads Kusto.Language once
    // (seconds of CPU), but then the test files run on both CPUs; the content tests and the engine self-check share
    // their runs of the content cases (src/testing/test-support.ts) because they sit in one file, so a second worker
    // runs no case twice. On the 2-CPU machine with other work running, the suite took 145 s wall and 189 s CPU with
    // two workers against 263 s and 216 s with one (load average 3–8), and 570 s and 225 s against 602 s and 225 s
    // (load 21–25): no more CPU time, spent side by side. Which files share a worker varies from run to run, so no
    // file may leave state behind for the next (a process exit code included: the CLI helpers restore it).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // a larger nursery for the content tests' queries over large fixtures (as the test command's workers get)
    execArgv: ["--max-semi-space-size=64"],
  },
});
