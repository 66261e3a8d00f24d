import { describe, expect, it } from "vitest";
import { CONTENT_KINDS, type ContentKind } from "../content/kinds.ts";
import { loadText } from "../load/index.ts";
import { closest } from "./ajv-errors.ts";
import { validateExtensions } from "./extensions.ts";
import { SchemaRegistry } from "./schema-registry.ts";
import { validateSchema } from "./validate-schema.ts";

const registry = new SchemaRegistry();

function check(text: string, kind: ContentKind): string[] {
  const { file, diagnostics } = loadText(text, `x.yaml`, kind);
  if (!file) throw new Error(JSON.stringify(diagnostics));
  return validateSchema(file, registry)
    .map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)
    .sort();
}

const RULE = `id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0001
name: Example rule
description: Finds things.
severity: Medium
requiredDataConnectors:
  - connectorId: AzureActivity
    dataTypes: [AzureActivity]
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [Impact]
relevantTechniques: [T1496]
query: |
  AzureActivity
  | project Caller
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: Caller
version: 1.0.0
kind: Scheduled
`;

describe("schemas", () => {
  it.each(CONTENT_KINDS.filter((k) => k !== "environments"))("%s schema compiles in strict mode", (kind) => {
    expect(registry.get(kind)).toBeDefined();
  });

  it("has no schema for a kind whose file does not exist", () => {
    expect(new SchemaRegistry("/nonexistent").get("analytic-rule")).toBeUndefined();
  });
});

describe("validateSchema on analytic rules", () => {
  it("accepts a complete Scheduled rule", () => {
    expect(check(RULE, "analytic-rule")).toEqual([]);
  });

  it.each([
    ["typo in a key", RULE.replace("queryFrequency", "queryFrequncy"), ["SC2001 8:1 unexpected key 'queryFrequncy' in the file (did you mean 'queryFrequency'?)", "SC2002 1:1 missing required key 'queryFrequency' in the file"].sort()],
    ["enum value", RULE.replace("severity: Medium", "severity: Extreme"), ["SC2004 4:11 \"Extreme\" is not allowed for 'severity'; use one of: \"High\", \"Medium\", \"Low\", \"Informational\""]],
    ["wrong type", RULE.replace("triggerThreshold: 0", "triggerThreshold: zero"), ["SC2003 11:19 'triggerThreshold' must be a whole number, not the text \"zero\""]],
    ["list expected", RULE.replace("tactics: [Impact]", "tactics: Impact"), ["SC2003 12:10 'tactics' must be a list or empty, not the text \"Impact\""]],
    ["nested unexpected key", RULE.replace("columnName: Caller", "columnName: Caller\n        column: x"), ["SC2001 22:9 unexpected key 'column' in 'entityMappings.0.fieldMappings.0' (did you mean 'columnName'?)"]],
    ["nested missing key", RULE.replace("      - identifier: FullName\n", "      - "), ["SC2002 20:17 missing required key 'identifier' in 'entityMappings.0.fieldMappings.0'"]],
    ["empty query", RULE.replace("query: |\n  AzureActivity\n  | project Caller\n", "query: ''\n"), ["SC2005 14:8 'query' must not be empty"]],
    ["kind not allowed", RULE.replace("kind: Scheduled", "kind: Fusion"), ["SC2004 23:7 \"Fusion\" is not allowed for 'kind'; use one of: \"Scheduled\", \"NRT\""]],
  ])("%s", (_name, text, expected) => {
    expect(check(text, "analytic-rule")).toEqual(expected);
  });

  it("requires the scheduling keys only for Scheduled rules", () => {
    const nrt = RULE.replace(/queryFrequency.*\nqueryPeriod.*\ntriggerOperator.*\ntriggerThreshold.*\n/, "").replace("kind: Scheduled", "kind: NRT");
    expect(check(nrt, "analytic-rule")).toEqual([]);
    const scheduled = RULE.replace("triggerOperator: gt\n", "");
    expect(check(scheduled, "analytic-rule")).toEqual(["SC2002 1:1 missing required key 'triggerOperator' in the file"]);
  });

  it("accepts the x-genai block where the layout enables it and rejects keys it does not define", () => {
    expect(check(`${RULE}x-genai:\n  useCase: AOAI-001\n  atlas: [AML.T0051]\n  owner: team\n`, "analytic-rule")).toEqual([]);
    expect(check(`${RULE}x-genai:\n  usecase: AOAI-001\n`, "analytic-rule")).toEqual([
      "SC2001 25:3 unexpected key 'usecase' in 'x-genai' (did you mean 'useCase'?)",
    ]);
  });

  it.each([
    ["an extension the layout does not enable", [], `${RULE}x-genai:\n  owner: team\n`, "SC1034 24:1 the 'x-genai' block is not allowed here: sentinel-content.config.yaml does not enable it"],
    ["an unknown extension", ["x-genai"], `${RULE}x-other: 1\n`, "SC1034 24:1 the 'x-other' block is not allowed here: no extension of that name exists"],
    ["a bad block of an enabled extension", ["x-genai"], `${RULE}x-genai:\n  owasp: [LLM11]\n`, "SC2005 25:11"],
  ] as const)("refuses %s", (_name, enabled, text, expected) => {
    const { file } = loadText(text, "x.yaml", "analytic-rule");
    if (!file) throw new Error("the YAML did not load");
    const found = validateExtensions(file, enabled).map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });

  it("allows extension blocks only in the kinds an extension applies to", () => {
    const parser = "id: x\nParser:\n  Title: T\n  Version: '1.0.0'\n  LastUpdated: 2026-11-25\nProduct:\n  Name: P\nDescription: d\nParserName: P\nParserQuery: T\nx-genai:\n  owner: team\n";
    expect(check(parser, "parser")).toEqual(["SC2001 11:1 unexpected key 'x-genai' in the file (allowed: id, Parser, Product, Description, ParserName, Category, ParserParams, ParserQuery)"]);
  });

  it("suggests a key for the listed unknown keys only, and still reports every one", () => {
    const extra = Array.from({ length: 1002 }, (_, i) => `queryFrequency${i.toString(36).padStart(3, "0")}: 1`).join("\n");
    const found = check(`${RULE}${extra}\n`, "analytic-rule").filter((m) => m.startsWith("SC2001"));
    expect(found).toHaveLength(1002);
    expect(found.filter((m) => m.includes("did you mean"))).toHaveLength(1000);
  });

  it("reports a file that is not a mapping at line 1", () => {
    expect(check("- just\n- a list\n", "analytic-rule")).toEqual(["SC2003 1:1 the file must be a mapping, not a list"]);
  });
});

