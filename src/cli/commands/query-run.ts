import { existsSync, type readFileSync } from "node:fs";
import path from "node:path";
import { ExitError } from "../../diagnostics/errors.ts";
import { DataRowError, EngineError, loadTablesFromDir, resultJson, runQuery, tableToJson, tableToText, type Column, type DeclaredTable, type EngineLimits, type KqlType, type QueryInput, type QueryOutcome, type Table } from "../../engine/index.ts";

/** The repo's content for queries: parsers as saved functions, watchlists with their default items, custom tables (empty), the DCR input streams' columns. */
export interface RepoContext extends Pick<QueryInput, "functions" | "watchlists"> {
  customTables: Record<string, Table>;
  streams: Record<string, Column[]>;
}

/** The options of `sentinel-content query`. */
export interface QueryCommandOptions {
  data?: string;
  now?: string;
  format: string;
  batch?: string;
  /** A DCR input stream of the repo (`--stream`): the data folder's `source` file is typed by its declared columns, as the DCR does. */
  stream?: string;
  /** Parsers and watchlists of a content repo (`--repo`), callable by name. */
  repo?: RepoContext;
  /** Time and memory budgets of each query (`--time-budget`, `--memory-budget`). */
  limits?: Partial<EngineLimits>;
}

/** Loads a content repo's parsers and watchlists so queries can call them (`--repo DIR`). */
export async function loadRepoContext(dir: string): Promise<RepoContext> {
  const root = path.resolve(dir);
  if (!existsSync(root)) throw new ExitError(2, `--repo ${dir}: no such folder`);
  // imported here, so queries without --repo do not load the content loader (start-up time)
  const [{ loadRepository }, { buildWorkspace, leftOutNote }, { mappingStreams }] = await Promise.all([import("../../repository/index.ts"), import("../../testing/spec/workspace.ts"), import("../../testing/spec/raw-events.ts")]);
  const workspace = buildWorkspace(await loadRepository(root));
  // queries can still run without what was left out; they name it only if they need it
  if (workspace.leftOut.length > 0) process.stderr.write(`warning: --repo ${dir}: some content is not callable${leftOutNote(workspace)}\n`);
  const customTables: Record<string, Table> = {};
  for (const name of workspace.customTableFiles.keys()) {
    const schema = workspace.tables.get(name);
    if (schema) customTables[name] = { columns: schema.columns.map((c) => ({ name: c.name, type: c.type })), rows: [] };
  }
  const streams: Record<string, Column[]> = {};
  for (const [name, stream] of mappingStreams(workspace)) streams[name] = stream.columns.map((c) => ({ name: c.name, type: c.type as KqlType }));
  return {
    customTables,
    streams,
    functions: [...workspace.functions.values()].map(({ name, parameters, body }) => ({ name, parameters, body })),
    watchlists: [...workspace.watchlists.values()],
  };
}

/** The columns data files are typed by: the repo's custom tables, and `source` as the --stream declares it. */
function declaredTables(options: QueryCommandOptions): Record<string, DeclaredTable> {
  const declared: Record<string, DeclaredTable> = {};
  for (const [name, table] of Object.entries(options.repo?.customTables ?? {})) declared[name] = { columns: table.columns };
  if (options.stream !== undefined) {
    const columns = options.repo?.streams[options.stream];
    if (!options.repo) throw new ExitError(2, "--stream needs --repo (the repository whose ingestion mapping declares the stream)");
    if (!columns) throw new ExitError(2, `--stream ${options.stream}: no ingestion mapping of the repository declares it (streams: ${Object.keys(options.repo.streams).join(", ") || "none"})`);
    declared.source = { columns, dropUnknown: true };
  }
  return declared;
}

function loadData(dir: string | undefined, declared: Record<string, DeclaredTable>): Record<string, Table> {
  if (!dir) return {};
  try {
    return loadTablesFromDir(dir, declared);
  } catch (error) {
    if (error instanceof DataRowError) throw new ExitError(1, `${error.where}: error ${error.code}: ${error.reason}`);
    if (error instanceof EngineError) throw new ExitError(1, `error ${error.code}: ${error.message}`);
    throw new ExitError(2, `cannot read --data ${dir}: ${(error as Error).message}`);
  }
}

function outcomeError(outcome: Exclude<QueryOutcome, { ok: true }>): string {
  return outcome.diagnostics.map((d) => `${d.line}:${d.col} ${d.code}: ${d.message}`).join("; ");
}

function runBatch(file: string, input: QueryInput, defaultNow: string, limits: Partial<EngineLimits>, read: typeof readFileSync): number {
  const lines = read(file, "utf8").split(/\r?\n/);
  for (const line of lines) {
    if (line.trim() === "") continue;
    let item: { id?: unknown; query?: unknown; now?: unknown };
    try {
      item = JSON.parse(line) as typeof item;
    } catch {
      process.stdout.write(`${JSON.stringify({ id: null, error: "invalid JSON line" })}\n`);
      continue;
    }
    const now = typeof item.now === "string" ? item.now : defaultNow;
    const outcome = runQuery(String(item.query ?? ""), input, { now, limits });
    const out = outcome.ok ? { id: item.id, ...tableToJson(outcome.table) } : { id: item.id, error: outcomeError(outcome) };
    process.stdout.write(`${resultJson(out)}\n`);
  }
  return 0;
}

/** Runs the query command; returns the exit code (0 ok, 1 query or data error, 2 usage). */
export function runQueryCommand(file: string | undefined, options: QueryCommandOptions, read: typeof readFileSync): number {
  if (options.format !== "table" && options.format !== "json") throw new ExitError(2, `--format must be table or json, not ${options.format}`);
  const { customTables, streams: _streams, ...callable } = options.repo ?? { customTables: {}, streams: {} };
  const input: QueryInput = { tables: { ...customTables, ...loadData(options.data, declaredTables(options)) }, ...callable };
  const now = options.now ?? new Date().toISOString();
  const limits = options.limits ?? {};
  if (options.batch) return runBatch(options.batch, input, now, limits, read);
  let query: string;
  try {
    query = read(file === undefined || file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new ExitError(2, `cannot read the query: ${(error as Error).message}`);
  }
  const outcome = runQuery(query, input, { now, limits });
  if (!outcome.ok) {
    for (const d of outcome.diagnostics) process.stderr.write(`${file ?? "<stdin>"}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}\n`);
    return 1;
  }
  process.stdout.write(`${options.format === "json" ? resultJson(tableToJson(outcome.table)) : tableToText(outcome.table)}\n`);
  return 0;
}
