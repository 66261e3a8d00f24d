import { assertNever, makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics/index.ts";
import { locateInScalar } from "../load/index.ts";
import { RE2_DIAGNOSTIC_CODE, type KustoDiagnostic, type QueryAnalysis, type QuerySite } from "./index.ts";

/** Kusto codes for a name that is not a known table, tabular variable or function. */
const UNKNOWN_SOURCE_CODES = new Set(["KS204"]);
/** Kusto numbers its syntax diagnostics below 100 (KS001–KS099); semantic ones from 100. */
const FIRST_SEMANTIC_CODE = 100;

/** The SC3 code a Kusto diagnostic is reported under: syntax errors, unknown sources, other semantic errors, warnings, regexes RE2 rejects. */
function kustoCodeCategory(d: KustoDiagnostic): DiagnosticCode {
  if (d.code === RE2_DIAGNOSTIC_CODE) return "SC3030";
  if (d.severity === "warning") return "SC3003";
  if (UNKNOWN_SOURCE_CODES.has(d.code)) return "SC3004";
  const number = Number.parseInt(d.code.replace(/^KS/, ""), 10);
  return Number.isFinite(number) && number < FIRST_SEMANTIC_CODE ? "SC3001" : "SC3002";
}

/** A human name of where a query lives, for messages. */
export function describeSite(site: QuerySite): string {
  switch (site.role) {
    case "analytic-rule":
    case "hunting-query":
      return "query";
    case "parser":
      return "parser query";
    case "workbook-step":
      return "workbook query";
    case "workbook-parameter":
      return "workbook parameter query";
    case "transform":
      return "transformKql";
    default:
      return assertNever(site.role, "query role");
  }
}

/** Reports Kusto's diagnostics (and the query preparation's findings) at their line:col inside the YAML file. */
export function kqlDiagnostics(site: QuerySite, analysis: QueryAnalysis | undefined): Diagnostic[] {
  const at = (sourceOffset: number, sourceEnd: number) => ({
    file: site.file.path,
    start: locateInScalar(site.file, site.path, sourceOffset),
    end: locateInScalar(site.file, site.path, sourceEnd),
  });
  const out: Diagnostic[] = site.unknownParameters.map((p) =>
    makeDiagnostic("SC3005", at(p.offset, p.offset + p.length), `workbook parameter {${p.name}} is not defined in this workbook`),
  );
  if (site.undeclaredStream !== undefined) {
    out.push(
      makeDiagnostic("SC3006", at(0, 0), `input stream '${site.undeclaredStream}' is not declared under streams:, so this transform is not checked`),
    );
  }
  for (const d of analysis?.diagnostics ?? []) {
    const start = site.query.toSource(d.start);
    const end = Math.max(start, site.query.toSource(d.start + d.length));
    const message = d.code === RE2_DIAGNOSTIC_CODE ? d.message : `${d.code}: ${d.message}`;
    out.push(makeDiagnostic(kustoCodeCategory(d), at(start, end), message));
  }
  return out;
}
