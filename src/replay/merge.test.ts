import { describe, expect, it } from "vitest";
import { makeDiagnostic } from "../diagnostics/index.ts";
import { firstInputProblem, type GroupOutcome } from "./merge.ts";

/** A group's outcome that met an input problem in the file at `position` (shown as `file`). */
function stoppedAt(job: number, position: number, file: string): GroupOutcome {
  const diagnostic = makeDiagnostic("SC5042", { file, start: { line: job + 1, col: 1 } }, `problem of job ${job + 1}`);
  return { job, inputs: [], summaries: [], alerts: [], incidents: [], runs: 0, failures: [], unfed: [], spooled: [], cpuMs: 0, peakRssBytes: 0, problem: { position, diagnostic } };
}

describe("firstInputProblem", () => {
  it.each([
    // the same file given twice, as `a.jsonl` and `./a.jsonl`, is shown the same way both times: its position decides
    ["the same file named two ways", [stoppedAt(0, 3, "a.jsonl"), stoppedAt(1, 1, "a.jsonl")], "problem of job 2"],
    ["a problem before any file (a --map entry, a watchlist)", [stoppedAt(0, 0, "z.jsonl"), stoppedAt(1, -1, "--map")], "problem of job 2"],
    ["files whose names sort the other way", [stoppedAt(0, 0, "z.jsonl"), stoppedAt(1, 1, "a.jsonl")], "problem of job 1"],
  ])("ranks by the file's position among the inputs: %s", (_what, outcomes, message) => {
    expect(firstInputProblem(outcomes)?.message).toBe(message);
  });

  it("gives none when no group met a problem", () => {
    const { problem: _problem, ...clean } = stoppedAt(0, 0, "a.jsonl");
    expect(firstInputProblem([clean, clean])).toBeUndefined();
  });
});
