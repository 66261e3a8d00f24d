import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadRepository } from "../repository/index.ts";
import type { RuleDoc } from "./content.ts";
import { techniqueCoverage } from "./coverage.ts";
import { splitDescription } from "./description.ts";
import { DOCS_OUTPUT_DIR, generateDocs } from "./generate.ts";
import { sourceTitle } from "./markdown.ts";
import { buildNavigatorLayer } from "./navigator-layer.ts";
import { watchlistsOf } from "./rule-page.ts";
import { staleDocs, writeDocs } from "./write.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function rule(name: string, techniques: string[], tested: boolean): RuleDoc {
  return {
    file: `analytics-rules/x/${name}.yaml`, slug: name, source: "x", id: "id", name, description: "", severity: "High", kind: "Scheduled",
    tactics: [], techniques, atlas: [], owasp: [], query: "T", entityMappings: [], customDetails: {}, cases: [], tested,
  };
}

describe("splitDescription", () => {
  it.each([
    ["What happened: a.\nWhy it matters: b.\nHow to investigate: c\nmore c\nHow to tune: d\nCatalog: X-001.", { what: "a.", why: "b.", investigate: "c\nmore c", tune: "d", catalog: "X-001.", other: "" }],
    ["Free text only.", { what: "", why: "", investigate: "", tune: "", catalog: "", other: "Free text only." }],
    ["Intro.\nWhat happened: a\n- item one\n- item two", { what: "a\n- item one\n- item two", why: "", investigate: "", tune: "", catalog: "", other: "Intro." }],
    ["", { what: "", why: "", investigate: "", tune: "", catalog: "", other: "" }],
  ])("splits %j", (input, expected) => {
    expect(splitDescription(input)).toEqual(expected);
  });
});

describe("sourceTitle", () => {
  it.each([
    ["openai-platform", "OpenAI API platform audit log"],
    ["apim-llm-gateway", "API Management LLM gateway (ApiManagementGatewayLlmLog)"],
    ["unknown-folder", "unknown-folder"],
  ])("labels the %s folder", (source, title) => {
    expect(sourceTitle(source)).toBe(title);
  });
});

describe("watchlistsOf", () => {
  it.each([
    ["let a = _GetWatchlist('KeyReaders'); _GetWatchlist(\"CorporateEgressRanges\") | join (_GetWatchlist('KeyReaders')) on x", ["KeyReaders", "CorporateEgressRanges"]],
    ["AzureActivity | take 1", []],
  ])("finds the aliases in %s", (query, expected) => {
    expect(watchlistsOf(query)).toEqual(expected);
  });
});

describe("sourceTitle", () => {
  it.each([
    ["cross-source", "Cross-source correlations"],
    ["entra-id", "Microsoft Entra ID sign-ins (SigninLogs)"],
    ["azure-activity", "Azure control plane (AzureActivity)"],
    ["unknown-folder", "unknown-folder"],
  ])("labels the %s folder", (source, expected) => {
    expect(sourceTitle(source)).toBe(expected);
  });
});

describe("techniqueCoverage", () => {
  it("marks a technique tested only when a rule mapping it is tested", () => {
    const coverage = techniqueCoverage([rule("A", ["T1552", "T1078.004"], true), rule("B", ["T1078.004", "T1562.008"], false)], (r) => r.techniques);
    expect(coverage).toEqual([
      { id: "T1078.004", mappedBy: ["A", "B"], testedBy: ["A"] },
      { id: "T1552", mappedBy: ["A"], testedBy: ["A"] },
      { id: "T1562.008", mappedBy: ["B"], testedBy: [] },
    ]);
  });

  it("gives an empty coverage for rules without techniques", () => {
    expect(techniqueCoverage([rule("A", [], true)], (r) => r.techniques)).toEqual([]);
  });
});

describe("buildNavigatorLayer", () => {
  it("scores tested techniques 2 and mapped-only techniques 1", () => {
    const layer = buildNavigatorLayer(
      [
        { id: "T1552", mappedBy: ["A"], testedBy: ["A"] },
        { id: "T1562.008", mappedBy: ["B"], testedBy: [] },
      ],
      "18.0",
    );
    const techniques = layer["techniques"] as { techniqueID: string; score: number; comment: string }[];
    expect(techniques.map((t) => [t.techniqueID, t.score])).toEqual([["T1552", 2], ["T1562.008", 1]]);
    expect(techniques[1]?.comment).toContain("no passing alert case");
    expect(layer["versions"]).toMatchObject({ attack: "18", layer: "4.5" });
  });
});

describe("writeDocs and staleDocs", () => {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes new and changed files, removes files no longer generated, and is then current", () => {
    dir = mkdtempSync(path.join(tmpdir(), "docs-"));
    mkdirSync(path.join(dir, "rules"));
    writeFileSync(path.join(dir, "rules", "old.md"), "gone");
    writeFileSync(path.join(dir, "README.md"), "outdated");
    const files = new Map([["README.md", "# index\n"], ["rules/new.md", "# new\n"]]);
    expect(staleDocs(dir, files)).toEqual(["README.md", "rules/new.md", "rules/old.md"]);
    expect(writeDocs(dir, files)).toEqual(["README.md", "rules/new.md", "rules/old.md"]);
    expect(readFileSync(path.join(dir, "rules", "new.md"), "utf8")).toBe("# new\n");
    expect(existsSync(path.join(dir, "rules", "old.md"))).toBe(false);
    expect(staleDocs(dir, files)).toEqual([]);
  });
});

describe("generated docs", () => {
  let files = new Map<string, string>();
  beforeAll(async () => {
    files = generateDocs(await loadRepository(repoRoot));
  });

  it("has a page per analytic rule, an index, a Navigator layer and an ATLAS table", () => {
    const rulePages = [...files.keys()].filter((k) => k.startsWith("rules/"));
    expect(rulePages.length).toBeGreaterThanOrEqual(12);
    expect(files.has("README.md") && files.has("attack-navigator-layer.json") && files.has("atlas-mapping.md")).toBe(true);
    const layer = JSON.parse(files.get("attack-navigator-layer.json") ?? "{}") as { domain: string };
    expect(layer.domain).toBe("enterprise-attack");
  });

  it(`matches ${DOCS_OUTPUT_DIR}/ (run \`npm run docs\` when this fails)`, () => {
    expect(staleDocs(path.join(repoRoot, DOCS_OUTPUT_DIR), files)).toEqual([]);
  });
});

describe("docs of content that fails its schema", () => {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("generates nothing and names each file that would be missing, with its line and column", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "docs-schema-"));
    mkdirSync(path.join(dir, "hunting-queries", "x"), { recursive: true });
    writeFileSync(path.join(dir, "hunting-queries", "x", "bad.yaml"), "id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0001\nname: Bad\nquery: T\n");
    writeFileSync(path.join(dir, "hunting-queries", "x", "bad.tests.yaml"), "cases: []\n");
    const repository = await loadRepository(dir);
    expect(() => generateDocs(repository)).toThrow(expect.objectContaining({ exitCode: 1 }));
    const message = (() => {
      try {
        generateDocs(repository);
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^docs not generated: /);
    expect(message).toMatch(/hunting-queries\/x\/bad\.yaml:1:1: error SC2002: missing required key/);
    expect(message).toMatch(/hunting-queries\/x\/bad\.tests\.yaml:1:8: error SC2005: 'cases' must have at least 1 item/);
  });
});
