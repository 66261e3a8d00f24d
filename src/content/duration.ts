/** Sentinel rule durations as the Azure-Sentinel YAML writes them: a whole number and a unit (5m, 1h, 14d). */
const DURATION = /^(\d+)([mhd])$/;
const MINUTES_PER_UNIT = { m: 1, h: 60, d: 1440 } as const;

/** A duration's unit: minutes, hours or days. */
export type DurationUnit = keyof typeof MINUTES_PER_UNIT;

/** The amount and unit of a Sentinel duration, or undefined when the text is not one. */
export function splitDuration(text: string): { amount: number; unit: DurationUnit } | undefined {
  const match = DURATION.exec(text);
  return match ? { amount: Number(match[1]), unit: match[2] as DurationUnit } : undefined;
}

/** Minutes in a Sentinel duration string, or undefined when it is not one. */
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
