import { splitDuration } from "../content/duration.ts";

/** ISO 8601 durations, the REST form of Sentinel's YAML timespans (5m, 1h, 14d). */
const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * Converts a YAML timespan to ISO 8601 unit for unit, as Microsoft's converter does (5m → PT5M, 1h → PT1H,
 * 24h → PT24H, 1d → P1D); ISO input passes through; undefined when neither.
 */
export function toIsoDuration(text: string): string | undefined {
  if (ISO_DURATION.test(text) && text !== "P" && text !== "PT") return text;
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
  const match = ISO_DURATION.exec(text);
  if (!match || text === "P" || text === "PT") return undefined;
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 1440 + Number(h ?? 0) * 60 + Number(m ?? 0) + Number(s ?? 0) / 60;
}
