import { collectWorkbookParameters, workbookItems } from "../../kql/index.ts";
import { isRecord, recordsOf } from "../../content/record.ts";
import type { DocPath } from "../../load/index.ts";
import type { BoundParameter } from "./workbook-substitution.ts";

/** One query item of a workbook (type 3), top level or inside a group (type 12). */
export interface WorkbookStep {
  /** The item's `name`, or its position (`content.items.3`) when it has none. */
  name: string;
  named: boolean;
  /** Path of the item in the workbook file. */
  path: DocPath;
  query: string;
  /** Log Analytics queries (queryType 0, the default) run offline; others (Resource Graph, ARM, merge, …) do not. */
  logs: boolean;
}

const QUERY_ITEM = 3;
const LOGS_QUERY = 0;

/** Every query step of a workbook document, in document order, groups included. */
export function workbookSteps(workbook: unknown): WorkbookStep[] {
  const steps: WorkbookStep[] = [];
  for (const { item, content, path } of workbookItems(isRecord(workbook) ? workbook.content : undefined)) {
    if (item.type !== QUERY_ITEM || typeof content.query !== "string") continue;
    const named = typeof item.name === "string" && item.name !== "";
    const queryType = content.queryType ?? LOGS_QUERY;
    steps.push({ name: named ? (item.name as string) : path.join("."), named, path, query: content.query, logs: queryType === LOGS_QUERY });
  }
  return steps;
}

/**
 * Binds the workbook's parameters (every definition, groups included) to a case's values, by lower-cased name;
 * a parameter the case does not give keeps the workbook's default. Returns also the case parameters that name
 * no parameter of the workbook.
 */
export function bindParameters(workbook: unknown, given: ReadonlyMap<string, string[]>): { bound: Map<string, BoundParameter>; unknown: string[] } {
  const content = isRecord(workbook) ? workbook.content : undefined;
  const definitions = collectWorkbookParameters(content);
  const durations = defaultDurations(content);
  const byLower = new Map([...given].map(([name, values]) => [name.toLowerCase(), values]));
  const bound = new Map<string, BoundParameter>();
  for (const definition of definitions.values()) {
    const key = definition.name.toLowerCase();
    const parameter: BoundParameter = { definition, values: byLower.get(key) ?? definition.values };
    const duration = durations.get(key);
    if (duration !== undefined) parameter.defaultDurationMs = duration;
    bound.set(key, parameter);
  }
  return { bound, unknown: [...given.keys()].filter((name) => !bound.has(name.toLowerCase())) };
}

/** The declared default `value: { durationMs }` of each time range parameter, by lower-cased name. */
function defaultDurations(content: unknown): Map<string, number> {
  const durations = new Map<string, number>();
  for (const { content: body } of workbookItems(content)) {
    for (const p of recordsOf(body.parameters)) {
      const value = isRecord(p.value) ? p.value.durationMs : undefined;
      if (typeof p.name === "string" && typeof value === "number" && value > 0) durations.set(p.name.toLowerCase(), value);
    }
  }
  return durations;
}
