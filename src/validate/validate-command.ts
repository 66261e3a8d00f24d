import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CONFIG_FILE } from "../load/config.ts";
import { CONTENT_FOLDERS, ENVIRONMENTS_FILE, isContentKind, type ContentKind } from "../content/kinds.ts";
import { ExitError, hasFailures } from "../diagnostics/index.ts";
import { diagnosticsSummaryMarkdown, formatDiagnostics, OUTPUT_FORMATS, publishJobSummary, type OutputFormat } from "../diagnostics/format/index.ts";
import { CODES_PAGE } from "../diagnostics/codes-page.ts";
import { Progress } from "./progress.ts";
import { validateContent } from "./validate.ts";
import type { Repository } from "../repository/index.ts";
import type { AnalysisPool } from "../kql/analysis-pool.ts";
import type { Diagnostic } from "../diagnostics/index.ts";
import { applyBaseline, baselineOf, DEFAULT_BASELINE, readBaseline, writeBaseline } from "./baseline.ts";
import { writeFileAtomicSync } from "../files/write-atomic.ts";
import { readSourceText } from "../load/source-text.ts";

/** Options of `sentinel-content validate` as commander parses them. */
export interface ValidateCommandOptions {
  format: string;
  strict?: boolean;
  output?: string;
  root?: string;
  kind?: string;
  kql: boolean;
  cache: boolean;
  /** Accept the findings recorded in this baseline file; fail only on new ones. */
  baseline?: string;
  /** Write the run's findings to a baseline file (true: the default file at the root) and exit 0. */
  writeBaseline?: string | boolean;
  /** KQL analysis workers the caller owns and closes (validateContent's `pool`). */
  pool?: AnalysisPool;
  /** Worker threads of the KQL stage (validateContent's `workers`; 1 analyses in this thread). */
  workers?: number;
}

const PACKAGE_JSON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../package.json");

/** Runs validation, prints or writes the report, and returns the exit code: 0 clean, 1 findings (warnings only with --strict). */
export async function runValidateCommand(paths: string[], options: ValidateCommandOptions): Promise<number> {
  return (await validateAndReport(paths, options)).code;
}

/** What `validateAndReport` leaves for a later stage of the same process: the exit code and the content validated. */
export interface ValidateOutcome {
  code: number;
  repository: Repository;
  /** The fixture-vs-profile findings of the content, before suppressions (ValidateResult.fixtureProfiles). */
  fixtureProfiles?: Diagnostic[];
}

/** Runs validation and prints or writes the report, as `sentinel-content validate` does; returns the exit code with the validated content. */
export async function validateAndReport(paths: string[], options: ValidateCommandOptions): Promise<ValidateOutcome> {
  const format = parseFormat(options.format);
  const kind = parseKind(options.kind);
  const root = parseRoot(options.root);
  const progress = new Progress();
  const result = await validateContent({
    root,
    paths: paths.map((p) => resolvePath(p, root)),
    ...(kind ? { kind } : {}),
    kql: options.kql,
    cache: options.cache,
    ...(options.pool ? { pool: options.pool } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    onProgress: (stage, done, total) => progress.update(stage, done, total),
  });
  progress.done();
  const outcome = (code: number): ValidateOutcome => ({ code, repository: result.repository, ...(result.fixtureProfiles ? { fixtureProfiles: result.fixtureProfiles } : {}) });
  if (options.writeBaseline !== undefined && options.writeBaseline !== false && !result.diagnostics.some((d) => d.code === "SC1011")) {
    const file = typeof options.writeBaseline === "string" ? path.resolve(options.writeBaseline) : path.join(root, DEFAULT_BASELINE);
    const baseline = baselineOf(result.diagnostics);
    writeBaseline(file, baseline);
    process.stderr.write(`wrote ${baseline.findings.reduce((n, e) => n + e.count, 0)} findings to the baseline ${file}\n`);
    return outcome(0);
  }
  if (options.baseline !== undefined) result.diagnostics = applyBaseline(result.diagnostics, readBaseline(resolvePath(options.baseline, root))).diagnostics;
  if (options.kql && !result.kqlRan) process.stderr.write("note: KQL analysis is not available in this build; load, schema and content checks ran\n");
  const report = formatDiagnostics(format, result.diagnostics, {
    checkedFiles: result.checkedFiles,
    toolVersion: toolVersion(),
    codesPageUri: codesPageUri(),
    readSource: (file) => readSourceText(root, file),
  });
  if (options.output) writeAtomically(options.output, report);
  else process.stdout.write(report);
  if (format === "github" || format === "azure-devops") process.stdout.write(publishJobSummary(format, "validate", diagnosticsSummaryMarkdown("sentinel-content validate", result.diagnostics, result.checkedFiles)));
  // nothing to validate is a usage error, not a clean run
  const code = result.diagnostics.some((d) => d.code === "SC1011") ? 2 : hasFailures(result.diagnostics, options.strict === true) ? 1 : 0;
  return outcome(code);
}

function parseFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new ExitError(2, `--format must be one of ${OUTPUT_FORMATS.join(", ")} (got "${value}")`);
}

