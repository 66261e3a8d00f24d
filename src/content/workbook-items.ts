import { isRecord } from "./record.ts";

/** A path into a YAML document (the same shape as the loader's DocPath). */
type DocPath = readonly (string | number)[];

type Json = Record<string, unknown>;

/** One item (step) of a workbook's gallery JSON, top level or inside a group. */
export interface WorkbookItem {
  item: Json;
  /** The item's `content`, or an empty mapping when it has none. */
  content: Json;
  /** Path of the item in the workbook file, e.g. `content.items.2.content.items.0`. */
  path: DocPath;
}

/** Every item of a workbook's `content` (the gallery JSON), groups' items included, in document order. */
export function workbookItems(content: unknown): WorkbookItem[] {
  const found: WorkbookItem[] = [];
  const visit = (items: unknown, path: DocPath): void => {
    if (!Array.isArray(items)) return;
    items.forEach((item: unknown, index) => {
      if (!isRecord(item)) return;
      const itemPath: DocPath = [...path, index];
      const body = isRecord(item.content) ? item.content : {};
      found.push({ item, content: body, path: itemPath });
      visit(body.items, [...itemPath, "content", "items"]);
    });
  };
  if (isRecord(content)) visit(content.items, ["content", "items"]);
  return found;
}
