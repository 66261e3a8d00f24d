import { isoDurationMs, splitDuration } from "../content/duration.ts";

/**
 * Converts a YAML timespan to ISO 8601 unit for unit, as Microsoft's converter does (5m → PT5M, 1h → PT1H,
 * 24h → PT24H, 1d → P1D); ISO input passes through; undefined when neither.
 */
export function toIsoDuration(text: string): string | undefined {
  if (isoDurationMs(text) !== undefined) return text.toUpperCase();
  const duration = splitDuration(text);
  if (!duration) return undefined;
  const { amount, unit } = duration;
  return unit === "d" ? `P${amount}D` : unit === "h" ? `PT${amount}H` : `PT${amount}M`;
}

/** ISO 8601 of a whole number of minutes in days, hours and minutes. */
export function isoOfMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const time = `${hours ? `${hours}H` : ""}${rest ? `${rest}M` : ""}`;
  if (minutes === 0) return "PT0M";
  return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}

/** Minutes of an ISO 8601 duration (days, hours, minutes, seconds), or undefined when it is not one. */
export function isoMinutes(text: string): number | undefined {
  const ms = isoDurationMs(text);
  return ms === undefined ? undefined : ms / 60_000;
}
