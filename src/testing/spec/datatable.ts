import { quoteName } from "../../kql/index.ts";
import type { EngineData } from "../run/engine-port.ts";
import type { TypedTable } from "./typed-rows.ts";
import { formatTicksAsDatetime, formatTicksAsTimespan } from "./values.ts";

/** The variable holding (live now − case now), by which every fixture datetime is shifted. */
export const SHIFT = "__harness_shift";

/** A KQL string literal (double-quoted, escaped). */
export function stringLiteral(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
}

/** A KQL literal of a typed engine value (as `datatable` rows take them). */
export function literal(value: unknown, type: string): string {
  if (value === null || value === undefined) return type === "string" ? '""' : `${type}(null)`;
  switch (type) {
    case "string":
      return stringLiteral(String(value));
    case "datetime":
      return typeof value === "bigint" ? `datetime(${formatTicksAsDatetime(value)})` : "datetime(null)";
    case "timespan":
      return typeof value === "bigint" ? `time(${formatTicksAsTimespan(value)})` : "time(null)";
    case "dynamic":
      return `dynamic(${JSON.stringify(value)})`;
    case "bool":
      return value ? "true" : "false";
    case "guid":
      return `guid(${String(value)})`;
    default:
      return `${type}(${String(value)})`;
  }
}

function datatable(table: TypedTable): string {
  const schema = table.columns.map((c) => `${quoteName(c.name)}:${c.type}`).join(", ");
  const values = table.rows.map((row) => table.columns.map((c, i) => literal(row[i], c.type)).join(", "));
  return `datatable(${schema})[${values.length > 0 ? `\n  ${values.join(",\n  ")}` : ""}]`;
}

/** A `let` shadowing a table with its fixture rows, datetimes shifted by the live clock offset. */
function tableLet(table: TypedTable): string {
  const shifted = table.columns.filter((c) => c.type === "datetime").map((c) => `${quoteName(c.name)} = ${quoteName(c.name)} + ${SHIFT}`);
  return `let ${quoteName(table.name)} = ${datatable(table)}${shifted.length > 0 ? ` | extend ${shifted.join(", ")}` : ""};`;
}

/** The watchlists as `let` tables and a `_GetWatchlist(alias)` function over them (none when there are no watchlists). */
export function watchlistLets(data: Pick<EngineData, "watchlists">): string[] {
  const lists = [...data.watchlists.values()];
  if (lists.length === 0) return [];
  const lets = lists.map((w, n) => {
    const columns = ["_DTItemId", "SearchKey", "WatchlistItem", "__alias", ...w.columns];
    const rows = w.rows.map((row, r) => {
      const item = Object.fromEntries(w.columns.map((c, i) => [c, row[i] ?? null]));
      const key = w.searchKey ? (row[w.columns.indexOf(w.searchKey)] ?? "") : (row[0] ?? "");
      return [stringLiteral(`${w.alias}-${r}`), stringLiteral(key), `dynamic(${JSON.stringify(item)})`, stringLiteral(w.alias.toLowerCase()), ...row.map((v) => stringLiteral(v ?? ""))].join(", ");
    });
    const schema = columns.map((c) => `${quoteName(c)}:${c === "WatchlistItem" ? "dynamic" : "string"}`).join(", ");
    return `let __harness_wl${n} = datatable(${schema})[${rows.join(", ")}] | extend LastUpdatedTimeUTC = now();`;
  });
  const union = lists.map((_, n) => `__harness_wl${n}`).join(", ");
  lets.push(`let _GetWatchlist = (watchlistAlias:string) { union isfuzzy=true ${union} | where __alias == tolower(watchlistAlias) | project-away __alias };`);
  return lets;
}

/** A saved function (parser) as a `let` function statement, so a query carries the repository's version of it. */
export function functionLet(fn: EngineData["functions"][number]): string {
  const parameters = fn.parameters.map((p) => `${p.name}:${p.type}${p.default === undefined ? "" : `=${p.default}`}`).join(", ");
  return `let ${quoteName(fn.name)} = (${parameters}) {\n${fn.body.trim().replace(/;\s*$/, "")}\n};`;
}

/**
 * The case as one self-contained query for a real workspace: `let` statements shadowing each fixture table
 * (a `datatable`, datetimes shifted so the case's `now` becomes the service's now()), the watchlists as
 * `_GetWatchlist`, the repo's parsers as functions, then the query; datetime result columns are shifted back.
 */
export function inlineQuery(query: string, data: EngineData, caseNow: number, resultDatetimes: readonly string[]): string {
  const caseNowLiteral = formatTicksAsDatetime(BigInt(caseNow) * 10_000n);
  const lets = [
    `let ${SHIFT} = now() - datetime(${caseNowLiteral});`,
    ...[...data.tables.values()].map(tableLet),
    ...watchlistLets(data),
    ...data.functions.map(functionLet),
  ];
  const back = resultDatetimes.map((c) => `${quoteName(c)} = ${quoteName(c)} - ${SHIFT}`);
  const body = query.trim().replace(/;\s*$/, "");
  return `${lets.join("\n")}\n${body}${back.length > 0 ? `\n| extend ${back.join(", ")}` : ""}`;
}
