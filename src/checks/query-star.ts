import type { Check } from "./check.ts";
import { makeDiagnostic } from "../diagnostics/index.ts";
import { locateInScalar } from "../load/index.ts";
import { asRecord, asString } from "./fields.ts";

/** `search *` or `union *` as a query token (after a pipe, an opening parenthesis, a statement start or whitespace). */
const STAR_SOURCE = /(?:^|[|(;\s])(search|union)\s+\*/g;

/** SC2185: a rule's query contains neither `search *` nor `union *`, which Sentinel rejects. */
export const queryStar = (): Check => ({
  code: "SC2185",
  kinds: ["analytic-rule"],
  run(file) {
    const query = asString(asRecord(file.data).query);
    if (query === undefined) return [];
    return [...withoutComments(query).matchAll(STAR_SOURCE)].map((match) => {
      const offset = match.index + match[0].indexOf(match[1] as string);
      const start = locateInScalar(file, ["query"], offset);
      return makeDiagnostic("SC2185", { file: file.path, start }, `'${match[1] as string} *' is not allowed in an analytic rule's query`);
    });
  },
});

/** The query with `//` comments blanked out (same length, so offsets stay valid). */
function withoutComments(query: string): string {
  return query.replace(/\/\/[^\n]*/g, (comment) => " ".repeat(comment.length));
}
