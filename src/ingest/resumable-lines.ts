import { MAX_LINE_BYTES, readJsonLines, type NumberedLine } from "./jsonl.ts";
import { RetriesExhaustedError, isRetryable, retryDelay, type AttemptFailure, type RetryPolicy } from "./retry.ts";

/** How to read one log file as lines that survive a dropped connection. */
export interface ResumableLinesInput {
  /** Starts a download of the file and resolves with its body once the server answered. */
  open: () => Promise<AsyncIterable<Uint8Array>>;
  /** Non-blank lines already consumed (the checkpoint): they are read past, not yielded. */
  from: number;
  retry: RetryPolicy;
  /** Maps a failure to a retry decision, or undefined for errors that are not transport failures. */
  classify: (error: unknown) => AttemptFailure | undefined;
  maxLineBytes?: number;
}

async function* download(open: () => Promise<AsyncIterable<Uint8Array>>): AsyncGenerator<Uint8Array> {
  yield* await open();
}

/**
 * Yields the non-blank lines of one log file after the first `from`, streaming the body. When the download
 * fails (before or during the body) with a retryable failure, it downloads the file again after the retry
 * policy's delay and reads past every line already yielded, so each line is yielded once. The attempts
 * count restarts whenever an attempt yielded new lines; `maxAttempts` failures in a row without progress
 * end the reading with RetriesExhaustedError. Errors of the consumer never reach the retry logic.
 */
export async function* resumableLines(input: ResumableLinesInput): AsyncGenerator<NumberedLine> {
  let delivered = input.from;
  let failures = 0;
  for (;;) {
    // Lines up to `delivered` are only counted, not parsed, so a resumed read of a large file stays cheap.
    const lines = readJsonLines(download(input.open), input.maxLineBytes ?? MAX_LINE_BYTES, delivered);
    const deliveredBefore = delivered;
    try {
      for (;;) {
        let step: IteratorResult<NumberedLine>;
        try {
          step = await lines.next();
        } catch (error) {
          const failure = input.classify(error);
          if (failure === undefined || !isRetryable(failure)) throw error;
          failures = delivered > deliveredBefore ? 1 : failures + 1;
          if (failures >= input.retry.maxAttempts) throw new RetriesExhaustedError(failures, error);
          await input.retry.sleep(retryDelay(input.retry, failures, failure));
          break;
        }
        if (step.done) return;
        delivered = step.value.ordinal;
        yield step.value;
      }
    } finally {
      await lines.return(undefined);
    }
  }
}
