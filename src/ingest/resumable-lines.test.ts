import { describe, expect, it } from "vitest";
import type { NumberedLine } from "./jsonl.ts";
import { resumableLines } from "./resumable-lines.ts";
import { HttpStatusError, RetriesExhaustedError, type RetryPolicy } from "./retry.ts";

const BODY = Buffer.from([1, 2, 3, 4, 5, 6].map((n) => `{"n":${n}}\n`).join(""), "utf8");
const LINE = BODY.length / 6;

const classify = (e: unknown) => (e instanceof HttpStatusError ? { status: e.status, retryAfter: undefined } : e instanceof TypeError ? { status: undefined, retryAfter: undefined } : undefined);

/** A file source whose downloads are scripted: each entry cuts the body after that many bytes (TypeError "terminated"), or serves it whole (undefined). */
function source(cuts: (number | undefined)[]) {
  const log = { opens: 0, cancelled: 0 };
  const open = async (): Promise<AsyncIterable<Uint8Array>> => {
    const cut = cuts[log.opens++];
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        const end = cut ?? BODY.length;
        for (let i = 0; i < end; i += 5) yield BODY.subarray(i, Math.min(i + 5, end));
        if (cut !== undefined) throw new TypeError("terminated");
      } finally {
        log.cancelled++;
      }
    }
    return body();
  };
  return { open, log };
}

function policy(sleeps: number[], maxAttempts = 3): RetryPolicy {
  return { maxAttempts, baseDelayMs: 10, maxDelayMs: 1_000, sleep: async (ms) => void sleeps.push(ms) };
}

async function numbers(lines: AsyncIterable<NumberedLine>): Promise<number[]> {
  const out: number[] = [];
  for await (const line of lines) out.push(line.ok ? (line.event.n as number) : -1);
  return out;
}

describe("resumable lines", () => {
  it("downloads again after a drop mid-body and yields each line once", async () => {
    const sleeps: number[] = [];
    const { open, log } = source([Math.floor(LINE * 2.5), undefined]);
    expect(await numbers(resumableLines({ open, from: 0, retry: policy(sleeps), classify }))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.opens).toBe(2);
    expect(sleeps).toEqual([10]);
  });

  it("skips the lines already checkpointed", async () => {
    const { open } = source([undefined]);
    expect(await numbers(resumableLines({ open, from: 4, retry: policy([]), classify }))).toEqual([5, 6]);
  });

  it("starts counting attempts again after each attempt that made progress", async () => {
    const sleeps: number[] = [];
    // every download breaks one line further than the one before: never two failures without progress
    const { open, log } = source([LINE + 2, 2 * LINE + 2, 3 * LINE + 2, 4 * LINE + 2, 5 * LINE + 2, undefined]);
    expect(await numbers(resumableLines({ open, from: 0, retry: policy(sleeps, 2), classify }))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.opens).toBe(6);
    expect(sleeps).toEqual([10, 10, 10, 10, 10]);
  });

  it("gives up after maxAttempts failures in a row without progress", async () => {
    const sleeps: number[] = [];
    const { open } = source([LINE + 2, LINE + 2, LINE + 2, LINE + 2]);
    const seen: number[] = [];
    const reading = (async () => {
      for await (const line of resumableLines({ open, from: 0, retry: policy(sleeps), classify })) seen.push(line.ordinal);
    })();
    await expect(reading).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(seen).toEqual([1]);
    expect(sleeps).toEqual([10, 20]);
  });

  it("does not retry a failure that cannot succeed", async () => {
    let opens = 0;
    const open = async (): Promise<AsyncIterable<Uint8Array>> => {
      opens++;
      throw new HttpStatusError(403, "HTTP 403");
    };
    await expect(numbers(resumableLines({ open, from: 0, retry: policy([]), classify }))).rejects.toThrow("HTTP 403");
    expect(opens).toBe(1);
  });

  it("passes the consumer's error through without retrying and cancels the body", async () => {
    const { open, log } = source([undefined]);
    const consume = async (): Promise<void> => {
      for await (const line of resumableLines({ open, from: 0, retry: policy([]), classify })) {
        if (line.ordinal === 2) throw new TypeError("consumer failed");
      }
    };
    await expect(consume()).rejects.toThrow("consumer failed");
    expect(log).toEqual({ opens: 1, cancelled: 1 });
  });
});
