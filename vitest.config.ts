import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Test files share each worker process's module graph instead of re-importing it per file: Kusto.Language
    // (a large Bridge.NET bundle, seconds to load and warm up) is then loaded once per worker, not once per file.
    // Tests must leave no module state behind (none uses vi.mock; spies are restored after each test). Processes,
    // not threads: the test and analysis pools start worker threads of their own.
    pool: "forks",
    isolate: false,
    // Workers: vitest's default (CPUs − 1), so one on two CPUs. A second worker loads Kusto.Language again, and the
    // content tests and the engine self-check share their runs of the content cases only inside one worker
    // (src/testing/test-support.ts): two workers on two busy CPUs took 26 % more CPU time and longer wall time.
    // a larger nursery for the content tests' queries over large fixtures (as the test command's workers get)
    execArgv: ["--max-semi-space-size=64"],
  },
});
