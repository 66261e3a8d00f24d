import { formatDuration, parseDuration } from "../content/duration.ts";
import { seededRandom } from "../ingest/seeded-random.ts";

/** The delays of one input file's rows: each call draws the next row's delay, in ms. */
export type DrawDelay = () => number;

/** An ingestion delay: draws each file's row delays and says the largest delay it can draw. */
export interface IngestionDelay {
  /** The largest delay a draw returns, in ms: how long after its event a row may still arrive. */
  boundMs: number;
  /**
   * The delays of the input file at `position` in the input list: a generator of its own, seeded from the seed and
   * the position, so a file's rows draw the same delays whichever other files a process reads.
   */
  forFile(position: number): DrawDelay;
}

/** Standard normal quantile at 0.99, to turn a p99 into a lognormal sigma. */
const Z99 = 2.3263478740408408;
/** A lognormal draw is cut at this many sigmas above the median, so the delay has a bound (P(z > 4) ≈ 3e-5). */
const Z_CUT = 4;
/** Longest delay accepted, so a typo (`2d` for `2m`) cannot make replay hold weeks of rows. */
const MAX_DELAY_MS = 7 * 86_400_000;

function duration(text: string, what: string): number {
  const ms = parseDuration(text.trim());
  if (ms === undefined) throw new Error(`${what} ${JSON.stringify(text)} is not a duration such as 2m or 90s`);
  if (ms > MAX_DELAY_MS) throw new Error(`${what} ${text} is longer than ${formatDuration(MAX_DELAY_MS)}`);
  return ms;
}

function parameters(text: string, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const part of text.split(",")) {
    const [key = "", value, ...rest] = part.split("=");
    if (value === undefined || rest.length > 0 || !names.includes(key.trim())) throw new Error(`expected ${names.map((n) => `${n}=DURATION`).join(",")}, not ${JSON.stringify(text)}`);
    values[key.trim()] = value;
  }
  for (const name of names) if (values[name] === undefined) throw new Error(`missing ${name}=DURATION in ${JSON.stringify(text)}`);
  return values;
}

/** A distribution's draws from a uniform generator, and its bound. */
interface Distribution {
  draw(random: () => number): number;
  boundMs: number;
}

function lognormal(text: string): Distribution {
  const p = parameters(text, ["median", "p99"]);
  const median = duration(p.median as string, "median");
  const p99 = duration(p.p99 as string, "p99");
  if (median <= 0 || p99 < median) throw new Error(`lognormal needs 0 < median ≤ p99, not median=${p.median} p99=${p.p99}`);
  const mu = Math.log(median);
  const sigma = (Math.log(p99) - mu) / Z99;
  const draw = (random: () => number): number => {
    // Box-Muller: two uniform draws give one standard normal draw
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.round(Math.exp(mu + sigma * Math.max(-Z_CUT, Math.min(Z_CUT, z))));
  };
  return { draw, boundMs: Math.round(Math.exp(mu + sigma * Z_CUT)) };
}

function uniform(text: string): Distribution {
  const [low = "", high, ...rest] = text.split("..");
  if (high === undefined || rest.length > 0) throw new Error(`uniform needs MIN..MAX (uniform:1m..5m), not ${JSON.stringify(text)}`);
  const min = duration(low, "min");
  const max = duration(high, "max");
  if (max < min) throw new Error(`uniform needs MIN ≤ MAX, not ${low}..${high}`);
  return { draw: (random) => Math.round(min + random() * (max - min)), boundMs: max };
}

/**
 * Reads an ingestion-delay spec: a fixed duration (`2m`), `lognormal:median=2m,p99=10m` (cut at 4 sigmas) or
 * `uniform:1m..5m`; distributions draw each file's delays from a generator seeded with `seed` and the file's position.
 * Throws an Error saying what is wrong.
 */
export function parseIngestionDelay(spec: string, seed = 1): IngestionDelay {
  const { draw, boundMs } = distribution(spec.trim());
  const forFile = (position: number): DrawDelay => {
    const random = seededRandom(fileSeed(seed, position));
    return () => draw(random);
  };
  return { boundMs, forFile };
}

function distribution(text: string): Distribution {
  const colon = text.indexOf(":");
  if (colon < 0) {
    const fixed = duration(text, "delay");
    return { draw: () => fixed, boundMs: fixed };
  }
  const kind = text.slice(0, colon).trim().toLowerCase();
  const rest = text.slice(colon + 1);
  if (kind === "lognormal") return lognormal(rest);
  if (kind === "uniform") return uniform(rest);
  throw new Error(`unknown delay distribution ${JSON.stringify(kind)} (fixed, lognormal or uniform)`);
}

/** The seed of one input file's draws: the replay's seed and the file's position, mixed (murmur3's finaliser) so neighbouring files' sequences do not overlap. */
function fileSeed(seed: number, position: number): number {
  let h = (seed >>> 0) ^ Math.imul(position + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
