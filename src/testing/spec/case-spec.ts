import type { ContentKind } from "../../content/kinds.ts";
import { makeDiagnostic, type Diagnostic, type Position } from "../../diagnostics/index.ts";
import { locate, locateKey, type DocPath } from "../../load/index.ts";
import type { ContentEntry } from "../../repository/index.ts";
import { parseDuration } from "../../content/duration.ts";
import { isRecord } from "../../content/record.ts";
import { parseDatetime } from "./values.ts";

/** Rows given for one table, watchlist or input stream: inline in the tests file, or a fixture file beside it. */
export interface RowSource {
  name: string;
  /** Where in the tests file the rows (or the file name) are. */
  path: DocPath;
  rows?: unknown[];
  file?: string;
}

/** The scheduler window of a timeline case. */
export interface TimelineSpec {
  start: number;
  end: number;
  /** Ingestion delay applied to rows without `_TimeReceived` (default 0). */
  ingestionDelayMs: number;
}

/** What a workbook case expects of one query step. */
export interface StepExpectation {
  /** The step's item name. */
  step: string;
  rows?: number;
  minRows?: number;
  values?: Record<string, unknown>[];
  ordered: boolean;
}

/** What a case expects. */
export interface Expectation {
  alert?: boolean;
  rows?: number;
  minRows?: number;
  values?: Record<string, unknown>[];
  ordered: boolean;
  snapshot: boolean;
  alerts?: number;
  incidents?: number;
  firingRuns?: number[];
  output?: Map<string, Record<string, unknown>[]>;
  steps?: StepExpectation[];
}

/** One test case, read from a tests file. */
export interface CaseSpec {
  name: string;
  path: DocPath;
  now?: number;
  timeline?: TimelineSpec;
  tables: RowSource[];
  watchlists: RowSource[];
  input: RowSource[];
  /** Raw vendor events per DCR input stream, passed through the ingestion mapping's transforms into its tables. */
  raw: RowSource[];
  /** Ingestion delay of rows without `_TimeReceived` (case-level `ingestionDelay`, else the timeline's; default 0). */
  ingestionDelayMs: number;
  /** Workbook cases: parameter values by name (a list for a multi-select parameter). */
  parameters: Map<string, string[]>;
  expect: Expectation;
}

/** A tests file read into cases, with the findings that made some cases unusable (the schema's among them). */
export interface TestFileSpec {
  target?: string;
  cases: CaseSpec[];
  diagnostics: Diagnostic[];
}

type Doc = Record<string, unknown>;

const EXPECT_KEYS: Record<string, readonly string[]> = {
  "analytic-rule": ["alert", "rows", "minRows", "values", "ordered", "snapshot", "alerts", "incidents", "firingRuns"],
  "hunting-query": ["rows", "minRows", "values", "ordered"],
  parser: ["rows", "minRows", "values", "ordered"],
  "ingestion-mapping": ["output"],
  workbook: ["steps"],
};

/** The target kinds whose cases the harness runs. */
export const RUNNABLE_KINDS: readonly ContentKind[] = ["analytic-rule", "hunting-query", "parser", "ingestion-mapping", "workbook"];

/**
 * Reports a problem at a node of the tests file (`atKey`: at the key naming it). `schemaToo` marks a check the schema
 * also makes on that node (a value that does not parse, a key it does not know): when it reported the node, it stands for both.
 */
type Problem = (path: DocPath, message: string, options?: { atKey?: boolean; schemaToo?: boolean }) => void;

/**
 * Reads the cases of a tests file, as the repository's schema stage checked it, for a target of the given kind. The
 * schema's findings are the file's first findings; this adds only what the schema cannot know (the target's kind,
 * names used twice, the clock a case needs, values that do not parse), each at most once per node. A case with a
 * finding, the schema's or these, is reported and left out; the others are returned, so one bad case never hides the rest.
 */
export function readTestFile(file: ContentEntry<"tests">, targetKind: ContentKind): TestFileSpec {
  const diagnostics: Diagnostic[] = [...file.diagnostics];
  const reported = new Set(diagnostics.map(positionKey));
  const problem: Problem = (path, message, options = {}) => {
    const at = options.atKey ? locateKey(file, path) : locate(file, path);
    if (options.schemaToo && reported.has(positionKey({ line: at.start?.line ?? 1, col: at.start?.col ?? 1 }))) return;
    diagnostics.push(makeDiagnostic("SC5007", at, message));
  };
  const schemaErrors = file.diagnostics.filter((d) => d.severity === "error");
  // the document as the schema saw it: read defensively, as a failed schema leaves the value unset
  const data = isRecord(file.data) ? file.data : {};
  const spec: TestFileSpec = { cases: [], diagnostics };
  if (typeof data.target === "string") spec.target = data.target;
  const names = new Set<string>();
  (Array.isArray(data.cases) ? data.cases : []).forEach((raw, index) => {
    const path: DocPath = ["cases", index];
    const before = diagnostics.length;
    const parsed = readCase(raw, path, targetKind, problem);
    if (parsed && names.has(parsed.name)) problem([...path, "name"], `case name "${parsed.name}" is used twice in this file`);
    const range = locate(file, path);
    const schemaClean = !schemaErrors.some((d) => range.start !== undefined && range.end !== undefined && within(d, range.start, range.end));
    if (parsed && schemaClean && diagnostics.length === before) {
      names.add(parsed.name);
      spec.cases.push(parsed);
    }
  });
  return spec;
}

