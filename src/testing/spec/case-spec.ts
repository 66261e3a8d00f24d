import type { ContentKind } from "../../content/kinds.ts";
import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.ts";
import { locate, type DocPath, type LoadedFile } from "../../load/index.ts";
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

/** A tests file read into cases, with the findings that made some cases unusable. */
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
 * Reads the cases of a tests file for a target of the given kind. Malformed cases are reported (SC5007 at the
 * offending key) and left out; the others are returned, so one bad case never hides the rest.
 */
export function readTestFile(file: LoadedFile, targetKind: ContentKind): TestFileSpec {
  const diagnostics: Diagnostic[] = [];
  const problem = (path: DocPath, message: string) => diagnostics.push(makeDiagnostic("SC5007", locate(file, path), message));
  const data = isRecord(file.data) ? file.data : {};
  const spec: TestFileSpec = { cases: [], diagnostics };
  if (typeof data.target === "string") spec.target = data.target;
  if (!Array.isArray(data.cases)) {
    problem(["cases"], "a tests file needs a `cases:` list");
    return spec;
  }
  const names = new Set<string>();
  data.cases.forEach((raw, index) => {
    const path: DocPath = ["cases", index];
    const before = diagnostics.length;
    const parsed = readCase(raw, path, targetKind, problem);
    if (parsed && names.has(parsed.name)) problem([...path, "name"], `case name "${parsed.name}" is used twice in this file`);
    if (parsed && diagnostics.length === before) {
      names.add(parsed.name);
      spec.cases.push(parsed);
    }
  });
  return spec;
}

function readCase(raw: unknown, path: DocPath, kind: ContentKind, problem: (path: DocPath, message: string) => void): CaseSpec | undefined {
  if (!isRecord(raw)) {
    problem(path, "a case must be a map with name, tables and expect");
    return undefined;
  }
  if (typeof raw.name !== "string" || raw.name.trim() === "") {
    problem([...path, "name"], "a case needs a non-empty `name`");
    return undefined;
  }
  const spec: CaseSpec = {
    name: raw.name,
    path,
    tables: readSources(raw.tables, [...path, "tables"], problem),
    watchlists: readSources(raw.watchlists, [...path, "watchlists"], problem),
    input: readSources(raw.input, [...path, "input"], problem),
    raw: readSources(raw.raw, [...path, "raw"], problem),
    ingestionDelayMs: 0,
    parameters: readParameters(raw.parameters, [...path, "parameters"], kind, problem),
    expect: readExpect(raw.expect, [...path, "expect"], kind, problem),
  };
  if (raw.now !== undefined) {
    const now = parseDatetime(raw.now);
    if (now === undefined) problem([...path, "now"], `now ${JSON.stringify(raw.now)} is not an ISO 8601 datetime`);
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
  if (needsClock && spec.now === undefined && raw.timeline === undefined) problem(path, "a case needs `now` (the frozen clock) or a `timeline`");
  if (spec.now !== undefined && raw.timeline !== undefined) problem([...path, "timeline"], "give either `now` or `timeline`, not both");
  if (kind === "ingestion-mapping" && raw.tables !== undefined) problem([...path, "tables"], "ingestion-mapping cases give raw rows under `input:` (per stream), not `tables:`");
  if (kind !== "ingestion-mapping" && raw.input !== undefined) problem([...path, "input"], "`input:` is for ingestion-mapping cases; give query input rows under `tables:`");
  checkTimelineExpectations(spec, raw.timeline !== undefined, path, problem);
  return spec;
}

/** The case's ingestion delay: `ingestionDelay` on the case, or on its timeline (not both). */
function readCaseDelay(spec: CaseSpec, raw: Doc, path: DocPath, problem: (path: DocPath, message: string) => void): void {
  if (raw.ingestionDelay === undefined) {
    spec.ingestionDelayMs = spec.timeline?.ingestionDelayMs ?? 0;
    return;
  }
  const delay = parseDuration(raw.ingestionDelay);
  if (delay === undefined) problem([...path, "ingestionDelay"], "ingestionDelay must be a duration such as 10m");
  else if (isRecord(raw.timeline) && raw.timeline.ingestionDelay !== undefined) problem([...path, "ingestionDelay"], "give the ingestion delay once: on the case or on its timeline");
  else {
    spec.ingestionDelayMs = delay;
    if (spec.timeline) spec.timeline.ingestionDelayMs = delay;
  }
}

/** Timeline-only and single-run-only expectations, judged by whether the case gives a timeline (even a malformed one). */
function checkTimelineExpectations(spec: CaseSpec, timeline: boolean, path: DocPath, problem: (path: DocPath, message: string) => void): void {
  const timelineOnly = (["alerts", "incidents", "firingRuns"] as const).filter((k) => spec.expect[k] !== undefined);
  if (!timeline && timelineOnly.length > 0) problem([...path, "expect", timelineOnly[0] as string], `\`${timelineOnly[0]}\` needs a \`timeline\` case`);
  const singleOnly = (["alert", "rows", "minRows", "values"] as const).filter((k) => spec.expect[k] !== undefined);
  if (timeline && singleOnly.length > 0) problem([...path, "expect", singleOnly[0] as string], `\`${singleOnly[0]}\` needs a single \`now\`; timeline cases expect alerts, incidents and firingRuns`);
}

function readSources(raw: unknown, path: DocPath, problem: (path: DocPath, message: string) => void): RowSource[] {
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) {
    problem(path, "expected a map from name to rows (a list) or to a fixture file name");
    return [];
  }
  const sources: RowSource[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) sources.push({ name, path: [...path, name], rows: value });
    else if (typeof value === "string") sources.push({ name, path: [...path, name], file: value });
    else if (value === null) sources.push({ name, path: [...path, name], rows: [] });
    else problem([...path, name], `rows of ${name} must be a list of rows or a fixture file name (.jsonl, .json, .csv)`);
  }
  return sources;
}

