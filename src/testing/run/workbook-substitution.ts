import { replaceParameterReferences, type MappedQuery, type WorkbookParameter } from "../../kql/index.ts";
import { formatDuration, parseDuration } from "../../content/duration.ts";
import { parseDatetime } from "../spec/values.ts";

/** A workbook parameter's value in one test case: its definition and its values (several for a multi-select). */
export interface BoundParameter {
  definition: WorkbookParameter;
  values: string[];
  /** Time range parameters: the default duration the workbook declares (`value.durationMs`). */
  defaultDurationMs?: number;
}

/** A parameter reference the substitution could not expand, at its offset in the source query. */
export interface SubstitutionProblem {
  message: string;
  offset: number;
}

/** The executable query of a step (offsets map back to the source), or the references that stopped it. */
export type Substitution = { ok: true; query: MappedQuery } | { ok: false; problems: SubstitutionProblem[] };

const TIME_RANGE = 4;
/** Grains offered for `{TimeRange:grain}`: the smallest one that cuts the range into at most 200 bins. */
const GRAINS_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000];
const MAX_BINS = 200;

/** A time range: relative (the last `durationMs` before now) or absolute. */
type Range = { relative: true; durationMs: number; start: number; end: number } | { relative: false; start: number; end: number };

/**
 * Expands every `{Name}` / `{Name:format}` of a workbook query with the case's parameter values, as the workbook
 * would before sending the query: a time range becomes `> ago(7d)` (or `between (datetime(…) .. datetime(…))`
 * for an absolute range), a multi-select parameter its quoted, delimited values, any other its text.
 */
export function substituteForRun(query: string, parameters: ReadonlyMap<string, BoundParameter>, now: number): Substitution {
  const problems: SubstitutionProblem[] = [];
  const substituted = replaceParameterReferences(query, ({ name, format, offset }) => {
    const bound = parameters.get(name.toLowerCase());
    const expanded = bound ? expand(bound, format, now) : { error: `{${name}} names no parameter of the workbook` };
    if ("error" in expanded) problems.push({ message: expanded.error, offset });
    return "error" in expanded ? "" : expanded.text;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, query: substituted };
}

function expand(bound: BoundParameter, format: string | undefined, now: number): { text: string } | { error: string } {
  const name = bound.definition.name;
  const values = bound.values;
  if (values.length > 1 && !bound.definition.multiSelect) return { error: `parameter ${name} is not multi-select but the case gives ${values.length} values` };
  if (bound.definition.type === TIME_RANGE) {
    const range = timeRange(bound, now);
    if ("error" in range) return range;
    const text = timeRangeText(range, format);
    return text === undefined ? { error: `{${name}:${format ?? ""}}: format ${format ?? ""} of a time range is not supported offline (use query, start, end, grain, label or value)` } : { text };
  }
  switch (format) {
    case undefined:
    case "value":
    case "id":
      return { text: bound.definition.multiSelect ? values.map((v) => `${bound.definition.quote}${v}${bound.definition.quote}`).join(bound.definition.delimiter) : (values[0] ?? "") };
    case "label":
      return { text: values.join(", ") };
    case "name":
      return { text: values.map((v) => v.replace(/\/+$/, "").split("/").at(-1) ?? v).join(", ") };
    default:
      return { error: `{${name}:${format}}: format ${format} is not supported offline (use value, id, label or name)` };
  }
}

function timeRange(bound: BoundParameter, now: number): Range | { error: string } {
  const name = bound.definition.name;
  const given = bound.values[0];
  if (given === undefined) {
    if (bound.defaultDurationMs === undefined) return { error: `time range ${name} has no value: give it under the case's parameters (e.g. ${name}: 1d)` };
    return { relative: true, durationMs: bound.defaultDurationMs, start: now - bound.defaultDurationMs, end: now };
  }
  const duration = parseDuration(given);
  if (duration !== undefined && duration > 0) return { relative: true, durationMs: duration, start: now - duration, end: now };
  const [from, to, extra] = given.split("/");
  const start = parseDatetime(from);
  const end = parseDatetime(to);
  if (extra === undefined && start !== undefined && end !== undefined && start <= end) return { relative: false, start, end };
  return { error: `time range ${name} must be a duration (7d, PT1H) or start/end datetimes (2026-11-20T00:00:00Z/2026-11-21T00:00:00Z), not ${JSON.stringify(given)}` };
}

function timeRangeText(range: Range, format: string | undefined): string | undefined {
  const span = range.end - range.start;
  switch (format) {
    case undefined:
    case "query":
      return range.relative ? `> ago(${kqlTimespan(range.durationMs)})` : `between (datetime(${iso(range.start)}) .. datetime(${iso(range.end)}))`;
    case "start":
      return iso(range.start);
    case "end":
      return iso(range.end);
    case "grain":
      return kqlTimespan(GRAINS_MS.find((g) => span / g <= MAX_BINS) ?? (GRAINS_MS.at(-1) as number));
    case "label":
      return range.relative ? `Last ${formatDuration(range.durationMs)}` : `${iso(range.start)} - ${iso(range.end)}`;
    case "value":
      return range.relative ? JSON.stringify({ durationMs: range.durationMs }) : JSON.stringify({ startTime: iso(range.start), endTime: iso(range.end) });
    default:
      return undefined;
  }
}

/** A KQL timespan literal in the largest whole unit (`7d`, `90m`, `1500ms`). */
export function kqlTimespan(ms: number): string {
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1_000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