function positionKey(at: { line: number; col: number }): string {
  return `${at.line}:${at.col}`;
}

/** Whether a finding starts in [start, end) of the file. */
function within(at: { line: number; col: number }, start: Position, end: Position): boolean {
  const before = (a: { line: number; col: number }, b: { line: number; col: number }) => a.line < b.line || (a.line === b.line && a.col < b.col);
  return !before(at, start) && before(at, end);
}

function readCase(raw: unknown, path: DocPath, kind: ContentKind, problem: Problem): CaseSpec | undefined {
  // a case that is not a map, or has no text name, is the schema's finding
  if (!isRecord(raw) || typeof raw.name !== "string") return undefined;
  if (raw.name.trim() === "") {
    problem([...path, "name"], "a case needs a non-empty `name`", { schemaToo: true });
    return undefined;
  }
  const spec: CaseSpec = {
    name: raw.name,
    path,
    tables: readSources(raw.tables, [...path, "tables"]),
    watchlists: readSources(raw.watchlists, [...path, "watchlists"]),
    input: readSources(raw.input, [...path, "input"]),
    raw: readSources(raw.raw, [...path, "raw"]),
    ingestionDelayMs: 0,
    parameters: readParameters(raw.parameters, [...path, "parameters"], kind, problem),
    expect: readExpect(raw.expect, [...path, "expect"], kind, problem),
  };
  if (raw.now !== undefined) {
    const now = parseDatetime(raw.now);
    if (now === undefined) problem([...path, "now"], `now ${JSON.stringify(raw.now)} is not an ISO 8601 datetime`, { schemaToo: true });
    else spec.now = now;
  }
  if (raw.timeline !== undefined) {
    const timeline = readTimeline(raw.timeline, [...path, "timeline"], kind, problem);
    if (timeline) spec.timeline = timeline;
  }
  readCaseDelay(spec, raw, path, problem);
  const queryKind = kind === "analytic-rule" || kind === "hunting-query" || kind === "parser";
  if (!queryKind && raw.raw !== undefined) problem([...path, "raw"], "`raw:` (vendor events through an ingestion mapping) is for analytic-rule, hunting-query and parser cases");
  const needsClock = kind === "analytic-rule" || kind === "hunting-query" || kind === "workbook";
  // a `now` that does not parse is reported as such, not as a missing clock
  if (needsClock && raw.now === undefined && raw.timeline === undefined) problem(path, "a case needs `now` (the frozen clock) or a `timeline`");
  if (raw.now !== undefined && raw.timeline !== undefined) problem([...path, "timeline"], "give either `now` or `timeline`, not both");
  if (kind === "ingestion-mapping" && raw.tables !== undefined) problem([...path, "tables"], "ingestion-mapping cases give raw rows under `input:` (per stream), not `tables:`");
  if (kind !== "ingestion-mapping" && raw.input !== undefined) problem([...path, "input"], "`input:` is for ingestion-mapping cases; give query input rows under `tables:`");
  return spec;
}

/** The case's ingestion delay: `ingestionDelay` on the case, or on its timeline (not both). */
function readCaseDelay(spec: CaseSpec, raw: Doc, path: DocPath, problem: Problem): void {
  if (raw.ingestionDelay === undefined) {
    spec.ingestionDelayMs = spec.timeline?.ingestionDelayMs ?? 0;
    return;
  }
  const delay = parseDuration(raw.ingestionDelay);
  if (delay === undefined) problem([...path, "ingestionDelay"], "ingestionDelay must be a duration such as 10m", { schemaToo: true });
  else if (isRecord(raw.timeline) && raw.timeline.ingestionDelay !== undefined) problem([...path, "ingestionDelay"], "give the ingestion delay once: on the case or on its timeline");
  else {
    spec.ingestionDelayMs = delay;
    if (spec.timeline) spec.timeline.ingestionDelayMs = delay;
  }
}

/** Rows by name; a shape the schema refuses (not a map; rows neither a list nor a file name) is left to its finding. */
function readSources(raw: unknown, path: DocPath): RowSource[] {
  if (!isRecord(raw)) return [];
  const sources: RowSource[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) sources.push({ name, path: [...path, name], rows: value });
    else if (typeof value === "string") sources.push({ name, path: [...path, name], file: value });
  }
  return sources;
}