function parseKind(value: string | undefined): ContentKind | undefined {
  if (value === undefined) return undefined;
  if (isContentKind(value)) return value;
  throw new ExitError(2, `--kind must be a content kind such as analytic-rule or hunting-query (got "${value}")`);
}

/** The repository root of a command: --root as given (it must be a folder), else the nearest content root upwards. */
export function parseRoot(value: string | undefined): string {
  const root = value === undefined ? findContentRoot(process.cwd()) : path.resolve(value);
  const info = statOrUndefined(root);
  if (!info?.isDirectory()) throw new ExitError(2, `--root ${root} is not a directory`);
  return root;
}

/** The nearest folder, from `start` upwards, holding a configuration file, a content folder or environments.yaml; `start` itself when there is none. */
export function findContentRoot(start: string): string {
  const markers = [CONFIG_FILE, ...Object.keys(CONTENT_FOLDERS), ENVIRONMENTS_FILE];
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (markers.some((m) => existsSync(path.join(dir, m)))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}

/** A command-line path: absolute as given; relative ones from the working directory when they exist there, else under the root. */
export function resolvePath(given: string, root: string): string {
  if (path.isAbsolute(given)) return given;
  const fromCwd = path.resolve(given);
  return existsSync(fromCwd) ? fromCwd : path.resolve(root, given);
}

function statOrUndefined(file: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The codes page for SARIF helpUri: on the toolkit's repository when package.json names a GitHub repository,
 * else the page shipped with the toolkit (a file: URI, absolute as SARIF requires).
 */
export function codesPageUri(): string {
  const repository = packageJson().repository;
  const url = typeof repository === "string" ? repository : repository?.url;
  const github = url ? /github\.com[/:]([^/]+\/[^/.]+?)(?:\.git)?$/.exec(url) : null;
  if (github) return `https://github.com/${github[1] as string}/blob/HEAD/${CODES_PAGE}`;
  return pathToFileURL(path.resolve(path.dirname(PACKAGE_JSON), CODES_PAGE)).href;
}

function toolVersion(): string {
  return String(packageJson().version ?? "0.0.0");
}

/** The toolkit's package.json, or an empty object when it cannot be read. */
function packageJson(): { version?: unknown; repository?: string | { url?: string } } {
  try {
    return JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version?: unknown; repository?: string | { url?: string } };
  } catch {
    return {};
  }
}

/** Writes the report to a temporary file beside the target, then renames it (no partial reports). */
function writeAtomically(file: string, text: string): void {
  const target = path.resolve(file);
  try {
    writeFileAtomicSync(target, text);
  } catch (error) {
    throw new ExitError(2, `cannot write --output ${target}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