function readParameters(raw: unknown, path: DocPath, kind: ContentKind, problem: (path: DocPath, message: string) => void): Map<string, string[]> {
  const parameters = new Map<string, string[]>();
  if (raw === undefined || raw === null) return parameters;
  if (kind !== "workbook") {
    problem(path, "`parameters:` is for workbook cases");
    return parameters;
  }
  if (!isRecord(raw)) {
    problem(path, "parameters must map each workbook parameter name to its value (a list for a multi-select parameter)");
    return parameters;
  }
  const scalar = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  for (const [name, value] of Object.entries(raw)) {
    const values = Array.isArray(value) ? value : [value];
    if (!values.every(scalar)) problem([...path, name], `parameter ${name} must be a text, number or boolean value, or a list of them`);
    else parameters.set(name, values.map(String));
  }
  return parameters;
}

function readTimeline(raw: unknown, path: DocPath, kind: ContentKind, problem: (path: DocPath, message: string) => void): TimelineSpec | undefined {
  if (kind !== "analytic-rule") {
    problem(path, "only analytic-rule cases can have a timeline");
    return undefined;
  }
  if (!isRecord(raw)) {
    problem(path, "timeline needs `start` and `end`");
    return undefined;
  }
  const start = parseDatetime(raw.start);
  const end = parseDatetime(raw.end);
  if (start === undefined) problem([...path, "start"], "timeline.start must be an ISO 8601 datetime");
  if (end === undefined) problem([...path, "end"], "timeline.end must be an ISO 8601 datetime");
  const delay = raw.ingestionDelay === undefined ? 0 : parseDuration(raw.ingestionDelay);
  if (delay === undefined) problem([...path, "ingestionDelay"], "timeline.ingestionDelay must be a duration such as 10m");
  if (start === undefined || end === undefined || delay === undefined) return undefined;
  if (end < start) {
    problem([...path, "end"], "timeline.end is before timeline.start");
    return undefined;
  }
  return { start, end, ingestionDelayMs: delay };
}

