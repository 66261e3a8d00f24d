import type { ErrorObject } from "ajv";
import type { DiagnosticCode } from "../diagnostics/index.ts";

/** An ajv error turned into words: a code, a sentence, and which node it points at. */
export interface SchemaFinding {
  code: DiagnosticCode;
  message: string;
  /** Path (keys and indexes) of the node the finding points at. */
  path: (string | number)[];
  /** Point at the key of the last path segment rather than its value. */
  atKey: boolean;
  hint?: string;
}

/** Splits a JSON Pointer into document path segments, with array indexes as numbers (looked up in the data). */
export function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node) && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      node = node[Number(segment)];
    } else {
      path.push(segment);
      node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

/** Keeps the errors a reader needs: drops `if` wrappers and the branch errors under a failed anyOf/oneOf, and duplicates. */
export function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const kept = errors.filter((e) => {
    if (e.keyword === "if") return false;
    return !unions.some((u) => u !== e && e.schemaPath.startsWith(`${u.schemaPath}/`) && e.instancePath.startsWith(u.instancePath));
  });
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Describes one ajv error in plain words; `suggest: false` leaves out the closest-key suggestion (costly for a flood of unknown keys). */
export function describeError(error: ErrorObject, data: unknown, suggest = true): SchemaFinding {
  const path = pointerToPath(error.instancePath, data);
  const where = path.length === 0 ? "the file" : `'${path.join(".")}'`;
  const params = error.params as Record<string, unknown>;
  const description = schemaDescription(error.parentSchema);
  const hint = description ? { hint: description } : {};
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const suggestion = suggest ? closest(key, known) : undefined;
      const tail = suggestion ? ` (did you mean '${suggestion}'?)` : known.length > 0 ? ` (allowed: ${known.join(", ")})` : "";
      return { code: "SC2001", message: `unexpected key '${key}' in ${where}${tail}`, path: [...path, key], atKey: true };
    }
    case "required": {
      const key = String(params.missingProperty);
      return { code: "SC2002", message: `missing required key '${key}' in ${where}`, path, atKey: path.length > 0, ...hintOf(error.parentSchema, key) };
    }
    case "type": {
      const expected = [String(params.type)].flat().join(" or ").replace(/,/g, " or ");
      return { code: "SC2003", message: `${where} must be ${article(expected)}, not ${typeName(error.data)}`, path, atKey: false, ...hint };
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
      return { code: "SC2004", message: `${show(error.data)} is not allowed for ${where}; use one of: ${allowed}`, path, atKey: false };
    }
    case "const":
      return { code: "SC2004", message: `${where} must be ${JSON.stringify(params.allowedValue)}, not ${show(error.data)}`, path, atKey: false };
    case "false schema":
      return { code: "SC2001", message: `${where} is not allowed here`, path, atKey: true };
    case "anyOf":
    case "oneOf":
      return { code: "SC2003", message: `${where} has none of the allowed forms (${show(error.data)})`, path, atKey: false, ...hint };
    default:
      return { code: "SC2005", message: `${where} ${valueProblem(error)}`, path, atKey: false, ...hint };
  }
}

function valueProblem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "pattern":
      return `${show(error.data)} does not match the pattern ${String(params.pattern)}`;
    case "format":
      return `${show(error.data)} is not a valid ${String(params.format)}${formatExample(String(params.format))}`;
    case "minLength":
      return params.limit === 1 ? "must not be empty" : `must be at least ${String(params.limit)} characters long`;
    case "maxLength":
      return `must be at most ${String(params.limit)} characters long`;
    case "minItems":
      return `must have at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}`;
    case "maxItems":
      return `must have at most ${String(params.limit)} items`;
    case "minProperties":
      return `must have at least ${String(params.limit)} key${params.limit === 1 ? "" : "s"}${knownKeys(error.parentSchema)}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `is ${show(error.data)}; it must be ${String(params.comparison)} ${String(params.limit)}`;
    default:
      return error.message ?? `fails the schema keyword '${error.keyword}'`;
  }
}

const FORMAT_EXAMPLES: Record<string, string> = { "date-time": "2026-11-20T12:00:00Z", date: "2026-11-25" };

function formatExample(format: string): string {
  const example = FORMAT_EXAMPLES[format];
  return example ? ` (e.g. ${example})` : "";
}

function knownKeys(schema: unknown): string {
  const keys = Object.keys(((schema as { properties?: object } | undefined)?.properties as object | undefined) ?? {});
  return keys.length > 0 ? ` (${keys.join(", ")})` : "";
}

function schemaDescription(schema: unknown): string | undefined {
  const description = (schema as { description?: unknown } | undefined)?.description;
  return typeof description === "string" ? description : undefined;
}

function hintOf(schema: unknown, key: string): { hint?: string } {
  const property = ((schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {})[key];
  const description = schemaDescription(property);
  return description ? { hint: `${key}: ${description}` } : {};
}

function typeName(value: unknown): string {
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${JSON.stringify(truncate(value))}`;
  return `the ${typeof value} ${String(value)}`;
}

function article(expected: string): string {
  const words: Record<string, string> = { object: "a mapping", array: "a list", string: "text", integer: "a whole number", number: "a number", boolean: "true or false", null: "empty" };
  return expected
    .split(" or ")
    .map((t) => words[t] ?? t)
    .join(" or ");
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(truncate(value)) : truncate(JSON.stringify(value) ?? String(value));
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The known key closest to a mistyped one: case-insensitive edit distance of at most a quarter of its length (1 to 3), else a known key it begins. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const prefixOf = lower.length >= 4 ? known.find((k) => k.toLowerCase().startsWith(lower)) : undefined;
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(key.length / 4))) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best ?? prefixOf;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}
