import { describe, expect, it } from "vitest";
import { loadBundledTables } from "../../kql/index.ts";
import { skeletonRows } from "./fixture-skeleton.ts";
import type { RawRow } from "./fixture-rows.ts";
import { typeRows } from "./typed-rows.ts";

describe("skeletonRows", () => {
  it.each([["AzureActivity"], ["AzureDiagnostics"], ["OpenAIAuditLogs_CL"], ["SigninLogs"]])("%s rows pass the fixture checks", (name) => {
    const schema = loadBundledTables().get(name);
    if (!schema) throw new Error(`no bundled ${name}`);
    const text = skeletonRows(schema.columns, 3, Date.UTC(2026, 10, 20, 12));
    const rows: RawRow[] = text.trim().split("\n").map((line) => ({ values: JSON.parse(line), at: () => ({ file: "x" }) }));
    const typed = typeRows(name, schema.columns, rows);
    expect(typed.diagnostics).toEqual([]);
    expect(typed.table.rows).toHaveLength(3);
    expect(JSON.parse(text.split("\n")[1] ?? "{}").TimeGenerated).toBe("2026-11-20T12:01:00Z");
  });

  it("writes every type's placeholder", () => {
    const columns = ["string", "long", "real", "bool", "datetime", "timespan", "guid", "dynamic"].map((type) => ({ name: type, type }));
    expect(JSON.parse(skeletonRows(columns, 1, 0))).toEqual({ string: "", long: 0, real: 0, bool: false, datetime: "1970-01-01T00:00:00Z", timespan: "00:00:00", guid: "00000000-0000-0000-0000-000000000000", dynamic: {} });
    expect(skeletonRows(columns, 0, 0)).toBe("");
  });
});
