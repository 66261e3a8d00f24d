// Durations, with one grammar for the whole toolkit: a KQL timespan as the Azure-Sentinel YAML and tests files
// write it (5m, 1h, 14d, 30s, 1.5h, 250ms) or an ISO 8601 duration as the REST API returns it (PT1H, P2DT1H30M).
// Rule fields additionally have to be in the YAML's own form (a whole number of minutes, hours or days), which
// `splitDuration` recognises; validate reports other forms, the harness reads the same value either way.

const MS_PER_KQL_UNIT: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const KQL_TIMESPAN = /^(\d+(?:\.\d+)?)(d|h|ms|m|s)$/;
const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const RULE_DURATION = /^(\d+)([mhd])$/;
const MINUTES_PER_UNIT = { m: 1, h: 60, d: 1440 } as const;

/** A rule duration's unit: minutes, hours or days. */
export type DurationUnit = keyof typeof MINUTES_PER_UNIT;

/** Milliseconds of a KQL timespan or an ISO 8601 duration (surrounding blanks ignored), or undefined when it is neither. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  const kql = KQL_TIMESPAN.exec(trimmed);
  if (kql) return Math.round(Number(kql[1]) * (MS_PER_KQL_UNIT[kql[2] as string] as number));
  return isoDurationMs(trimmed);
}

/** Milliseconds of an ISO 8601 duration (days, hours, minutes, seconds; case-insensitive), or undefined when it is not one. */
export function isoDurationMs(text: string): number | undefined {
  const upper = text.toUpperCase();
  const iso = ISO_DURATION.exec(upper);
  if (!iso || upper.endsWith("T")) return undefined;
  const [, days, hours, minutes, seconds] = iso;
  if (days === undefined && hours === undefined && minutes === undefined && seconds === undefined) return undefined;
  const part = (value: string | undefined, unit: number): number => (value === undefined ? 0 : Number(value) * unit);
  return Math.round(part(days, 86_400_000) + part(hours, 3_600_000) + part(minutes, 60_000) + part(seconds, 1_000));
}

/** The amount and unit of a duration in the rule fields' own form (5m, 1h, 14d), or undefined when the text is not in it. */
export function splitDuration(text: string): { amount: number; unit: DurationUnit } | undefined {
  const match = RULE_DURATION.exec(text);
  return match ? { amount: Number(match[1]), unit: match[2] as DurationUnit } : undefined;
}

/** Minutes of a duration in the rule fields' own form, or undefined when the text is not in it. */
export function parseDurationMinutes(text: string): number | undefined {
  const duration = splitDuration(text);
  return duration && duration.amount * MINUTES_PER_UNIT[duration.unit];
}

/** Renders minutes back in the largest exact unit (90 → 90m, 120 → 2h, 2880 → 2d). */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** Formats milliseconds as a short KQL timespan (5,400,000 → `1h30m`), for messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1_000], ["ms", 1]] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join("");
}
