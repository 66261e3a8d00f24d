import { describe, expect, it } from "vitest";
import { loadText } from "../load/index.ts";
import { collectQuerySites } from "./query-sites.ts";
import { transformFeatureFindings } from "./transform-check.ts";

/** The findings of a DCR whose one data flow has this transformKql, as "code line:col". */
function findings(kql: string): string[] {
  const { file, diagnostics } = loadText(`streams: []\ndataFlows:\n  - streams: [Custom-In]\n    transformKql: "${kql}"\n`, "ingestion/x.yaml", "ingestion-mapping");
  if (!file) throw new Error(JSON.stringify(diagnostics));
  return transformFeatureFindings(file).map((d) => `${d.code} ${d.line}:${d.col}`);
}

describe("DCR transform allow-list", () => {
  it.each([
    ["an operator transformations lack (SC3035)", "source | summarize by a", ["SC3035 4:29"]],
    ["join (SC3035)", "source | join (source) on a", ["SC3035 4:29"]],
    ["mv-expand (SC3035)", "source | mv-expand a", ["SC3035 4:29"]],
    ["a function the list lacks (SC3036)", "source | extend b = todynamic(a)", ["SC3036 4:40"]],
    ["a dynamic literal (SC3037)", "source | extend b = dynamic([1])", ["SC3037 4:40"]],
    ["where and project", "source | where a == 1 | project a", []],
    ["iff and isnull", "source | extend b = iff(isnull(a), 1, 2)", []],
    ["print then extend", "print x = 1 | extend y = x", []],
    ["the query's own let-function", "let f = (x: string) { tolower(x) }; source | extend b = f(a)", []],
    ["the functions Microsoft lists", "source | extend b = todatetime(a), c = parse_json(d), e = strcat_delim(',', a, d) | project-rename z = e | project-away d", []],
  ])("%s", (_name, kql, expected) => {
    expect(findings(kql)).toEqual(expected);
  });

  // the findings and the analysed sites walk the data flows alike, by their index in the file
  it("keeps each data flow's index when one before it is not a mapping", () => {
    const { file, diagnostics } = loadText(`streams: []\ndataFlows:\n  - oops\n  - streams: [Custom-In]\n    transformKql: "source | summarize by a"\n`, "ingestion/x.yaml", "ingestion-mapping");
    if (!file) throw new Error(JSON.stringify(diagnostics));
    expect(collectQuerySites(file).map((site) => site.path)).toEqual([["dataFlows", 1, "transformKql"]]);
    expect(transformFeatureFindings(file).map((d) => `${d.code} ${d.line}:${d.col}`)).toEqual(["SC3035 5:29"]);
  });

  it("reads only ingestion mappings", () => {
    const { file } = loadText("name: x\nquery: T | summarize by a\n", "hunting-queries/q.yaml", "hunting-query");
    expect(file && transformFeatureFindings(file)).toEqual([]);
  });
});
