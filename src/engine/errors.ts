import type { EngineCode } from "./diagnostics.ts";

/** Where in the query text a problem is: a 0-based offset and a length. */
export interface Span {
  start: number;
  length: number;
}

/** A planning or run-time failure of a query, with its SC4xxx code and the query span it concerns. */
export class EngineError extends Error {
  override name = "EngineError";
  constructor(
    readonly code: EngineCode,
    message: string,
    readonly span: Span = { start: 0, length: 0 },
  ) {
    super(message);
  }
}
