import { RE2JS } from "re2js";

const cache = new Map<string, RE2JS | string>();

/** Compiles an RE2 pattern once (linear-time matching, so a profile's pattern cannot hang a run); `error` when it is not valid. */
export function compilePattern(pattern: string, caseSensitive = true): { regex?: RE2JS; error?: string } {
  const key = `${caseSensitive ? "s" : "i"}:${pattern}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    try {
      compiled = RE2JS.compile(pattern, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
    } catch (error) {
      compiled = error instanceof Error ? error.message : String(error);
    }
    cache.set(key, compiled);
  }
  return typeof compiled === "string" ? { error: compiled } : { regex: compiled };
}
