import { existsSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import type { ImportedItem } from "./imported.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { writeFileAtomic } from "../files/write-atomic.ts";

/** Where each imported kind goes under the output root, and its JSON Schema (for the editor's schema comment). */
const PLACES: Record<ImportedItem["kind"], { folder: string; schema: string }> = {
  "analytic-rule": { folder: "analytics-rules/imported", schema: "analytic-rule" },
  "hunting-query": { folder: "hunting-queries/imported", schema: "hunting-query" },
  parser: { folder: "parsers/imported", schema: "parser" },
  watchlist: { folder: "watchlists/imported", schema: "watchlist" },
};

/** Community YAML text: block scalars for multi-line strings, no line folding. */
export function yamlText(data: unknown): string {
  return stringify(data, { lineWidth: 0, blockQuote: "literal" });
}

/** A file name from a title: lower-case words joined by "-" (at most 80 characters), "item" when nothing is left. */
export function slug(title: string): string {
  return (
    title
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80)
      .replace(/-+$/g, "") || "item"
  );
}

function titleOf(item: ImportedItem): string {
  const d = item.data;
  return String(d["name"] ?? d["ParserName"] ?? d["watchlistAlias"] ?? d["id"] ?? "item");
}

/**
 * The first table or function a query reads: the first word of its last top-level statement (after the `let`
 * statements, which end in ";"), comments removed.
 */
export function firstSource(query: string): string | undefined {
  const text = query.replace(/\/\/[^\n]*/g, "");
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "{" || ch === "[") depth++;
    else if (ch === ")" || ch === "}" || ch === "]") depth = Math.max(0, depth - 1);
    else if (ch === ";" && depth === 0 && text.slice(i + 1).trim() !== "") start = i + 1;
  }
  return /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(start))?.[1];
}

/**
 * A test skeleton for an imported rule: one must-alert case whose rows are left to fill in (it fails until they are,
 * so an imported rule is never taken as tested).
 */
export function testSkeleton(rule: Record<string, unknown>, schemaPath: string): string {
  const table = firstSource(String(rule["query"] ?? "")) ?? "TableName";
  const doc = {
    cases: [
      {
        name: "must alert: fill in rows that should raise this alert",
        now: "2026-01-01T12:00:00Z",
        tables: { [table]: [] },
        expect: { alert: true },
      },
    ],
  };
  return `# yaml-language-server: $schema=${schemaPath}\n# Imported rule: add the rows that must raise the alert, then a near-miss case that must not.\n${yamlText(doc)}`;
}

/** The files an import writes (relative to the output root): one YAML per item, plus a tests skeleton per rule. */
export function importFiles(items: readonly ImportedItem[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const item of items) {
    const place = PLACES[item.kind];
    let stem = slug(titleOf(item));
    for (let n = 2; files.has(`${place.folder}/${stem}.yaml`); n++) stem = `${slug(titleOf(item))}-${n}`;
    const up = "../".repeat(place.folder.split("/").length);
    files.set(`${place.folder}/${stem}.yaml`, `# yaml-language-server: $schema=${up}schemas/${place.schema}.schema.json\n${yamlText(item.data)}`);
    if (item.kind === "analytic-rule") files.set(`${place.folder}/${stem}.tests.yaml`, testSkeleton(item.data, `${up}schemas/tests.schema.json`));
  }
  return files;
}

/** Writes the files under `root`; refuses (SC7023, nothing written) when any exists, unless `force`. */
export async function writeImport(files: Map<string, string>, root: string, force: boolean): Promise<Diagnostic[]> {
  if (!force) {
    const existing = [...files.keys()].filter((f) => existsSync(path.join(root, f)));
    if (existing.length > 0) return existing.map((f) => makeDiagnostic("SC7023", { file: f }, `${f} exists; nothing was written`));
  }
  for (const [file, text] of files) await writeFileAtomic(path.join(root, ...file.split("/")), text, 0o666);
  return [];
}
