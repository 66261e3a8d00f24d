/** Milliseconds per KQL timespan unit (`d`, `h`, `m`, `s`, `ms`). */
const KQL_UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

const KQL_PATTERN = /^(\d+(?:\.\d+)?)(d|h|ms|m|s)$/;
const ISO_PATTERN = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parses a rule duration in milliseconds: a KQL timespan as the Azure-Sentinel YAML writes it (`5m`, `1h`,
 * `14d`) or an ISO 8601 duration as the REST API does (`PT1H`, `P2DT1H30M`); undefined when it is neither.
 */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  const kql = KQL_PATTERN.exec(trimmed);
  if (kql) return Math.round(Number(kql[1]) * (KQL_UNITS[kql[2] as string] as number));
  const iso = ISO_PATTERN.exec(trimmed.toUpperCase());
  if (!iso || trimmed.length <= 1 || trimmed.toUpperCase().endsWith("T")) return undefined;
  const [, days, hours, minutes, seconds] = iso;
  if (days === undefined && hours === undefined && minutes === undefined && seconds === undefined) return undefined;
  const part = (value: string | undefined, unit: number): number => (value === undefined ? 0 : Number(value) * unit);
  return Math.round(part(days, 86_400_000) + part(hours, 3_600_000) + part(minutes, 60_000) + part(seconds, 1_000));
}

/** Formats milliseconds as a short KQL timespan (`90m` → `1h30m`), for messages. */
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
