/** Sentinel's rule durations: a whole number and a unit (5m, 1h, 14d). */
const DURATION = /^(\d+)([mhd])$/;
const MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440 };

/** Minutes in a Sentinel duration string, or undefined when it is not one. */
export function parseDurationMinutes(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (MINUTES[match[2] as string] as number);
}

/** Renders minutes back in the largest exact unit (90 → 90m, 120 → 2h, 2880 → 2d). */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** Duration-valued keys of a rule, as document paths. */
export const RULE_DURATION_PATHS: readonly (readonly string[])[] = [
  ["queryFrequency"],
  ["queryPeriod"],
  ["suppressionDuration"],
  ["incidentConfiguration", "groupingConfiguration", "lookbackDuration"],
];
