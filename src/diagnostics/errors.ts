/** A bug in the toolkit itself (never a content problem: those are Diagnostics). */
export class InternalError extends Error {
  override name = "InternalError";
}

/** Ends the CLI with an exit code (1 = findings, 2 = usage or environment problem) after printing `message`. */
export class ExitError extends Error {
  override name = "ExitError";
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** Compile-time exhaustiveness guard for switches over closed unions. */
export function assertNever(value: never, what = "value"): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
