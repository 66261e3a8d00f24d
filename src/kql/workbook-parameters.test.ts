import { describe, expect, it } from "vitest";
import { collectWorkbookParameters, placeholderValue, substituteWorkbookParameters } from "./workbook-parameters.ts";
import { bracketName, quoteName, QueryTextBuilder } from "./query-text.ts";

const content = {
  version: "Notebook/1.0",
  items: [
    {
      type: 9,
      content: {
        parameters: [
          { name: "TimeRange", type: 4, value: { durationMs: 86400000 } },
          { name: "Workspace", type: 5, multiSelect: true, quote: "'", delimiter: "," },
          { name: "Subscription", type: 6 },
          { name: "Model", type: 2, jsonData: '[{"value":"gpt-4o","label":"GPT-4o"},{"value":"o3","selected":true}]' },
          { name: "Top", type: 1, value: "10" },
        ],
      },
    },
    { type: 11, content: { links: [{ cellValue: "SelectedTab", linkTarget: "parameter" }] } },
    { type: 12, content: { items: [{ type: 3, content: { query: "x", exportParameterName: "Picked" } }] } },
  ],
};
const parameters = collectWorkbookParameters(content);

describe("collectWorkbookParameters", () => {
  it("finds parameter items, link targets and grid exports, also inside groups", () => {
    expect([...parameters.keys()]).toEqual(["TimeRange", "Workspace", "Subscription", "Model", "Top", "SelectedTab", "Picked"]);
  });
  it("takes the selected jsonData value as the default", () => {
    expect(parameters.get("Model")?.values).toEqual(["o3"]);
  });
});

describe("placeholderValue", () => {
  it.each([
    ["TimeRange", undefined, ">= ago(1d)"],
    ["TimeRange", "start", "2026-01-01T00:00:00.000Z"],
    ["TimeRange", "grain", "1h"],
    ["Workspace", undefined, "'/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/example-rg/providers/microsoft.operationalinsights/workspaces/example-workspace'"],
    ["Workspace", "name", "example-workspace"],
    ["Subscription", undefined, "/subscriptions/00000000-0000-0000-0000-000000000000"],
    ["Model", "label", "o3"],
    ["Top", undefined, "10"],
    ["SelectedTab", undefined, "value"],
  ])("{%s:%s} → %s", (name, format, expected) => {
    const parameter = parameters.get(name);
    if (!parameter) throw new Error(`no parameter ${name}`);
    expect(placeholderValue(parameter, format)).toBe(expected);
  });
});

describe("substituteWorkbookParameters", () => {
  it("replaces references and maps offsets back to the source", () => {
    const source = "T | where TimeGenerated {TimeRange} | take {Top} | where Bad == 1";
    const { query, unknown } = substituteWorkbookParameters(source, parameters);
    expect(query.text).toBe("T | where TimeGenerated >= ago(1d) | take 10 | where Bad == 1");
    expect(unknown).toEqual([]);
    expect(query.toSource(query.text.indexOf("Bad"))).toBe(source.indexOf("Bad"));
    expect(query.toSource(query.text.indexOf("ago"))).toBe(source.indexOf("{TimeRange}"));
  });
  it("reports and replaces an undefined parameter", () => {
    const { query, unknown } = substituteWorkbookParameters("T | where x == '{Nope}'", parameters);
    expect(query.text).toBe("T | where x == 'value'");
    expect(unknown).toEqual([{ name: "Nope", offset: 16, length: 6 }]);
  });
  it("leaves JSON-like braces alone", () => {
    expect(substituteWorkbookParameters(`print d = dynamic({"a": 1})`, parameters).query.text).toBe(`print d = dynamic({"a": 1})`);
  });
});

describe("QueryTextBuilder", () => {
  it("maps offsets inside a prefix to its source offset and after it back to the copied text", () => {
    const mapped = new QueryTextBuilder().insert("let x = 1;\n", 0).copy("T | take 1", 0, 10).build();
    expect(mapped.toSource(3)).toBe(0);
    expect(mapped.toSource(11 + 4)).toBe(4);
    expect(mapped.toSource(mapped.text.length)).toBe(10);
  });
});

describe("quoteName and bracketName", () => {
  it.each([
    ["Plain_1", "Plain_1", "['Plain_1']"],
    ["with space", "['with space']", "['with space']"],
    ["it's", "['it\\'s']", "['it\\'s']"],
    ["back\\slash", "['back\\\\slash']", "['back\\\\slash']"],
  ])("%s", (name, quoted, bracketed) => {
    expect(quoteName(name)).toBe(quoted);
    expect(bracketName(name)).toBe(bracketed);
  });
});
