import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { itemsFromTemplate } from "./arm-template.ts";
import { jsonErrorOffset } from "./json-position.ts";
import type { ImportedItem } from "./imported.ts";
import { importSigma } from "./sigma.ts";
import { importWorkspace } from "./workspace.ts";
import { importFiles, writeImport } from "./write-items.ts";
import type { WorkspaceTarget } from "../build/workspace.ts";
import { formatHuman } from "../diagnostics/format/index.ts";
import { ExitError, hasFailures, makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import type { ArmClient } from "../deploy/arm-client.ts";
import { createAnalyzer } from "../kql/index.ts";

/** Source files larger than this are refused (a bound on memory and parse time). */
const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** Options every import takes. */
export interface ImportOptions {
  /** Output root (default: the current folder); files go to analytics-rules/imported/ and the like under it. */
  out?: string;
  force?: boolean;
}

type Write = (text: string) => void;

/** `import arm FILE…`: ARM templates (exported rules, Content Hub packages, this toolkit's targets) into YAML. */
export async function runImportArm(files: readonly string[], options: ImportOptions, write: Write): Promise<number> {
  const items: ImportedItem[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const text = readSource(file, diagnostics);
    if (text === undefined) continue;
    const template = parseJson(text, file, diagnostics);
    if (template === undefined) continue;
    const found = itemsFromTemplate(template, file);
    items.push(...found.items);
    diagnostics.push(...found.diagnostics);
  }
  return finish(items, diagnostics, files.length, options, write);
}

/** `import sigma FILE… [--query KQL]`: Sigma rules as Sentinel rules (the query given alongside, else converted). */
export async function runImportSigma(files: readonly string[], options: ImportOptions & { query?: string }, write: Write): Promise<number> {
  if (options.query !== undefined && files.length !== 1) throw new ExitError(2, "--query goes with exactly one Sigma file");
  const diagnostics: Diagnostic[] = [];
  const query = options.query === undefined ? undefined : readSource(options.query, diagnostics);
  if (options.query !== undefined && query === undefined) return finish([], diagnostics, files.length, options, write);
  let analyze: ReturnType<typeof createAnalyzer> | undefined;
  const columnsOf = (q: string) => {
    analyze ??= createAnalyzer({ tables: [], functions: [], watchlists: [], trackTables: [] });
    const outcome = analyze(q);
    return outcome.ok ? outcome.analysis.resultColumns?.map((c) => c.name) : undefined;
  };
  const items: ImportedItem[] = [];
  for (const file of files) {
    const text = readSource(file, diagnostics);
    if (text === undefined) continue;
    const found = importSigma(text, file, query, columnsOf);
    items.push(...found.items);
    diagnostics.push(...found.diagnostics);
  }
  return finish(items, diagnostics, files.length, options, write);
}

/** `import workspace`: every rule, hunting query, parser and watchlist of the workspace into YAML. */
export async function runImportWorkspace(client: ArmClient, target: WorkspaceTarget, options: ImportOptions, write: Write): Promise<number> {
  const found = await importWorkspace(client, target, `workspace ${target.workspaceName}`);
  return finish(found.items, found.diagnostics, 0, options, write);
}

async function finish(items: ImportedItem[], diagnostics: Diagnostic[], checked: number, options: ImportOptions, write: Write): Promise<number> {
  if (!hasFailures(diagnostics)) {
    const root = path.resolve(options.out ?? process.cwd());
    const files = importFiles(items);
    diagnostics.push(...(await writeImport(files, root, options.force === true)));
    if (!hasFailures(diagnostics)) write(`Imported ${summary(items)} into ${path.relative(process.cwd(), root) || "."} (${files.size} files).\n`);
  }
  if (diagnostics.length > 0) write(formatHuman(diagnostics, checked));
  return hasFailures(diagnostics) ? 1 : 0;
}

function summary(items: readonly ImportedItem[]): string {
  const count = (kind: ImportedItem["kind"], one: string, many: string) => {
    const n = items.filter((i) => i.kind === kind).length;
    return `${n} ${n === 1 ? one : many}`;
  };
  return [count("analytic-rule", "rule", "rules"), count("hunting-query", "hunting query", "hunting queries"), count("parser", "parser", "parsers"), count("watchlist", "watchlist", "watchlists")].join(", ");
}

function readSource(file: string, diagnostics: Diagnostic[]): string | undefined {
  try {
    if (statSync(file).size > MAX_SOURCE_BYTES) {
      diagnostics.push(makeDiagnostic("SC7020", { file }, `larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`));
      return undefined;
    }
    return readFileSync(file, "utf8");
  } catch (error) {
    diagnostics.push(makeDiagnostic("SC7020", { file }, "cannot read", { cause: error }));
    return undefined;
  }
}

/** JSON.parse with the error's line and column (from its character offset). */
export function parseJson(text: string, file: string, diagnostics: Diagnostic[]): unknown {
  try {
    return JSON.parse(text.replace(/^\ufeff/, ""));
  } catch (error) {
    const offset = jsonErrorOffset(text.replace(/^\ufeff/, ""));
    const start = offset === undefined ? undefined : lineCol(text.replace(/^\ufeff/, ""), offset);
    diagnostics.push(makeDiagnostic("SC7020", { file, ...(start ? { start } : {}) }, "not valid JSON", { cause: error }));
    return undefined;
  }
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const lines = before.split("\n");
  return { line: lines.length, col: (lines.at(-1)?.length ?? 0) + 1 };
}
