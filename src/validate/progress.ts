import type { ValidateStage } from "./validate.ts";

/** A one-line progress indicator on a terminal (stderr), redrawn at most every 100 ms and erased at the end. */
export class Progress {
  private last = 0;
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** Whether progress is shown at all: only when the stream is a terminal. */
  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Redraws the line for a stage. */
  update(stage: ValidateStage, done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && done < total) return;
    this.last = now;
    this.shown = true;
    this.stream.write(`\r\x1b[2K${stage}: ${done}/${total} files`);
  }

  /** Erases the line. */
  done(): void {
    if (this.enabled && this.shown) this.stream.write("\r\x1b[2K");
  }
}