describe("validateSchema on tests files", () => {
  const base = "cases:\n  - name: fires\n    now: 2026-11-20T12:00:00Z\n    tables:\n      T: [{ a: 1 }]\n      U: fixtures/u.jsonl\n";
  it.each([
    ["point case", `${base}    expect: { alert: true, rows: 1 }\n`, []],
    ["timeline case", "cases:\n  - name: t\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { alerts: 2, incidents: 1 }\n", []],
    ["typo in expect", `${base}    expect: { alrt: true }\n`, ["SC2001 7:15 unexpected key 'alrt' in 'cases.0.expect' (did you mean 'alert'?)"]],
    ["timeline expectation on a point case", `${base}    expect: { alerts: 1 }\n`, ["SC2001 7:15 unexpected key 'alerts' in 'cases.0.expect' (did you mean 'alert'?)"]],
    ["point expectation on a timeline case", "cases:\n  - name: t\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { rows: 1 }\n", ["SC2001 4:15 unexpected key 'rows' in 'cases.0.expect' (allowed: alerts, incidents, firingRuns, snapshot)"]],
    ["bad timestamp", base.replace("2026-11-20T12:00:00Z", "yesterday") + "    expect: { rows: 0 }\n", ["SC2005 3:10 'cases.0.now' \"yesterday\" is not a valid date-time (e.g. 2026-11-20T12:00:00Z)"]],
    ["bad fixture file name", base.replace("fixtures/u.jsonl", "fixtures/u.txt") + "    expect: { rows: 0 }\n", ["SC2003 6:10 'cases.0.tables.U' has none of the allowed forms (\"fixtures/u.txt\")"]],
    ["empty expect", `${base}    expect: {}\n`, ["SC2005 7:13 'cases.0.expect' must have at least 1 key (alert, rows, minRows, values, ordered, snapshot, output, steps)"]],
    ["missing expect", base, ["SC2002 2:5 missing required key 'expect' in 'cases.0'"]],
  ])("%s", (_name, text, expected) => {
    expect(check(text, "tests")).toEqual(expected);
  });
});

describe("validateSchema on other kinds", () => {
  it.each([
    ["parser", "id: x\nParser: { Title: T, Version: '1.0.0', LastUpdated: 2026-11-25 }\nDescription: d\nParserName: GenAI_X\nParserQuery: T\n", "parser", []],
    ["parser with a bad name", "id: x\nParser: { Title: T, Version: '1.0.0' }\nDescription: d\nParserName: 1bad name\nParserQuery: T\n", "parser", ["SC2005 4:13 'ParserName' \"1bad name\" does not match the pattern ^[A-Za-z_][A-Za-z0-9_]*$"]],
    ["watchlist", "id: x\nwatchlistAlias: A\ndisplayName: A\nprovider: Custom\nitemsSearchKey: K\nitems: [{ K: 1 }]\n", "watchlist", []],
    ["watchlist with nested item values", "id: x\nwatchlistAlias: A\ndisplayName: A\nprovider: Custom\nitemsSearchKey: K\nitems: [{ K: [1] }]\n", "watchlist", ["SC2003 6:14 'items.0.K' must be text or a number or true or false or empty, not a list"]],
    ["workbook", "id: x\ndisplayName: W\ncontent:\n  version: Notebook/1.0\n  items:\n    - type: 3\n      name: q\n      content: { query: T }\n", "workbook", []],
    ["workbook with a wrong version", "id: x\ndisplayName: W\ncontent:\n  version: Notebook/2.0\n  items: []\n", "workbook", ["SC2004 4:12 'content.version' must be \"Notebook/1.0\", not \"Notebook/2.0\""]],
    ["hunting query", "id: x\nname: n\ndescription: d\nrequiredDataConnectors: []\nquery: T\n", "hunting-query", []],
    ["hunting query with rule keys", "id: x\nname: n\ndescription: d\nrequiredDataConnectors: []\nquery: T\ntriggerThreshold: 0\n", "hunting-query", ["SC2001 6:1 unexpected key 'triggerThreshold' in the file (allowed: id, name, description, severity, requiredDataConnectors, tactics, relevantTechniques, query, entityMappings, tags, version, metadata)"]],
  ] as const)("%s", (_name, text, kind, expected) => {
    expect(check(text, kind)).toEqual(expected);
  });
});

describe("closest", () => {
  it.each([
    ["queryFrequncy", "queryFrequency"],
    ["Severity", "severity"],
    ["kind", undefined],
    ["column", "columnName"],
    ["zzzzzz", undefined],
  ])("%s → %s", (key, expected) => {
    expect(closest(key, ["queryFrequency", "severity", "id", "name", "columnName"])).toBe(expected);
  });
});
