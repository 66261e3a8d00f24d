import type { WorkspaceTarget } from "../workspace.ts";

/** A deployment value a parameterised target leaves to deploy time. */
export type Slot = "subscription" | "resourceGroup" | "workspace" | "location";

const OPEN = "\ue000";
const CLOSE = "\ue001";
const token = (slot: Slot): string => `${OPEN}${slot}${CLOSE}`;
const TOKEN = /\ue000(subscription|resourceGroup|workspace|location)\ue001/g;

/**
 * The workspace every parameterised target builds against: each value is a marker that no content can contain
 * (private-use characters), so a target can find where the built bodies use it and write a parameter instead.
 */
export const SYMBOLIC_WORKSPACE: WorkspaceTarget = {
  subscriptionId: token("subscription"),
  resourceGroup: token("resourceGroup"),
  workspaceName: token("workspace"),
  location: token("location"),
};

/** One piece of a string: literal text or a deploy-time value. */
export type Piece = { text: string } | { slot: Slot };

/** Splits a built string into literal text and deploy-time values (one text piece when it holds none). */
export function pieces(value: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const match of value.matchAll(TOKEN)) {
    if (match.index > last) out.push({ text: value.slice(last, match.index) });
    out.push({ slot: match[1] as Slot });
    last = match.index + match[0].length;
  }
  if (last < value.length || out.length === 0) out.push({ text: value.slice(last) });
  return out;
}

/** Every string of a JSON value (keys too) rewritten by `rewrite`: how a target turns built bodies into its own syntax. */
export function mapStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === "string") return rewrite(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, rewrite));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [rewrite(k), mapStrings(v, rewrite)]));
  return value;
}

/** True when content text itself holds the private-use markers (it could not be told apart from a deploy-time value). */
export function holdsMarker(value: unknown): boolean {
  const json = JSON.stringify(value ?? null);
  return json.includes(OPEN) || json.includes(CLOSE);
}
