import { parseDocument } from "yaml";
import { deterministicGuid } from "../build/guid.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import type { ImportedItem } from "./imported.ts";
import { logSourceMapping, suggestEntityMappings, type LogSourceMapping } from "./sigma-mappings.ts";
import { isRecord } from "../content/record.ts";

type Json = Record<string, unknown>;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Conditions longer than this many tokens are refused (a bound on the parser's work). */
const MAX_CONDITION_TOKENS = 500;

/** Sigma `level` → Sentinel severity (critical has no Sentinel counterpart above High). */
const SEVERITY: Record<string, string> = { informational: "Informational", low: "Low", medium: "Medium", high: "High", critical: "High" };

/** Sigma ATT&CK tactic tags (attack.defense-evasion) → Sentinel tactic names. */
const TACTICS: Record<string, string> = {
  reconnaissance: "Reconnaissance", resource_development: "ResourceDevelopment", initial_access: "InitialAccess", execution: "Execution",
  persistence: "Persistence", privilege_escalation: "PrivilegeEscalation", defense_evasion: "DefenseEvasion", credential_access: "CredentialAccess",
  discovery: "Discovery", lateral_movement: "LateralMovement", collection: "Collection", command_and_control: "CommandAndControl",
  exfiltration: "Exfiltration", impact: "Impact",
};

/** A failure to convert, with the message for SC7024/SC7025. */
class SigmaError extends Error {
  constructor(readonly code: "SC7024" | "SC7025", message: string) {
    super(message);
  }
}

/** The result columns of a query (from Kusto.Language), used to suggest entity mappings for a query given alongside. */
export type ColumnsOf = (query: string) => readonly string[] | undefined;

/**
 * A Sigma rule as a Sentinel Scheduled rule: the Kusto query given alongside (as the pySigma Kusto backend writes
 * it), else one converted here for the common log sources and modifiers; entity mappings suggested from the output
 * columns; ATT&CK tags as tactics and techniques.
 */
export function importSigma(text: string, file: string, query: string | undefined, columnsOf: ColumnsOf): { items: ImportedItem[]; diagnostics: Diagnostic[] } {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [1, 1];
    return { items: [], diagnostics: [makeDiagnostic("SC7020", { file, start: { line, col } }, `not a Sigma YAML rule: ${error.message.split("\n")[0]}`)] };
  }
  const rule = doc.toJS() as unknown;
  if (!isRecord(rule) || typeof rule["title"] !== "string" || !isRecord(rule["detection"])) {
    return { items: [], diagnostics: [makeDiagnostic("SC7020", { file }, "not a Sigma rule: it needs a title and a detection block")] };
  }
  try {
    const mapping = logSourceMapping(isRecord(rule["logsource"]) ? rule["logsource"] : {});
    const kql = query ?? convertDetection(rule["detection"], mapping);
    const columns = query ? (columnsOf(query) ?? []) : (mapping?.project ?? []);
    return { items: [{ kind: "analytic-rule", data: sentinelRule(rule, kql, columns), origin: file }], diagnostics: [] };
  } catch (error) {
    if (error instanceof SigmaError) return { items: [], diagnostics: [makeDiagnostic(error.code, { file }, error.message)] };
    throw error;
  }
}

