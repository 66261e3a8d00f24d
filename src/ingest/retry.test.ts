import { describe, expect, it } from "vitest";
import { HttpStatusError, RetriesExhaustedError, isRetryable, parseRetryAfter, retryDelay, withRetry, type RetryPolicy } from "./retry.ts";

const policy = (sleeps: number[]): RetryPolicy => ({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async (ms) => void sleeps.push(ms) });
const classify = (e: unknown) => (e instanceof HttpStatusError ? { status: e.status, retryAfter: e.retryAfter } : undefined);

describe("retry", () => {
  it.each([
    [undefined, true],
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [501, false],
    [505, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [413, false],
  ])("status %s retryable: %s", (status, expected) => {
    expect(isRetryable({ status, retryAfter: undefined })).toBe(expected);
  });

  it.each([
    ["5", 5_000],
    ["0", 0],
    ["1.5", 1_500],
    ["", undefined],
    ["soon", undefined],
    ["Wed, 25 Nov 2026 03:00:10 GMT", 10_000],
    ["Wed, 25 Nov 2026 02:59:00 GMT", 0],
  ])("Retry-After %j → %s ms", (value, expected) => {
    expect(parseRetryAfter(value, Date.parse("2026-11-25T03:00:00Z"))).toBe(expected);
  });

  it("uses Retry-After over backoff and caps both", () => {
    const p = policy([]);
    expect(retryDelay(p, 1, { status: 429, retryAfter: "0.3" })).toBe(300);
    expect(retryDelay(p, 3, { status: 500, retryAfter: undefined })).toBe(400);
    expect(retryDelay(p, 1, { status: 429, retryAfter: "120" })).toBe(1_000);
  });

  it("retries retryable failures, then gives up with the last error", async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const run = withRetry(policy(sleeps), async () => {
      calls++;
      throw new HttpStatusError(503, "busy", "1");
    }, classify);
    await expect(run).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(calls).toBe(3);
    expect(sleeps).toEqual([1_000, 1_000]);
  });

  it("rethrows a non-retryable failure at once, and unknown errors untouched", async () => {
    let calls = 0;
    await expect(withRetry(policy([]), async () => {
      calls++;
      throw new HttpStatusError(401, "no");
    }, classify)).rejects.toThrow("no");
    expect(calls).toBe(1);
    await expect(withRetry(policy([]), async () => {
      throw new RangeError("bug");
    }, classify)).rejects.toBeInstanceOf(RangeError);
  });

  it("returns the first success", async () => {
    let calls = 0;
    const value = await withRetry(policy([]), async () => {
      if (++calls < 2) throw new HttpStatusError(500, "x");
      return "ok";
    }, classify);
    expect(value).toBe("ok");
  });
});
