import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isScalar, type Document, type LineCounter } from "yaml";
import { compileGlob } from "../content/glob.ts";
import { isContentKind } from "../content/kinds.ts";
import { isRecord } from "../content/record.ts";
import { DEFAULT_PRESET, EXTENSIONS, PRESETS, isPresetName, presetLayout, type ContentLayout, type ExtensionName, type LayoutRule } from "../content/layout.ts";
import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics/index.ts";
import { parseYaml } from "./parse-yaml.ts";

/** The repository configuration file, at the repository root. */
export const CONFIG_FILE = "sentinel-content.config.yaml";

/** Largest accepted configuration file (it holds a few globs). */
const MAX_CONFIG_BYTES = 64 * 1024;
/** Most content rules a configuration may add. */
const MAX_RULES = 200;
const KEYS = ["preset", "content", "extensions"];

/** A repository's layout and the findings of its configuration file (the default layout when it has none or it is broken). */
export interface RepositoryConfig {
  layout: ContentLayout;
  diagnostics: Diagnostic[];
  /** Whether the root holds a configuration file. */
  found: boolean;
}

/** Reads `sentinel-content.config.yaml` under `root`: its preset, extra content globs (checked first) and extensions. */
export function loadRepositoryConfig(root: string): RepositoryConfig {
  const absolutePath = path.join(root, CONFIG_FILE);
  const size = statSync(absolutePath, { throwIfNoEntry: false })?.size;
  if (size === undefined) return { layout: presetLayout(DEFAULT_PRESET), diagnostics: [], found: false };
  const fail = (diagnostics: Diagnostic[]): RepositoryConfig => ({ layout: presetLayout(DEFAULT_PRESET), diagnostics, found: true });
  if (size > MAX_CONFIG_BYTES) return fail([makeDiagnostic("SC1030", { file: CONFIG_FILE }, `the file is larger than ${MAX_CONFIG_BYTES} bytes`)]);
  let text: string;
  try {
    text = readFileSync(absolutePath, "utf8");
  } catch (error) {
    return fail([makeDiagnostic("SC1030", { file: CONFIG_FILE }, `cannot read the file: ${(error as Error).message}`)]);
  }
  const parsed = parseYaml(text, CONFIG_FILE);
  if (!("data" in parsed)) return fail(parsed.diagnostics.length > 0 ? parsed.diagnostics : [makeDiagnostic("SC1030", { file: CONFIG_FILE }, "the file is empty")]);
  const reader = new ConfigReader(parsed.doc, parsed.lineCounter);
  const layout = reader.layout(parsed.data);
  const diagnostics = [...parsed.diagnostics, ...reader.diagnostics];
  return diagnostics.some((d) => d.severity === "error") ? fail(diagnostics) : { layout, diagnostics, found: true };
}

/** Turns the parsed file into a layout, collecting a positioned finding per problem. */
class ConfigReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  layout(data: unknown): ContentLayout {
    if (!isRecord(data)) {
      this.report("SC1030", [], "the file must be a mapping with preset, content and extensions");
      return presetLayout(DEFAULT_PRESET);
    }
    for (const key of Object.keys(data).filter((k) => !KEYS.includes(k))) this.report("SC1030", [key], `unexpected key '${key}' (allowed: ${KEYS.join(", ")})`, true);
    const preset = this.preset(data.preset);
    const base = presetLayout(preset);
    const rules = [...this.rules(data.content), ...base.rules];
    const extensions = data.extensions === undefined ? base.extensions : this.extensions(data.extensions);
    return { preset, rules, extensions };
  }

  private preset(value: unknown): keyof typeof PRESETS {
    if (value === undefined) return DEFAULT_PRESET;
    if (typeof value === "string" && isPresetName(value)) return value;
    this.report("SC1031", ["preset"], `unknown preset ${JSON.stringify(value)} (built in: ${Object.keys(PRESETS).join(", ")})`);
    return DEFAULT_PRESET;
  }

  private rules(value: unknown): LayoutRule[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.report("SC1032", ["content"], "content must be a list of { glob, kind } entries");
      return [];
    }
    if (value.length > MAX_RULES) this.report("SC1032", ["content"], `content has ${value.length} entries; at most ${MAX_RULES} are allowed`);
    return value.slice(0, MAX_RULES).flatMap((entry: unknown, index) => this.rule(entry, index));
  }

  private rule(entry: unknown, index: number): LayoutRule[] {
    const at = ["content", index];
    if (!isRecord(entry) || typeof entry.glob !== "string" || typeof entry.kind !== "string") {
      this.report("SC1032", at, "each content entry needs a glob and a kind (both strings)");
      return [];
    }
    const glob = compileGlob(entry.glob);
    if (!glob.ok) this.report("SC1032", [...at, "glob"], `${JSON.stringify(entry.glob)}: ${glob.reason}`);
    const kind = entry.kind;
    if (!isContentKind(kind) || kind === "tests") {
      this.report("SC1032", [...at, "kind"], `unknown content kind ${JSON.stringify(kind)} (tests files are found beside their content)`);
      return [];
    }
    return glob.ok ? [{ glob: entry.glob, kind }] : [];
  }

  private extensions(value: unknown): ExtensionName[] {
    if (!Array.isArray(value)) {
      this.report("SC1033", ["extensions"], "extensions must be a list of names");
      return [];
    }
    return value.flatMap((name: unknown, index) => {
      if (typeof name === "string" && (EXTENSIONS as readonly string[]).includes(name)) return [name as ExtensionName];
      this.report("SC1033", ["extensions", index], `unknown extension ${JSON.stringify(name)} (available: ${EXTENSIONS.join(", ")})`);
      return [];
    });
  }

  private report(code: DiagnosticCode, docPath: (string | number)[], message: string, atKey = false): void {
    const pair = atKey ? this.doc.getIn(docPath.slice(0, -1), true) : undefined;
    const node = atKey && pair && typeof pair === "object" && "items" in pair ? findKey(pair, String(docPath.at(-1))) : this.doc.getIn(docPath, true);
    const offset = (node as { range?: [number, number] } | undefined)?.range?.[0] ?? 0;
    this.diagnostics.push(makeDiagnostic(code, { file: CONFIG_FILE, start: this.lineCounter.linePos(offset) }, message));
  }
}

function findKey(map: object, key: string): unknown {
  const items = (map as { items: { key: unknown }[] }).items;
  return items.find((item) => isScalar(item.key) && String(item.key.value) === key)?.key;
}
