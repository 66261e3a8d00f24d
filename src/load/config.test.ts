import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { activeLayout, presetLayout, setActiveLayout } from "../content/layout.ts";
import { CONFIG_FILE, loadRepositoryConfig } from "./config.ts";
import { loadContentTree } from "./load-tree.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

function repo(config?: string, files: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), "config-"));
  temporaryFolders.push(root);
  if (config !== undefined) writeFileSync(path.join(root, CONFIG_FILE), config);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

const findings = (config: string) => loadRepositoryConfig(repo(config)).diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);

afterEach(() => setActiveLayout(presetLayout("sentinel-content")));

describe("loadRepositoryConfig", () => {
  it("uses this toolkit's layout with the x-genai extension when there is no file", () => {
    expect(loadRepositoryConfig(repo())).toEqual({ layout: presetLayout("sentinel-content"), diagnostics: [], found: false });
  });

  it("reads a preset, extra globs (checked first) and extensions", () => {
    const { layout, diagnostics } = loadRepositoryConfig(repo("preset: azure-sentinel\ncontent:\n  - glob: 'Custom/**'\n    kind: hunting-query\nextensions: [x-genai]\n"));
    expect(diagnostics).toEqual([]);
    expect(layout.preset).toBe("azure-sentinel");
    expect(layout.rules[0]).toEqual({ glob: "Custom/**", kind: "hunting-query" });
    expect(layout.rules.slice(1)).toEqual(presetLayout("azure-sentinel").rules);
    expect(layout.extensions).toEqual(["x-genai"]);
  });

  it.each([
    ["preset: nope\n", "SC1031 1:9 unknown preset \"nope\" (built in: sentinel-content, azure-sentinel)"],
    ["preset: azure-sentinel\nlayout: x\n", "SC1030 2:1 unexpected key 'layout' (allowed: preset, content, extensions)"],
    ["content: x\n", "SC1032 1:10 content must be a list of { glob, kind } entries"],
    ["content:\n  - glob: 'a/**'\n", "SC1032 2:5 each content entry needs a glob and a kind (both strings)"],
    ["content:\n  - { glob: 'a**', kind: parser }\n", "SC1032 2:13 \"a**\": ** must be a whole path segment"],
    ["content:\n  - { glob: 'a/**', kind: rule }\n", "SC1032 2:27 unknown content kind \"rule\" (tests files are found beside their content)"],
    ["extensions: [x-other]\n", "SC1033 1:14 unknown extension \"x-other\" (available: x-genai)"],
    ["- a\n", "SC1030 1:1 the file must be a mapping with preset, content and extensions"],
    ["preset: [\n", "SC1001 2:1 Flow sequence in block collection must be sufficiently indented and end with a ]"],
  ])("reports %j", (config, finding) => {
    expect(findings(config)[0]).toBe(finding);
  });

  it("falls back to the default layout when the file has errors", () => {
    expect(loadRepositoryConfig(repo("preset: nope\n")).layout).toEqual(presetLayout("sentinel-content"));
  });

  it("refuses an oversized file without parsing it", () => {
    expect(findings(`# ${"x".repeat(70_000)}\n`)).toEqual(["SC1030 1:1 the file is larger than 65536 bytes"]);
  });
});

describe("loadContentTree with a configuration", () => {
  it("loads an Azure-Sentinel tree by the preset and makes its layout active", async () => {
    const rule = "id: 1\nname: n\n";
    const root = repo("preset: azure-sentinel\n", {
      "Detections/SigninLogs/a.yaml": rule,
      "Solutions/S/Analytic Rules/b.yaml": rule,
      "Solutions/S/Hunting Queries/c.yaml": rule,
      "Solutions/S/Data Connectors/d.yaml": rule,
      "analytics-rules/e.yaml": rule,
    });
    const { files, diagnostics } = await loadContentTree(root);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => `${f.path} ${f.kind}`)).toEqual([
      "Detections/SigninLogs/a.yaml analytic-rule",
      "Solutions/S/Analytic Rules/b.yaml analytic-rule",
      "Solutions/S/Hunting Queries/c.yaml hunting-query",
    ]);
    expect(activeLayout().preset).toBe("azure-sentinel");
  });

  it("reports a broken configuration among the load findings", async () => {
    const { diagnostics } = await loadContentTree(repo("preset: nope\n"));
    expect(diagnostics.map((d) => d.code)).toEqual(["SC1031"]);
  });
});