function readExpect(raw: unknown, path: DocPath, kind: ContentKind, problem: (path: DocPath, message: string) => void): Expectation {
  const expect: Expectation = { ordered: false, snapshot: false };
  if (!isRecord(raw)) {
    problem(path, "a case needs an `expect:` map");
    return expect;
  }
  const allowed = EXPECT_KEYS[kind] ?? [];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) problem([...path, key], `\`expect.${key}\` is not allowed for ${kind} tests (allowed: ${allowed.join(", ")})`);
  }
  if (Object.keys(raw).length === 0) problem(path, "`expect:` is empty: say what the case must show");
  const bool = (key: "alert" | "ordered" | "snapshot") => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") problem([...path, key], `expect.${key} must be true or false`);
    return value === true;
  };
  const count = (key: "rows" | "minRows" | "alerts" | "incidents") => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) problem([...path, key], `expect.${key} must be a whole number ≥ 0`);
    return typeof value === "number" ? value : undefined;
  };
  const alert = bool("alert");
  if (alert !== undefined) expect.alert = alert;
  expect.ordered = bool("ordered") ?? false;
  expect.snapshot = bool("snapshot") ?? false;
  for (const key of ["rows", "minRows", "alerts", "incidents"] as const) {
    const value = count(key);
    if (value !== undefined) expect[key] = value;
  }
  if (raw.values !== undefined) {
    if (!Array.isArray(raw.values) || !raw.values.every(isRecord)) problem([...path, "values"], "expect.values must be a list of rows (maps of column to value)");
    else expect.values = raw.values;
  }
  if (raw.firingRuns !== undefined) {
    const times = Array.isArray(raw.firingRuns) ? raw.firingRuns.map((t) => parseDatetime(t)) : [undefined];
    if (times.some((t) => t === undefined)) problem([...path, "firingRuns"], "expect.firingRuns must be a list of ISO 8601 run times");
    else expect.firingRuns = times as number[];
  }
  if (raw.output !== undefined) {
    const output = isRecord(raw.output) ? Object.entries(raw.output) : undefined;
    if (!output || !output.every(([, rows]) => Array.isArray(rows) && rows.every(isRecord))) problem([...path, "output"], "expect.output must map each output table to its rows");
    else expect.output = new Map(output as [string, Record<string, unknown>[]][]);
  }
  if (raw.steps !== undefined && allowed.includes("steps")) {
    const steps = readSteps(raw.steps, [...path, "steps"], problem);
    if (steps) expect.steps = steps;
  }
  return expect;
}

const STEP_KEYS = ["rows", "minRows", "values", "ordered"];

function readSteps(raw: unknown, path: DocPath, problem: (path: DocPath, message: string) => void): StepExpectation[] | undefined {
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    problem(path, "expect.steps must map each query step name to its expectation, e.g. { usage-by-model: { minRows: 1 } }");
    return undefined;
  }
  const steps: StepExpectation[] = [];
  for (const [step, value] of Object.entries(raw)) {
    const at: DocPath = [...path, step];
    if (!isRecord(value) || Object.keys(value).length === 0) {
      problem(at, `the expectation of step ${step} must be a map with rows, minRows or values`);
      continue;
    }
    for (const key of Object.keys(value).filter((k) => !STEP_KEYS.includes(k))) problem([...at, key], `\`${key}\` is not a step expectation (allowed: ${STEP_KEYS.join(", ")})`);
    const expectation: StepExpectation = { step, ordered: value.ordered === true };
    if (value.ordered !== undefined && typeof value.ordered !== "boolean") problem([...at, "ordered"], "ordered must be true or false");
    for (const key of ["rows", "minRows"] as const) {
      const count = value[key];
      if (count === undefined) continue;
      if (typeof count !== "number" || !Number.isInteger(count) || count < 0) problem([...at, key], `${key} must be a whole number ≥ 0`);
      else expectation[key] = count;
    }
    if (value.values !== undefined) {
      if (!Array.isArray(value.values) || !value.values.every(isRecord)) problem([...at, "values"], "values must be a list of rows (maps of column to value)");
      else expectation.values = value.values;
    }
    if (!Object.keys(value).some((k) => k !== "ordered")) problem(at, `step ${step} needs rows, minRows or values`);
    steps.push(expectation);
  }
  return steps;
}
