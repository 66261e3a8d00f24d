import path from "node:path";
import type { ContentKind } from "../content/kinds.ts";
import type { AnalyticRule } from "../content/generated/index.ts";
import { isRecord } from "../content/record.ts";
import type { Diagnostic } from "../diagnostics/index.ts";
import { schemaRefusals, valuesOfKind, type ContentEntry, type Repository } from "../repository/index.ts";
import { readSnapshotFile, snapshotPathFor } from "../testing/verdict/snapshots.ts";

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

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** The tests of one content file: the cases of every tests file the repository paired with it, and their snapshots. */
interface TestsOf {
  cases: CaseSummary[];
  snapshots: Map<string, SnapshotAlert[]>;
}

/** The repository's tests by target path (cases from the typed tests files, alerts from the snapshots beside them). */
function testsByTarget(repository: Repository): Map<string, TestsOf> {
  const byTarget = new Map<string, TestsOf>();
  for (const { tests, targetPath } of repository.tests) {
    const found = byTarget.get(targetPath) ?? { cases: [], snapshots: new Map<string, SnapshotAlert[]>() };
    found.cases.push(...(tests.value?.cases ?? []).map(caseSummary));
    for (const [name, alerts] of readSnapshots(path.join(repository.root, snapshotPathFor(tests.path)))) found.snapshots.set(name, alerts);
    byTarget.set(targetPath, found);
  }
  return byTarget;
}

function caseSummary(c: { name: string; timeline?: unknown; expect: object }): CaseSummary {
  // `expect` differs by target kind (the schema's if/then), so its keys are read as written
  const expect: Doc = { ...c.expect };
  const kind = c.timeline !== undefined ? "timeline" : expect["alert"] === true ? "alert" : expect["alert"] === false ? "no-alert" : "rows";
  return { name: c.name, kind, snapshot: expect["snapshot"] === true };
}

function readSnapshots(snapFile: string): Map<string, SnapshotAlert[]> {
  const entries = [...readSnapshotFile(snapFile).cases].filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
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

/** The `x-genai` block of a content value (an extension block, so typed by its own schema, not the kind's). */
function genaiOf(value: object): Doc {
  const block: unknown = Object.entries(value).find(([key]) => key === "x-genai")?.[1];
  return isRecord(block) ? block : {};
}

function ruleDoc(entry: ContentEntry<"analytic-rule">, doc: AnalyticRule, tests: TestsOf | undefined): RuleDoc {
  const genai = genaiOf(doc);
  const cases = tests?.cases ?? [];
  const snapshots = tests?.snapshots ?? new Map<string, SnapshotAlert[]>();
  const exampleCase = cases.find((c) => c.kind === "alert" && c.snapshot && (snapshots.get(c.name)?.length ?? 0) > 0);
  const mappings = (doc.entityMappings ?? []).map((m) => ({
    entityType: m.entityType,
    fieldMappings: m.fieldMappings.map((f) => ({ identifier: f.identifier, columnName: f.columnName })),
  }));
  const rule: RuleDoc = {
    file: entry.path,
    slug: path.posix.basename(entry.path).replace(/\.ya?ml$/i, ""),
    source: entry.path.split("/")[1] ?? "",
    id: doc.id,
    name: doc.name,
    description: doc.description,
    severity: doc.severity,
    kind: doc.kind,
    tactics: strings(doc.tactics),
    techniques: strings(doc.relevantTechniques),
    atlas: strings(genai["atlas"]),
    owasp: strings(genai["owasp"]),
    query: doc.query,
    entityMappings: mappings,
    customDetails: Object.fromEntries(Object.entries(doc.customDetails ?? {}).map(([k, v]) => [k, text(v)])),
    cases,
    tested: exampleCase !== undefined,
  };
  if (doc.queryFrequency !== undefined) rule.queryFrequency = doc.queryFrequency;
  if (doc.queryPeriod !== undefined) rule.queryPeriod = doc.queryPeriod;
  if (typeof genai["useCase"] === "string") rule.useCase = genai["useCase"];
  if (exampleCase) rule.example = { caseName: exampleCase.name, alerts: snapshots.get(exampleCase.name) ?? [] };
  return rule;
}

function queryDoc(entry: ContentEntry, value: object, name: string, description: string | undefined, tests: TestsOf | undefined): QueryDoc {
  const segments = entry.path.split("/");
  const genai = genaiOf(value);
  const query: QueryDoc = { file: entry.path, source: segments.length > 2 ? (segments[1] ?? "") : "", name, description: description ?? "", cases: tests?.cases.length ?? 0 };
  if (typeof genai["useCase"] === "string") query.useCase = genai["useCase"];
  return query;
}

/** The schema-clean files of a kind (templates aside) in folder order: each folder's entries sorted by name, as a tree walk lists them. */
function inFolderOrder<K extends ContentKind>(repository: Repository, kind: K) {
  const segments = (p: string) => p.split("/");
  const byFolder = (a: string[], b: string[]): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as string) < (b[i] as string) ? -1 : 1;
    return a.length - b.length;
  };
  return valuesOfKind(repository, kind).sort((a, b) => byFolder(segments(a.entry.path), segments(b.entry.path)));
}

/** The rules, hunting queries, parsers and workbooks of a repository, with their tests and snapshots. */
export function loadDocsContent(repository: Repository): DocsContent {
  const tests = testsByTarget(repository);
  return {
    rules: inFolderOrder(repository, "analytic-rule").map(({ entry, value }) => ruleDoc(entry, value, tests.get(entry.path))),
    hunting: inFolderOrder(repository, "hunting-query").map(({ entry, value }) => queryDoc(entry, value, value.name, value.description, tests.get(entry.path))),
    parsers: inFolderOrder(repository, "parser").map(({ entry, value }) => queryDoc(entry, value, value.ParserName, value.Description, tests.get(entry.path))),
    workbooks: inFolderOrder(repository, "workbook").map(({ entry, value }) => queryDoc(entry, value, value.displayName, value.description, tests.get(entry.path))),
  };
}

/** The kinds the docs are built from (the tests files give each page its cases). */
const DOCUMENTED_KINDS: ReadonlySet<ContentKind> = new Set(["analytic-rule", "hunting-query", "parser", "workbook", "tests"]);

/**
 * The errors that would leave content out of the docs: files that did not load, and files of the kinds the docs read
 * (templates aside) that fail their schema. Each names its file, line and column.
 */
export function missingFromDocs(repository: Repository): Diagnostic[] {
  const unloaded = repository.loadDiagnostics.filter((d) => d.severity === "error");
  return [...unloaded, ...schemaRefusals(repository, DOCUMENTED_KINDS)];
}
