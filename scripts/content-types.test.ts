import { describe, expect, it } from "vitest";
import { KIND_TYPES, renderContentTypes, staleContentTypes } from "./content-types.ts";
import { CONTENT_KINDS } from "../src/content/kinds.ts";

describe("the content kinds' generated types", () => {
  it("are up to date with schemas/ (run `npm run content:types` after changing a schema)", async () => {
    expect(await staleContentTypes()).toEqual([]);
  });

  it("cover every content kind", () => {
    expect(KIND_TYPES.map(([kind]) => kind).sort()).toEqual([...CONTENT_KINDS].sort());
  });

  it("follow the schema: a required key is required, an enum is a union", async () => {
    const watchlist = (await renderContentTypes()).get("watchlist.ts") ?? "";
    expect(watchlist).toMatch(/^ {2}watchlistAlias: string;$/m);
    expect(watchlist).toMatch(/^ {2}description\?: string;$/m);
    const rule = (await renderContentTypes()).get("analytic-rule.ts") ?? "";
    expect(rule).toContain(`severity: "High" | "Medium" | "Low" | "Informational";`);
  });
});
