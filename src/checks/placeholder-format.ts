import type { Diagnostic } from "../diagnostics/index.ts";
import type { LoadedFile } from "../load/index.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord } from "./fields.ts";

const FORMAT_FIELDS = ["alertDisplayNameFormat", "alertDescriptionFormat"] as const;
const COLUMN_FIELDS = ["alertTacticsColumnName", "alertSeverityColumnName"] as const;
/** A well-formed placeholder: a column name (letters, digits, underscores) between double braces. */
const PLACEHOLDER = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g;

/** SC2186: alertDetailsOverride formats use well-formed {{Column}} placeholders; the *ColumnName fields name a column, not a format. */
export const placeholderFormat = (): Check => ({
  code: "SC2186",
  kinds: ["analytic-rule"],
  run(file) {
    const override = asRecord(asRecord(file.data).alertDetailsOverride);
    const formats = FORMAT_FIELDS.flatMap((field) => malformedFormat(file, field, override[field]));
    const columns = COLUMN_FIELDS.flatMap((field) => {
      const value = override[field];
      if (typeof value !== "string" || !/[{}]/.test(value)) return [];
      return [findingAt("SC2186", file, ["alertDetailsOverride", field], `${field} takes a column name, not a format with braces ('${value}')`)];
    });
    return [...formats, ...columns];
  },
});

function malformedFormat(file: LoadedFile, field: string, text: unknown): Diagnostic[] {
  if (typeof text !== "string") return [];
  const rest = text.replace(PLACEHOLDER, "");
  if (!rest.includes("{{") && !rest.includes("}}")) return [];
  const message = `${field} has a '{{' or '}}' that is not part of a {{ColumnName}} placeholder`;
  return [findingAt("SC2186", file, ["alertDetailsOverride", field], message)];
}
