import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderSchemaReference } from "./schema-docs.ts";

const PAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/schema-reference.md");

describe("docs/schema-reference.md", () => {
  it("is up to date with the schemas (run `npm run docs:schemas` after changing a schema)", () => {
    expect(readFileSync(PAGE, "utf8")).toBe(renderSchemaReference());
  });

  it("documents required keys, enums, conditional requirements and the codes", () => {
    const page = renderSchemaReference();
    expect(page).toContain("| `severity` | one of: `High`, `Medium`, `Low`, `Informational` | yes |");
    expect(page).toContain("| `entityMappings[].fieldMappings[].columnName` | string | yes |");
    expect(page).toContain("When `kind` is `Scheduled`: also required `queryFrequency`, `queryPeriod`, `triggerOperator`, `triggerThreshold`.");
    expect(page).toContain("| SC2114 | error | Scheduling key on an NRT rule |");
  });
});