function sentinelRule(rule: Json, query: string, columns: readonly string[]): Json {
  const tags = Array.isArray(rule["tags"]) ? rule["tags"].filter((t): t is string => typeof t === "string") : [];
  const tactics = [...new Set(tags.map((t) => TACTICS[t.replace(/^attack\./, "").replace(/-/g, "_")]).filter((t): t is string => t !== undefined))];
  const techniques = [...new Set(tags.map((t) => /^attack\.(t\d{4}(\.\d{3})?)$/i.exec(t)?.[1]?.toUpperCase()).filter((t): t is string => t !== undefined))];
  const id = typeof rule["id"] === "string" && GUID.test(rule["id"]) ? rule["id"].toLowerCase() : deterministicGuid(`sigma|${String(rule["title"])}`);
  const references = Array.isArray(rule["references"]) ? rule["references"].filter((r): r is string => typeof r === "string") : [];
  const description = [String(rule["description"] ?? rule["title"]).trim(), ...(references.length > 0 ? ["", "References:", ...references.map((r) => `- ${r}`)] : []), "", `Imported from Sigma rule ${String(rule["id"] ?? rule["title"])}.`].join("\n");
  const mappings = suggestEntityMappings(columns);
  return {
    id,
    name: String(rule["title"]),
    description: `${description}\n`,
    severity: SEVERITY[String(rule["level"] ?? "medium").toLowerCase()] ?? "Medium",
    requiredDataConnectors: [],
    queryFrequency: "1h",
    queryPeriod: "1h",
    triggerOperator: "gt",
    triggerThreshold: 0,
    tactics,
    relevantTechniques: techniques,
    query: query.endsWith("\n") ? query : `${query}\n`,
    ...(mappings.length > 0 ? { entityMappings: mappings } : {}),
    version: "1.0.0",
    kind: "Scheduled",
  };
}

/** The detection block as KQL over the mapped table: `Table | where <condition> | project <columns>`. */
export function convertDetection(detection: Json, mapping: LogSourceMapping | undefined): string {
  if (!mapping) throw new SigmaError("SC7025", "no table is known for this log source (see docs/import.md for the mapped ones)");
  const condition = detection["condition"];
  if (typeof condition !== "string") throw new SigmaError("SC7024", "only a single string condition is converted (condition lists and aggregations are not)");
  const selections = new Map(Object.entries(detection).filter(([k]) => k !== "condition" && k !== "timeframe"));
  const where = parseCondition(condition, selections, mapping);
  return `${mapping.table}\n| where ${where}\n| project ${mapping.project.join(", ")}\n`;
}

function selectionKql(name: string, value: unknown, mapping: LogSourceMapping): string {
  if (Array.isArray(value)) {
    if (value.every(isRecord)) return group(value.map((v) => selectionKql(name, v, mapping)), "or");
    throw new SigmaError("SC7024", `selection "${name}" is a keyword list; keyword search (no field) is not converted`);
  }
  if (!isRecord(value)) throw new SigmaError("SC7024", `selection "${name}" is neither a field map nor a list of them`);
  return group(Object.entries(value).map(([key, v]) => fieldKql(key, v, mapping)), "and");
}

function fieldKql(key: string, value: unknown, mapping: LogSourceMapping): string {
  const [field = "", ...modifiers] = key.split("|");
  const column = mapping.fields[field];
  if (!column) throw new SigmaError("SC7024", `field "${field}" has no column in ${mapping.table} (mapped: ${Object.keys(mapping.fields).join(", ")})`);
  const all = modifiers.includes("all");
  const operator = modifiers.find((m) => m !== "all");
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) throw new SigmaError("SC7024", `field "${field}" has an empty value list`);
  const parts = values.map((v) => valueKql(column, operator, v));
  return group(parts, all ? "and" : "or");
}

function valueKql(column: string, operator: string | undefined, value: unknown): string {
  if (value === null) return `isempty(${column})`;
  if (typeof value === "number" || typeof value === "boolean") return `${column} == ${String(value)}`;
  if (typeof value !== "string") throw new SigmaError("SC7024", `value ${JSON.stringify(value)} of ${column} is not converted`);
  switch (operator) {
    case undefined:
      return wildcardKql(column, value);
    case "contains":
      return `${column} contains ${kqlString(value)}`;
    case "startswith":
      return `${column} startswith ${kqlString(value)}`;
    case "endswith":
      return `${column} endswith ${kqlString(value)}`;
    case "re":
      return `${column} matches regex ${kqlString(value)}`;
    case "cidr":
      return `ipv4_is_in_range(${column}, ${kqlString(value)})`;
    default:
      throw new SigmaError("SC7024", `modifier "${operator}" is not converted`);
  }
}

