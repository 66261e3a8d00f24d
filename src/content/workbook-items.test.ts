import { describe, expect, it } from "vitest";
import { workbookItems } from "./workbook-items.ts";

describe("workbookItems", () => {
  it("lists items in document order with their paths, group items after their group", () => {
    const content = {
      items: [
        { type: 9, content: { parameters: [] } },
        { type: 12, content: { items: [{ type: 3, name: "inner", content: { query: "T" } }] } },
        { type: 3, name: "last", content: { query: "U" } },
      ],
    };
    expect(workbookItems(content).map((i) => [i.item.type, i.path.join(".")])).toEqual([
      [9, "content.items.0"],
      [12, "content.items.1"],
      [3, "content.items.1.content.items.0"],
      [3, "content.items.2"],
    ]);
  });

  it.each([
    ["no content", undefined],
    ["items that are not a list", { items: "x" }],
    ["a content that is a list", [{ type: 3 }]],
  ])("finds nothing in %s", (_name, content) => {
    expect(workbookItems(content)).toEqual([]);
  });

  it("skips items that are not mappings (keeping the others' indexes) and gives an empty content when there is none", () => {
    const found = workbookItems({ items: ["text", null, { type: 1 }] });
    expect(found).toEqual([{ item: { type: 1 }, content: {}, path: ["content", "items", 2] }]);
  });
});
