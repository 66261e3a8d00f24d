import { isTemplatePath, type ContentKind } from "../content/kinds.ts";
import { isRecord } from "../content/record.ts";
import { targetPathOf } from "../content/test-target.ts";
import type { KindValue } from "../content/typed-kinds.ts";
import { hasFailures, makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { loadContentTree, type LoadedFile, type LoadTreeOptions, type LoadTreeResult } from "../load/index.ts";
import { validateSchema } from "../schema/index.ts";

/**
 * One content file of kind K, read once after the schema stage: the loaded file (text, document, positions), its
 * typed value when the schema passed, and the schema's findings (which, when they hold an error, stop the value).
 */
export type ContentEntry<K extends ContentKind = ContentKind> = K extends ContentKind
  ? LoadedFile & {
      kind: K;
      /** The document as its kind's schema type; absent when the schema stage reported an error. */
      value?: KindValue<K>;
      /** The schema stage's findings for this file. */
      diagnostics: Diagnostic[];
    }
  : never;

/** A tests file with the content file it targets (`content/test-target.ts`), absent when that file did not load. */
export interface TestsPairing {
  tests: ContentEntry<"tests">;
  /** Repo-relative path of the target. */
  targetPath: string;
  /** Whether the tests file names its target (`target:`); otherwise it is the sibling with the same stem. */
  named: boolean;
  target?: ContentEntry;
}

/** The loaded, schema-checked content of a repository, built once and handed to every stage that reads content. */
export interface Repository {
  /** Repository root; entry paths are relative to it. */
  root: string;
  /** Every content file that loaded, in the loader's order (path order). */
  entries: ContentEntry[];
  /** The entries by repo-relative path. */
  files: ReadonlyMap<string, ContentEntry>;
  /** The tests files (templates aside) paired with their targets, in entry order. */
  tests: TestsPairing[];
  /** The load stage's findings (files that did not load, links, an empty tree, the config file). */
  loadDiagnostics: Diagnostic[];
  /** How many files were attempted (loaded or not). */
  checkedFiles: number;
  /** True when it holds every content file of the repository (no paths given, no forced kind). */
  whole: boolean;
}

/** Options of `loadRepository`: the loader's, plus progress of the schema stage. */
export interface RepositoryOptions extends LoadTreeOptions {
  onSchema?: (done: number, total: number) => void;
}

/** Loads the content under `root` (every content file, or the given paths) and builds its Repository. */
export async function loadRepository(root: string, paths?: string[], options: RepositoryOptions = {}): Promise<Repository> {
  const tree = await loadContentTree(root, paths, options);
  return buildRepository(root, tree, { whole: (paths ?? []).length === 0 && options.kind === undefined, ...(options.onSchema ? { onSchema: options.onSchema } : {}) });
}

/** Builds a Repository from a loaded tree: each file schema-checked once, typed when clean, tests paired with targets. */
export function buildRepository(root: string, tree: LoadTreeResult, options: { whole: boolean; onSchema?: (done: number, total: number) => void }): Repository {
  const entries = tree.files.map((file, index) => {
    const entry = checkedEntry(file);
    if (options.onSchema) {
      // progress is reported as the work is done: the schema stage runs now rather than on first use
      void entry.diagnostics;
      options.onSchema(index + 1, tree.files.length);
    }
    return entry;
  });
  const files = new Map(entries.map((entry) => [entry.path, entry]));
  const tests = entries.filter(isTestsEntry).filter((entry) => !isTemplatePath(entry.path)).map((entry) => pairing(entry, files));
  return { root, entries, files, tests, loadDiagnostics: tree.diagnostics, checkedFiles: tree.checked, whole: options.whole };
}

/** The entries of one kind, in entry order. */
export function entriesOfKind<K extends ContentKind>(repository: Repository, kind: K): ContentEntry<K>[] {
  return repository.entries.filter((entry): entry is ContentEntry<K> => entry.kind === kind);
}

/** The typed values of one kind's schema-clean entries, templates aside, each with its entry. */
export function valuesOfKind<K extends ContentKind>(repository: Repository, kind: K): { entry: ContentEntry<K>; value: KindValue<K> }[] {
  return entriesOfKind(repository, kind)
    .filter((entry) => !isTemplatePath(entry.path))
    .flatMap((entry) => (entry.value === undefined ? [] : [{ entry, value: entry.value as KindValue<K> }]));
}

/** The schema errors of the entries of `kinds` (templates aside) whose schema failed: the content left out of their typed values. */
export function schemaRefusals(repository: Repository, kinds: Iterable<ContentKind>): Diagnostic[] {
  const wanted = new Set(kinds);
  return repository.entries
    .filter((entry) => wanted.has(entry.kind) && !isTemplatePath(entry.path) && entry.value === undefined)
    .flatMap((entry) => entry.diagnostics.filter((d) => d.severity === "error"));
}

/** A finding on one line as the refusal notes print it: `  file:line:col: error CODE: message`. */
export function refusalLine(d: Diagnostic): string {
  return `  ${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}`;
}

function isTestsEntry(entry: ContentEntry): entry is ContentEntry<"tests"> {
  return entry.kind === "tests";
}

function pairing(tests: ContentEntry<"tests">, files: ReadonlyMap<string, ContentEntry>): TestsPairing {
  const written = targetField(tests);
  const targetPath = targetPathOf(tests.path, written, { files });
  const target = files.get(targetPath);
  const named = written !== undefined;
  return target ? { tests, targetPath, named, target } : { tests, targetPath, named };
}

/** The tests file's `target:` as written (from the document, so pairing neither waits for nor depends on the schema stage). */
function targetField(tests: ContentEntry<"tests">): unknown {
  return isRecord(tests.data) ? tests.data.target : undefined;
}

/**
 * A loaded file with its schema stage: the schema's findings, and the typed value when none is an error. The check
 * runs once, on first use of either, so a process compiles only the schemas of the kinds it asks about.
 */
export function checkedEntry<K extends ContentKind>(file: LoadedFile & { kind: K }): ContentEntry<K>;
export function checkedEntry(file: LoadedFile): ContentEntry {
  let checked: { value?: unknown; diagnostics: Diagnostic[] } | undefined;
  const check = () => (checked ??= schemaStage(file));
  const entry = { ...file };
  Object.defineProperties(entry, {
    value: { get: () => check().value, enumerable: true },
    diagnostics: { get: () => check().diagnostics, enumerable: true },
  });
  return entry as ContentEntry;
}

function schemaStage(file: LoadedFile): { value?: unknown; diagnostics: Diagnostic[] } {
  const diagnostics = schemaFindings(file);
  // the one place a document becomes its kind's type: the schema that type is generated from has just accepted it
  return isRecord(file.data) && !hasFailures(diagnostics) ? { value: file.data, diagnostics } : { diagnostics };
}

function schemaFindings(file: LoadedFile): Diagnostic[] {
  try {
    return validateSchema(file);
  } catch (error) {
    return [makeDiagnostic("SC9001", { file: file.path }, "schema validation failed", { cause: error })];
  }
}