/** Sigma values are case-insensitive; `*` and `?` are wildcards (`\*` a literal star). */
function wildcardKql(column: string, value: string): string {
  const hasWildcard = /(?<!\\)[*?]/.test(value);
  if (!hasWildcard) return `${column} =~ ${kqlString(value.replace(/\\([*?\\])/g, "$1"))}`;
  const inner = value.slice(1, -1);
  if (value.startsWith("*") && value.endsWith("*") && !/(?<!\\)[*?]/.test(inner)) return `${column} contains ${kqlString(inner)}`;
  if (value.endsWith("*") && !/(?<!\\)[*?]/.test(value.slice(0, -1))) return `${column} startswith ${kqlString(value.slice(0, -1))}`;
  if (value.startsWith("*") && !/(?<!\\)[*?]/.test(value.slice(1))) return `${column} endswith ${kqlString(value.slice(1))}`;
  const regex = value.split(/(\\[*?\\]|[*?])/).map((part) => (part === "*" ? ".*" : part === "?" ? "." : part.startsWith("\\") && part.length === 2 ? `\\${part[1]}` : part.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return `${column} matches regex ${kqlString(`(?i)^${regex}$`)}`;
}

/** A KQL string literal: a verbatim @'…' string (quotes doubled), so backslashes in paths stay as written. */
export function kqlString(value: string): string {
  return `@'${value.replace(/'/g, "''")}'`;
}

function group(parts: string[], joiner: "and" | "or"): string {
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(` ${joiner} `)})`;
}

/** Recursive descent over `a and not (b or 1 of sel*)`; `them` means every selection. */
function parseCondition(condition: string, selections: Map<string, unknown>, mapping: LogSourceMapping): string {
  const tokens: string[] = condition.match(/\(|\)|[^\s()]+/g) ?? [];
  if (tokens.length === 0) throw new SigmaError("SC7024", "empty condition");
  if (tokens.length > MAX_CONDITION_TOKENS) throw new SigmaError("SC7024", `condition longer than ${MAX_CONDITION_TOKENS} tokens`);
  if (tokens.includes("|")) throw new SigmaError("SC7024", "aggregation conditions (`| count() …`) are not converted");
  let position = 0;
  const peek = () => tokens[position]?.toLowerCase();
  const named = (pattern: string): string[] => {
    const names = pattern === "them" ? [...selections.keys()] : [...selections.keys()].filter((n) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(n));
    if (names.length === 0) throw new SigmaError("SC7024", `"${pattern}" names no selection`);
    return names;
  };
  const primary = (): string => {
    const token = tokens[position++];
    if (token === undefined) throw new SigmaError("SC7024", "condition ends too early");
    if (token === "(") {
      const inner = or();
      if (tokens[position++] !== ")") throw new SigmaError("SC7024", "unbalanced parentheses in condition");
      return `(${inner})`;
    }
    if (token.toLowerCase() === "not") return `not(${primary()})`;
    if (/^(1|all)$/i.test(token) && peek() === "of") {
      position++;
      const target = tokens[position++];
      if (!target) throw new SigmaError("SC7024", `"${token} of" needs a selection name or pattern`);
      return group(named(target).map((n) => selectionKql(n, selections.get(n), mapping)), token === "1" ? "or" : "and");
    }
    if (!selections.has(token)) throw new SigmaError("SC7024", `condition names "${token}", which is not a selection`);
    return selectionKql(token, selections.get(token), mapping);
  };
  const and = (): string => {
    const parts = [primary()];
    while (peek() === "and") {
      position++;
      parts.push(primary());
    }
    return parts.join(" and ");
  };
  const or = (): string => {
    const parts = [and()];
    while (peek() === "or") {
      position++;
      parts.push(and());
    }
    return parts.length === 1 ? (parts[0] as string) : parts.map((p) => (p.includes(" and ") ? `(${p})` : p)).join(" or ");
  };
  const result = or();
  if (position !== tokens.length) throw new SigmaError("SC7024", `unexpected "${tokens[position]}" in condition`);
  return result;
}
