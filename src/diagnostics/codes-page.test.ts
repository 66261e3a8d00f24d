// The catalog, the generated codes page and the source agree: every code is on docs/diagnostics.md with an
// anchor SARIF links to, and every code is emitted somewhere in the source. A new code needs only its catalog
// entry and an emit site (then `npm run docs:schemas`).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CODES, type DiagnosticCode } from "./codes.ts";
import { CODES_PAGE, codeAnchor, renderCodesPage } from "./codes-page.ts";
import { makeDiagnostic } from "./diagnostic.ts";
import { formatSarif } from "./format/index.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ALL = (Object.keys(CODES) as DiagnosticCode[]).sort();

/**
 * Catalog entries no source file emits yet. The test below fails as soon as one of them gets an emit site (take it
 * off this list then), so the list can only shrink.
 */
const NOT_YET_EMITTED: readonly string[] = ["SC6008", "SC7004", "SC7005", "SC8014"];

/** The text of every non-test TypeScript file under src/, except the catalog itself. */
function sourceText(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith(".test.ts") && !full.includes(path.join("diagnostics", "codes"))) files.push(full);
    }
  };
  walk(path.join(REPO, "src"));
  return files.map((f) => readFileSync(f, "utf8")).join("\n");
}

describe(CODES_PAGE, () => {
  const page = readFileSync(path.join(REPO, CODES_PAGE), "utf8");

  it("is generated from the catalog (run `npm run docs:schemas` after adding a code)", () => {
    expect(page).toBe(renderCodesPage());
  });

  it.each(ALL)("documents %s under its own anchor", (code) => {
    expect(page).toContain(`<a id="${codeAnchor(code)}"></a>\n### ${code}: ${CODES[code].title}\n`);
  });
});

describe("the catalog against the source", () => {
  const source = sourceText();
  const emitted = (code: string) => source.includes(`"${code}"`);

  it("every code is emitted by some source file", () => {
    expect(ALL.filter((code) => !emitted(code) && !NOT_YET_EMITTED.includes(code))).toEqual([]);
  });

  it("the codes known not to be emitted are still not emitted (and still in the catalog)", () => {
    expect(NOT_YET_EMITTED.filter((code) => emitted(code) || !(code in CODES))).toEqual([]);
  });
});

describe("SARIF helpUri", () => {
  it("links each rule to its code's anchor on the codes page", () => {
    const sarif = JSON.parse(
      formatSarif([makeDiagnostic("SC2103", { file: "a.yaml" }, "m"), makeDiagnostic("SC1011", { file: "." }, "m")], { toolVersion: "0", codesPageUri: "https://example.org/docs/diagnostics.md" }),
    ) as { runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } } }[] };
    expect(sarif.runs[0]?.tool.driver.rules.map((r) => [r.id, r.helpUri])).toEqual([
      ["SC1011", "https://example.org/docs/diagnostics.md#sc1011"],
      ["SC2103", "https://example.org/docs/diagnostics.md#sc2103"],
    ]);
  });

  it("validate's SARIF points at an absolute URI of this page", async () => {
    const { codesPageUri } = await import("../validate/validate-command.ts");
    const uri = codesPageUri();
    expect(uri).toMatch(/^(https:\/\/github\.com\/|file:\/\/).*docs\/diagnostics\.md$/);
  });
});
