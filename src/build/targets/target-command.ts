import path from "node:path";
import { buildContent, type ContentItem } from "../build-content.ts";
import { buildTarget, BUILD_TARGETS, SYMBOLIC_WORKSPACE, type BuildTarget, type SolutionOptions, type TargetOutput } from "./index.ts";
import { holdsMarker } from "./symbolic.ts";
import { formatHuman } from "../../diagnostics/format/index.ts";
import { ExitError, hasFailures, makeDiagnostic, type Diagnostic } from "../../diagnostics/index.ts";
import { collectEnvironment, createAnalyzer } from "../../kql/index.ts";
import { environmentsFile, repositoryItems, repositoryMarker } from "../prepare.ts";
import { loadRepository } from "../../repository/index.ts";
import { defaultEnvironmentsPath, loadEnvironments, resolveEnvironment } from "../environments.ts";
import { writeFileAtomic } from "../../files/write-atomic.ts";

/** Options of `build --target`. */
export interface TargetCommandOptions {
  target: string;
  out?: string;
  env?: string;
  environments?: string;
  root?: string;
  solution?: Partial<SolutionOptions>;
}

/** Parses `--target` (exit 2 on an unknown name). */
export function parseTarget(value: string): BuildTarget {
  if ((BUILD_TARGETS as readonly string[]).includes(value)) return value as BuildTarget;
  throw new ExitError(2, `--target must be one of ${BUILD_TARGETS.join(", ")} (got "${value}")`);
}

/**
 * `build --target <name>`: builds every item against a symbolic workspace (environment overlays applied with
 * --env, but no workspace coordinates baked in), renders the target, writes its files under <out>/<target>/ and
 * prints what was built and what the target cannot express. Exit 0, 1 on findings.
 */
export async function runTargetCommand(options: TargetCommandOptions, write: (text: string) => void): Promise<number> {
  const target = parseTarget(options.target);
  const root = path.resolve(options.root ?? process.cwd());
  const loaded = await loadTargetItems(root, options);
  if (loaded.diagnostics.length > 0) write(formatHuman(loaded.diagnostics, loaded.checkedFiles));
  if (hasFailures(loaded.diagnostics)) return 1;
  const built = buildContent(loaded.items, { target: SYMBOLIC_WORKSPACE, repository: loaded.repository });
  if (built.diagnostics.length > 0) write(formatHuman(built.diagnostics, loaded.checkedFiles));
  if (hasFailures(built.diagnostics)) return 1;
  const output = buildTarget(
    target,
    { resources: built.resources, items: loaded.items.map((i) => ({ file: i.file.path, kind: i.file.kind, data: i.data, text: i.file.text })), repository: loaded.repository },
    { columnsOf: columnsFromAnalysis(loaded.items), solution: solutionOptions(options.solution) },
  );
  const out = path.resolve(options.out ?? path.join(root, "out"), target);
  for (const [file, text] of output.files) await writeFileAtomic(path.join(out, ...file.split("/")), text, 0o666);
  write(targetSummary(target, output, path.relative(process.cwd(), out) || "."));
  return 0;
}

/** "built N items … ; M not expressible:" followed by one line per item and reason. */
export function targetSummary(target: BuildTarget, output: TargetOutput, where: string): string {
  const lines = [`${target}: built ${output.built} item${output.built === 1 ? "" : "s"} into ${where}; ${output.skipped.length} not expressible${output.skipped.length > 0 ? ":" : "."}`];
  for (const s of output.skipped) lines.push(`  ${s.item}: ${s.reason}`);
  return `${lines.join("\n")}\n`;
}

interface LoadedTargetItems {
  items: ContentItem[];
  repository: string;
  diagnostics: Diagnostic[];
  checkedFiles: number;
}

async function loadTargetItems(root: string, options: TargetCommandOptions): Promise<LoadedTargetItems> {
  const { items, environments, diagnostics, checkedFiles } = repositoryItems(await loadRepository(root));
  const marked = items.find((i) => holdsMarker(i.data));
  if (marked) diagnostics.push(makeDiagnostic("SC6013", { file: marked.file.path }, "the content holds the private-use characters U+E000/U+E001, which build targets use to mark deploy-time values"));
  const { marker: repository, diagnostics: markerFindings } = repositoryMarker(environments);
  // with --env the marker comes from the environment resolved below, whose file reports its own findings
  if (!options.env) diagnostics.push(...markerFindings);
  if (!options.env || hasFailures(diagnostics)) return { items, repository, diagnostics, checkedFiles };
  const envPath = options.environments ? path.resolve(options.environments) : defaultEnvironmentsPath(root);
  // Without the tree's copy (no file there) loadEnvironments reports the missing file.
  const envFile = environments ? environmentsFile(root, envPath, environments) : loadEnvironments(envPath, root);
  diagnostics.push(...envFile.diagnostics);
  if (!envFile.file || hasFailures(diagnostics)) return { items, repository, diagnostics, checkedFiles };
  const resolved = resolveEnvironment(envFile.file, options.env, items);
  diagnostics.push(...resolved.diagnostics);
  return { items: resolved.environment?.items ?? items, repository: resolved.environment?.repository ?? repository, diagnostics, checkedFiles };
}

/** Result columns of a query from Kusto.Language, against the bundled schemas and the repository's own tables, parsers and watchlists. */
function columnsFromAnalysis(items: readonly ContentItem[]): (query: string) => readonly string[] | undefined {
  let analyze: ReturnType<typeof createAnalyzer> | undefined;
  return (query) => {
    if (!analyze) {
      const environment = collectEnvironment(items.map((i) => i.file));
      analyze = createAnalyzer({ tables: environment.tables, functions: environment.functions, watchlists: environment.watchlists, trackTables: [] });
    }
    const outcome = analyze(query);
    return outcome.ok && outcome.analysis.resultColumns && !outcome.analysis.resultIsOpen ? outcome.analysis.resultColumns.map((c) => c.name) : undefined;
  };
}

/** The publisher of a Content Hub solution: given values, else neutral defaults to replace before publishing. */
export function solutionOptions(given: Partial<SolutionOptions> = {}): SolutionOptions {
  return {
    name: given.name ?? "Generative AI Security",
    author: given.author ?? "sentinel-content",
    version: given.version ?? "3.0.0",
    publisherId: given.publisherId ?? "your-publisher-id",
    offerId: given.offerId ?? "azure-sentinel-solution-genai-security",
    description: given.description ?? "Detections, hunting queries, parsers, watchlists and a workbook for securing Azure OpenAI, ChatGPT Enterprise and the OpenAI API platform.",
    firstPublishDate: given.firstPublishDate ?? "2026-01-01",
  };
}
