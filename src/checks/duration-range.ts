import type { DiagnosticCode } from "../diagnostics/index.ts";
import type { DocPath } from "../load/index.ts";
import type { Check } from "./check.ts";
import { findingAt, valueAt } from "./at.ts";
import { formatMinutes, parseDurationMinutes } from "../content/duration.ts";

/** A check that a rule duration lies within Sentinel's allowed range (in minutes, inclusive). */
export function durationRange(code: DiagnosticCode, path: DocPath, min: number, max: number): () => Check {
  return () => ({
    code,
    kinds: ["analytic-rule"],
    run(file) {
      const value = valueAt(file.data, path);
      const minutes = typeof value === "string" ? parseDurationMinutes(value) : undefined;
      if (minutes === undefined || (minutes >= min && minutes <= max)) return [];
      const range = `${formatMinutes(min)} to ${formatMinutes(max)}`;
      return [findingAt(code, file, path, `${path.at(-1)} ${value as string} is outside Sentinel's range of ${range}`)];
    },
  });
}
