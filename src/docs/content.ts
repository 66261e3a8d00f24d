import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

/** One test case of a rule, as the docs describe it. */
export interface CaseSummary {
  name: string;
  /** "alert" (must fire), "no-alert" (near-miss), "timeline" (scheduler simulation) or "rows" (hunting, parser). */
  kind: "alert" | "no-alert" | "timeline" | "rows";
  snapshot: boolean;
}

/** One alert as recorded in a `<name>.snap.yaml` file. */
export interface SnapshotAlert {
  displayName: string;
  description: string;
  severity: string;
  entities: { type: string; identifiers: Record<string, unknown> }[];
  customDetails: Record<string, unknown[]>;
}

/** An analytic rule with what the docs need of its tests and snapshots. */
export interface RuleDoc {
  /** Repo-relative POSIX path of the rule file. */
  file: string;
  /** File stem, used as the page name. */
  slug: string;
  /** Data-source folder under analytics-rules/ (azure-openai, azure-activity, ...). */
  source: string;
  id: string;
  name: string;
  description: string;
  severity: string;
  kind: string;
  queryFrequency?: string;
  queryPeriod?: string;
  tactics: string[];
  techniques: string[];
  atlas: string[];
  owasp: string[];
  useCase?: string;
  query: string;
  entityMappings: { entityType: string; fieldMappings: { identifier: string; columnName: string }[] }[];
  customDetails: Record<string, string>;
  cases: CaseSummary[];
  /** The first must-alert case with a recorded snapshot, and its alerts. */
  example?: { caseName: string; alerts: SnapshotAlert[] };
  /** True when a must-alert case has a recorded alert snapshot (the test suite fails when it stops matching). */
  tested: boolean;
}

/** A hunting query or parser, listed in the index. */
export interface QueryDoc {
  file: string;
  source: string;
  name: string;
  description: string;
  useCase?: string;
  cases: number;
}

/** Everything the generated docs are built from. */
export interface DocsContent {
  rules: RuleDoc[];
  hunting: QueryDoc[];
  parsers: QueryDoc[];
  workbooks: QueryDoc[];
}

type Doc = Record<string, unknown>;

const isRecord = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const text = (v: unknown): string => (typeof v === "string" ? v : "");

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return name === "fixtures" ? [] : yamlFiles(full);
      const isContent = name.endsWith(".yaml") && !name.endsWith(".tests.yaml") && !name.endsWith(".snap.yaml") && !name.startsWith("_");
      return isContent ? [full] : [];
    });
}

function readYaml(file: string): Doc {
  const value: unknown = parse(readFileSync(file, "utf8"));
  return isRecord(value) ? value : {};
}

function sibling(file: string, suffix: string): string {
  return file.replace(/\.yaml$/, suffix);
}

function caseKind(c: Doc): CaseSummary["kind"] {
  if (isRecord(c["timeline"])) return "timeline";
  const expect = isRecord(c["expect"]) ? c["expect"] : {};
  if (expect["alert"] === true) return "alert";
  if (expect["alert"] === false) return "no-alert";
  return "rows";
}

function readCases(file: string): CaseSummary[] {
  const testsFile = sibling(file, ".tests.yaml");
  if (!existsSync(testsFile)) return [];
  const cases = readYaml(testsFile)["cases"];
  return (Array.isArray(cases) ? cases : []).filter(isRecord).map((c) => ({
    name: text(c["name"]),
    kind: caseKind(c),
    snapshot: isRecord(c["expect"]) && c["expect"]["snapshot"] === true,
  }));
}

function readSnapshots(file: string): Map<string, SnapshotAlert[]> {
  const snapFile = sibling(file, ".snap.yaml");
  if (!existsSync(snapFile)) return new Map();
  const entries = Object.entries(readYaml(snapFile)).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
  return new Map(entries.map(([name, alerts]) => [name, alerts.filter(isRecord).map(toAlert)]));
}

