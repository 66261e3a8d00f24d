import { ENGINE_CODES } from "../diagnostics/codes/engine.ts";

/** One SC4xxx code of the engine. */
export type EngineCode = keyof typeof ENGINE_CODES;

/** A problem found while planning or running a query; offsets are into the query text. */
export interface EngineDiagnostic {
  code: EngineCode;
  severity: "error" | "warning";
  message: string;
  /** 0-based offset into the query text. */
  start: number;
  length: number;
  /** 1-based line and column in the query text. */
  line: number;
  col: number;
  hint?: string;
}

/** Converts a 0-based offset into a 1-based line and column of `text`. */
export function lineColOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}