function readParameters(raw: unknown, path: DocPath, kind: ContentKind, problem: Problem): Map<string, string[]> {
  const parameters = new Map<string, string[]>();
  if (raw === undefined || raw === null) return parameters;
  if (kind !== "workbook") {
    problem(path, "`parameters:` is for workbook cases");
    return parameters;
  }
  if (!isRecord(raw)) return parameters;
  const scalar = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  for (const [name, value] of Object.entries(raw)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.every(scalar)) parameters.set(name, values.map(String));
  }
  return parameters;
}

function readTimeline(raw: unknown, path: DocPath, kind: ContentKind, problem: Problem): TimelineSpec | undefined {
  if (kind !== "analytic-rule") {
    problem(path, "only analytic-rule cases can have a timeline");
    return undefined;
  }
  // a timeline that is not a map, or lacks start or end, is the schema's finding
  if (!isRecord(raw) || raw.start === undefined || raw.end === undefined) return undefined;
  const start = parseDatetime(raw.start);
  const end = parseDatetime(raw.end);
  if (start === undefined) problem([...path, "start"], "timeline.start must be an ISO 8601 datetime", { schemaToo: true });
  if (end === undefined) problem([...path, "end"], "timeline.end must be an ISO 8601 datetime", { schemaToo: true });
  const delay = raw.ingestionDelay === undefined ? 0 : parseDuration(raw.ingestionDelay);
  if (delay === undefined) problem([...path, "ingestionDelay"], "timeline.ingestionDelay must be a duration such as 10m", { schemaToo: true });
  if (start === undefined || end === undefined || delay === undefined) return undefined;
  if (end < start) {
    problem([...path, "end"], "timeline.end is before timeline.start");
    return undefined;
  }
  return { start, end, ingestionDelayMs: delay };
}

/**
 * What a case expects. The schema checks each key's type and which keys a `now` or a `timeline` case may give;
 * this adds which keys the target's kind allows, and reads the values the schema accepted.
 */
function readExpect(raw: unknown, path: DocPath, kind: ContentKind, problem: Problem): Expectation {
  if (!isRecord(raw)) return { ordered: false, snapshot: false };
  const expect: Expectation = { ordered: raw.ordered === true, snapshot: raw.snapshot === true };
  const allowed = EXPECT_KEYS[kind] ?? [];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) problem([...path, key], `\`expect.${key}\` is not allowed for ${kind} tests (allowed: ${allowed.join(", ")})`, { atKey: true, schemaToo: true });
  }
  if (typeof raw.alert === "boolean") expect.alert = raw.alert;
  for (const key of ["rows", "minRows", "alerts", "incidents"] as const) {
    const value = raw[key];
    if (typeof value === "number") expect[key] = value;
  }
  if (Array.isArray(raw.values) && raw.values.every(isRecord)) expect.values = raw.values;
  if (Array.isArray(raw.firingRuns)) {
    const times = raw.firingRuns.map((t) => parseDatetime(t));
    times.forEach((t, index) => {
      if (t === undefined) problem([...path, "firingRuns", index], "expect.firingRuns must be a list of ISO 8601 run times", { schemaToo: true });
    });
    if (times.every((t) => t !== undefined)) expect.firingRuns = times;
  }
  if (isRecord(raw.output)) expect.output = new Map(Object.entries(raw.output).filter((entry): entry is [string, Record<string, unknown>[]] => Array.isArray(entry[1]) && entry[1].every(isRecord)));
  if (raw.steps !== undefined && allowed.includes("steps")) {
    const steps = readSteps(raw.steps, [...path, "steps"], problem);
    if (steps) expect.steps = steps;
  }
  return expect;
}

/** Step expectations by step name; the schema checks each one's keys and their types. */
function readSteps(raw: unknown, path: DocPath, problem: Problem): StepExpectation[] | undefined {
  if (!isRecord(raw)) return undefined;
  if (Object.keys(raw).length === 0) {
    problem(path, "expect.steps must map each query step name to its expectation, e.g. { usage-by-model: { minRows: 1 } }");
    return undefined;
  }
  const steps: StepExpectation[] = [];
  for (const [step, value] of Object.entries(raw)) {
    if (!isRecord(value)) continue;
    const expectation: StepExpectation = { step, ordered: value.ordered === true };
    for (const key of ["rows", "minRows"] as const) {
      const count = value[key];
      if (typeof count === "number") expectation[key] = count;
    }
    if (Array.isArray(value.values) && value.values.every(isRecord)) expectation.values = value.values;
    if (Object.keys(value).length > 0 && !Object.keys(value).some((k) => k !== "ordered")) problem([...path, step], `step ${step} needs rows, minRows or values`);
    steps.push(expectation);
  }
  return steps;
}