function toAlert(a: Doc): SnapshotAlert {
  const entities = (Array.isArray(a["entities"]) ? a["entities"] : []).filter(isRecord).map((e) => ({
    type: text(e["type"]),
    identifiers: isRecord(e["identifiers"]) ? e["identifiers"] : {},
  }));
  const details = isRecord(a["customDetails"]) ? a["customDetails"] : {};
  return {
    displayName: text(a["displayName"]),
    description: text(a["description"]),
    severity: text(a["severity"]),
    entities,
    customDetails: Object.fromEntries(Object.entries(details).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
  };
}

function readRule(root: string, file: string): RuleDoc {
  const doc = readYaml(file);
  const rel = path.relative(root, file).split(path.sep).join("/");
  const genai = isRecord(doc["x-genai"]) ? doc["x-genai"] : {};
  const cases = readCases(file);
  const snapshots = readSnapshots(file);
  const exampleCase = cases.find((c) => c.kind === "alert" && c.snapshot && (snapshots.get(c.name)?.length ?? 0) > 0);
  const mappings = (Array.isArray(doc["entityMappings"]) ? doc["entityMappings"] : []).filter(isRecord).map((m) => ({
    entityType: text(m["entityType"]),
    fieldMappings: (Array.isArray(m["fieldMappings"]) ? m["fieldMappings"] : []).filter(isRecord).map((f) => ({
      identifier: text(f["identifier"]),
      columnName: text(f["columnName"]),
    })),
  }));
  const rule: RuleDoc = {
    file: rel,
    slug: path.basename(file, ".yaml"),
    source: rel.split("/")[1] ?? "",
    id: text(doc["id"]),
    name: text(doc["name"]),
    description: text(doc["description"]),
    severity: text(doc["severity"]),
    kind: text(doc["kind"]) || "Scheduled",
    tactics: strings(doc["tactics"]),
    techniques: strings(doc["relevantTechniques"]),
    atlas: strings(genai["atlas"]),
    owasp: strings(genai["owasp"]),
    query: text(doc["query"]),
    entityMappings: mappings,
    customDetails: isRecord(doc["customDetails"]) ? Object.fromEntries(Object.entries(doc["customDetails"]).map(([k, v]) => [k, text(v)])) : {},
    cases,
    tested: exampleCase !== undefined,
  };
  if (typeof doc["queryFrequency"] === "string") rule.queryFrequency = doc["queryFrequency"];
  if (typeof doc["queryPeriod"] === "string") rule.queryPeriod = doc["queryPeriod"];
  if (typeof genai["useCase"] === "string") rule.useCase = genai["useCase"];
  if (exampleCase) rule.example = { caseName: exampleCase.name, alerts: snapshots.get(exampleCase.name) ?? [] };
  return rule;
}

function readQuery(root: string, file: string, nameKey: string): QueryDoc {
  const doc = readYaml(file);
  const rel = path.relative(root, file).split(path.sep).join("/");
  const genai = isRecord(doc["x-genai"]) ? doc["x-genai"] : {};
  const query: QueryDoc = {
    file: rel,
    source: rel.split("/").length > 2 ? (rel.split("/")[1] ?? "") : "",
    name: text(doc[nameKey]),
    description: text(doc["description"] ?? doc["Description"]),
    cases: readCases(file).length,
  };
  if (typeof genai["useCase"] === "string") query.useCase = genai["useCase"];
  return query;
}

/** Reads the rules, hunting queries, parsers and workbooks of a repository, with their tests and snapshots. */
export function loadDocsContent(root: string): DocsContent {
  return {
    rules: yamlFiles(path.join(root, "analytics-rules")).map((f) => readRule(root, f)),
    hunting: yamlFiles(path.join(root, "hunting-queries")).map((f) => readQuery(root, f, "name")),
    parsers: yamlFiles(path.join(root, "parsers")).map((f) => readQuery(root, f, "ParserName")),
    workbooks: yamlFiles(path.join(root, "workbooks")).map((f) => readQuery(root, f, "displayName")),
  };
}
