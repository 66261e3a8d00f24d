import type { Condition, SourceProfile } from "./profile.ts";
import { compilePattern } from "./pattern.ts";

/** One way a row breaks its profile. `id` is what a fixture's exception names: an invariant id, or `values:<column>`. */
export interface Violation {
  id: string;
  /** The column the finding points at. */
  column: string;
  message: string;
  reason: string;
  sources: string[];
}

/** Longest JSON text a field path parses on its way into a dynamic value. */
const MAX_NESTED_JSON = 1024 * 1024;

/** The value at a column or dotted path (`Properties_d.requestbody`); JSON object text on the way is parsed. */
export function readField(row: Readonly<Record<string, unknown>>, field: string): unknown {
  const [column = "", ...rest] = field.split(".");
  let value: unknown = row[column];
  for (const key of rest) {
    if (typeof value === "string" && value.trimStart().startsWith("{") && value.length <= MAX_NESTED_JSON) value = parseObject(value);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function parseObject(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether a value counts as present: not null, not an empty string, not an empty object or list. */
export function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

function text(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function inList(value: string, list: readonly string[], caseSensitive: boolean): boolean {
  return caseSensitive ? list.includes(value) : list.some((v) => v.toLowerCase() === value.toLowerCase());
}

/** Whether a row meets a condition; an absent value reads as "" for `in`/`notIn` and never `matches`. */
export function conditionHolds(condition: Condition, row: Readonly<Record<string, unknown>>): boolean {
  const value = readField(row, condition.field);
  const present = isPresent(value);
  const caseSensitive = condition.caseSensitive !== false;
  if (condition.present !== undefined && condition.present !== present) return false;
  const shown = present ? text(value) : "";
  if (condition.in && !inList(shown, condition.in, caseSensitive)) return false;
  if (condition.notIn && inList(shown, condition.notIn, caseSensitive)) return false;
  if (condition.matches !== undefined && !present) return false;
  if (condition.matches !== undefined) {
    const regex = compilePattern(`^(?:${condition.matches})$`, caseSensitive).regex;
    if (!regex || !regex.test(shown)) return false;
  }
  return true;
}

function describe(condition: Condition): string {
  const parts: string[] = [];
  if (condition.present === true) parts.push("present");
  if (condition.present === false) parts.push("absent or empty");
  if (condition.in) parts.push(`one of ${condition.in.join(", ")}`);
  if (condition.notIn) parts.push(`not one of ${condition.notIn.join(", ")}`);
  if (condition.matches !== undefined) parts.push(`matching ${condition.matches}`);
  return `${condition.field} must be ${parts.join(" and ")}`;
}

/** Every vocabulary and row invariant of the profile the row breaks. */
export function rowViolations(profile: SourceProfile, row: Readonly<Record<string, unknown>>): Violation[] {
  const found: Violation[] = [];
  for (const [name, column] of Object.entries(profile.columns)) {
    if (!column.values) continue;
    const value = readField(row, name);
    if (!isPresent(value) || inList(text(value), column.values, column.caseSensitive !== false)) continue;
    found.push({
      id: `values:${name}`,
      column: name.split(".")[0] ?? name,
      message: `${name} is ${text(value)}, not a value real rows use (${column.values.join(", ")})`,
      reason: column.note ?? `${profile.title} rows use only these values`,
      sources: column.sources,
    });
  }
  for (const invariant of profile.invariants) {
    if (!invariant.require) continue;
    if (!(invariant.when ?? []).every((c) => conditionHolds(c, row))) continue;
    if (conditionHolds(invariant.require, row)) continue;
    found.push({
      id: invariant.id,
      column: invariant.require.field.split(".")[0] ?? invariant.require.field,
      message: `${describe(invariant.require)}${invariant.when ? ` when ${invariant.when.map((c) => describe(c).replace(" must be ", " is ")).join(" and ")}` : ""}`,
      reason: invariant.reason,
      sources: invariant.sources,
    });
  }
  return found;
}

/** For each `unique` invariant, the rows (by index) that repeat an earlier row's identifying values. */
export function uniqueViolations(profile: SourceProfile, rows: readonly Readonly<Record<string, unknown>>[]): { index: number; violation: Violation }[] {
  const found: { index: number; violation: Violation }[] = [];
  for (const invariant of profile.invariants) {
    if (!invariant.unique) continue;
    const fields = invariant.unique;
    const seen = new Map<string, number>();
    rows.forEach((row, index) => {
      const values = fields.map((f) => readField(row, f));
      if (!values.every(isPresent)) return;
      const key = JSON.stringify(values.map(text));
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, index);
        return;
      }
      found.push({
        index,
        violation: {
          id: invariant.id,
          column: fields[0]?.split(".")[0] ?? "",
          message: `${fields.join(" + ")} repeats row ${first + 1} (${values.map(text).join(", ")})`,
          reason: invariant.reason,
          sources: invariant.sources,
        },
      });
    });
  }
  return found;
}
