import { isTemplatePath, type ContentKind } from "../content/kinds.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { locate } from "../load/index.ts";
import type { Repository } from "../repository/index.ts";
import { isRecord } from "../content/record.ts";

type Doc = Record<string, unknown>;

/** Kinds whose files should have tests; rules and hunting queries have stricter gates below. */
const TESTED_KINDS: readonly ContentKind[] = ["analytic-rule", "hunting-query", "parser", "ingestion-mapping", "workbook"];

/** What the cases of one content file show. */
interface Coverage {
  cases: number;
  fires: boolean;
  silent: boolean;
  returnsRows: boolean;
}

function caseShows(expect: Doc): Omit<Coverage, "cases"> {
  const alerts = typeof expect.alerts === "number" ? expect.alerts : undefined;
  const firingRuns = Array.isArray(expect.firingRuns) ? expect.firingRuns.length : undefined;
  const rows = typeof expect.rows === "number" ? expect.rows : undefined;
  const minRows = typeof expect.minRows === "number" ? expect.minRows : undefined;
  return {
    fires: expect.alert === true || (alerts ?? 0) > 0 || (firingRuns ?? 0) > 0,
    silent: expect.alert === false || alerts === 0 || (firingRuns === 0 && alerts === undefined),
    returnsRows: (rows ?? 0) > 0 || (minRows ?? 0) > 0 || (Array.isArray(expect.values) && expect.values.length > 0),
  };
}

/**
 * The coverage gate: every analytic rule needs a case that fires and one that must not fire (SC5020,
 * SC5021); every hunting query a case that returns rows (SC5022); parsers, ingestion mappings and workbooks without any
 * tests are reported as warnings (SC5023). Templates are exempt.
 */
export function checkTestCoverage(repository: Repository): Diagnostic[] {
  const coverage = new Map<string, Coverage>();
  // the cases are read as written, so a tests file with a schema error still counts for what it shows
  for (const { tests, targetPath: target } of repository.tests) {
    if (!isRecord(tests.data)) continue;
    const entry = coverage.get(target) ?? { cases: 0, fires: false, silent: false, returnsRows: false };
    for (const c of Array.isArray(tests.data.cases) ? tests.data.cases : []) {
      if (!isRecord(c) || !isRecord(c.expect)) continue;
      const shows = caseShows(c.expect);
      entry.cases++;
      entry.fires ||= shows.fires;
      entry.silent ||= shows.silent;
      entry.returnsRows ||= shows.returnsRows;
    }
    coverage.set(target, entry);
  }
  const diagnostics: Diagnostic[] = [];
  for (const file of repository.entries) {
    if (!TESTED_KINDS.includes(file.kind) || isTemplatePath(file.path)) continue;
    const entry = coverage.get(file.path);
    const at = locate(file, []);
    const testsName = file.path.replace(/\.ya?ml$/i, ".tests.yaml");
    if (file.kind === "analytic-rule") {
      if (!entry?.fires) diagnostics.push(makeDiagnostic("SC5020", at, `no test case shows this rule firing${entry ? "" : ` (no ${testsName})`}`));
      if (!entry?.silent) diagnostics.push(makeDiagnostic("SC5021", at, `no test case shows this rule staying silent${entry ? "" : ` (no ${testsName})`}`));
    } else if (file.kind === "hunting-query") {
      if (!entry?.returnsRows) diagnostics.push(makeDiagnostic("SC5022", at, `no test case shows this hunting query returning rows${entry ? "" : ` (no ${testsName})`}`));
    } else if (!entry || entry.cases === 0) {
      diagnostics.push(makeDiagnostic("SC5023", at, `${file.kind} has no tests (no ${testsName})`));
    }
  }
  return diagnostics;
}
