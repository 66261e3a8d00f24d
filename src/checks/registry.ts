import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import type { LoadedFile } from "../load/index.ts";
import { atlasTechnique } from "./atlas-technique.ts";
import type { Check, CheckFactory } from "./check.ts";
import { customDetailCount } from "./custom-detail-count.ts";
import { durationFormat } from "./duration-format.ts";
import { entityIdentifierCount } from "./entity-identifier-count.ts";
import { entityIdentifierDuplicate } from "./entity-identifier-duplicate.ts";
import { entityIdentifier } from "./entity-identifier.ts";
import { entityMappingCount } from "./entity-mapping-count.ts";
import { entityStrongIdentifier } from "./entity-strong-identifier.ts";
import { entityType } from "./entity-type.ts";
import { groupingLookbackRange } from "./grouping-lookback-range.ts";
import { idCopy } from "./id-copy.ts";
import { idGuid } from "./id-guid.ts";
import { idUnique } from "./id-unique.ts";
import { nameUnique } from "./name-unique.ts";
import { nrtNoSchedule } from "./nrt-no-schedule.ts";
import { periodCoversFrequency } from "./period-covers-frequency.ts";
import { placeholderCount } from "./placeholder-count.ts";
import { queryFrequencyRange } from "./query-frequency-range.ts";
import { queryPeriodRange } from "./query-period-range.ts";
import { suppressionConsistency } from "./suppression-consistency.ts";
import { suppressionDurationRange } from "./suppression-duration-range.ts";
import { tacticCase } from "./tactic-case.ts";
import { tacticValid } from "./tactic-valid.ts";
import { techniqueCurrent } from "./technique-current.ts";
import { techniqueFormat } from "./technique-format.ts";
import { techniqueTactic } from "./technique-tactic.ts";
import { testCaseNames } from "./test-case-names.ts";
import { testExpectKind } from "./test-expect-kind.ts";
import { testFixturesExist } from "./test-fixtures-exist.ts";
import { testNowTimeline } from "./test-now-timeline.ts";
import { testTargetExists } from "./test-target-exists.ts";
import { triggerThresholdRange } from "./trigger-threshold-range.ts";
import { versionSemver } from "./version-semver.ts";
import { watchlistItemColumns } from "./watchlist-item-columns.ts";
import { watchlistSearchKey } from "./watchlist-search-key.ts";
import { workbookStepNames } from "./workbook-step-names.ts";
import { apiEnumValues } from "./api-enum-values.ts";
import { groupingSelected } from "./grouping-selected.ts";
import { longLookbackFrequency } from "./long-lookback-frequency.ts";
import { overrideLength } from "./override-length.ts";
import { placeholderFormat } from "./placeholder-format.ts";
import { queryLength } from "./query-length.ts";
import { queryStar } from "./query-star.ts";
import { testPathsContained } from "./test-paths-contained.ts";
import { tablePlan } from "./table-plan.ts";

/** Every content check, in code order. */
export const CHECKS: readonly CheckFactory[] = [
  idGuid,
  idUnique,
  nameUnique,
  versionSemver,
  idCopy,
  durationFormat,
  queryFrequencyRange,
  queryPeriodRange,
  periodCoversFrequency,
  nrtNoSchedule,
  triggerThresholdRange,
  suppressionDurationRange,
  suppressionConsistency,
  groupingLookbackRange,
  tacticValid,
  tacticCase,
  techniqueFormat,
  techniqueCurrent,
  techniqueTactic,
  atlasTechnique,
  entityType,
  entityIdentifier,
  entityMappingCount,
  entityIdentifierCount,
  customDetailCount,
  placeholderCount,
  entityStrongIdentifier,
  entityIdentifierDuplicate,
  testCaseNames,
  testNowTimeline,
  testExpectKind,
  testTargetExists,
  testFixturesExist,
  watchlistSearchKey,
  watchlistItemColumns,
  workbookStepNames,
  longLookbackFrequency,
  queryLength,
  overrideLength,
  groupingSelected,
  apiEnumValues,
  queryStar,
  placeholderFormat,
  testPathsContained,
  tablePlan,
];

/** Runs every check on every file (each check on the kinds it applies to), then each check's cross-file finalize; a failing check is an SC9001 finding, never a crash. */
export function runChecks(files: readonly LoadedFile[], factories: readonly CheckFactory[] = CHECKS): Diagnostic[] {
  const checks: Check[] = factories.map((make) => make());
  const findings: Diagnostic[] = [];
  for (const file of files) {
    for (const check of checks) {
      if (check.kinds.includes(file.kind)) findings.push(...guarded(check, file.path, () => check.run(file)));
    }
  }
  for (const check of checks) findings.push(...guarded(check, files[0]?.path ?? ".", () => check.finalize?.() ?? []));
  return findings;
}

function guarded(check: Check, file: string, run: () => Diagnostic[]): Diagnostic[] {
  try {
    return run();
  } catch (error) {
    return [makeDiagnostic("SC9001", { file }, `check ${check.code} failed`, { cause: error })];
  }
}
