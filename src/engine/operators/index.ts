import type { TabularOperator } from "./contract.ts";
import { extendOperator, serializeOperator } from "./extend.ts";
import { parseKvOperator } from "./key-value-parse.ts";
import { printOperator } from "./print.ts";
import { projectOperator, projectRenameOperator, projectSelectOperator } from "./project.ts";
import { rangeOperator } from "./range.ts";
import { asOperator, countOperator, distinctOperator, getschemaOperator } from "./simple.ts";
import { sortOperator, takeOperator, topOperator } from "./sort.ts";
import { summarizeOperator } from "./summarize.ts";
import { whereOperator } from "./where.ts";
import { evaluateOperator } from "./evaluate.ts";
import { joinOperator, lookupOperator } from "./join.ts";
import { makeSeriesOperator } from "./make-series.ts";
import { mvApplyOperator } from "./mv-apply.ts";
import { mvExpandOperator } from "./mv-expand.ts";
import { parseOperator, parseWhereOperator } from "./parse.ts";
import { partitionOperator } from "./partition.ts";
import { scanOperator } from "./scan.ts";
import { topNestedOperator } from "./top-nested.ts";
import { unionOperator } from "./union.ts";
// operators: one import per operator file, keep sorted

/** Every tabular operator the planner dispatches to (C3's operators are added below the marker). */
const OPERATORS: readonly TabularOperator[] = [
  asOperator,
  countOperator,
  distinctOperator,
  extendOperator,
  getschemaOperator,
  parseKvOperator,
  printOperator,
  projectOperator,
  projectRenameOperator,
  projectSelectOperator,
  rangeOperator,
  serializeOperator,
  sortOperator,
  summarizeOperator,
  takeOperator,
  topOperator,
  whereOperator,
  evaluateOperator,
  joinOperator,
  lookupOperator,
  makeSeriesOperator,
  mvApplyOperator,
  mvExpandOperator,
  parseOperator,
  parseWhereOperator,
  partitionOperator,
  scanOperator,
  topNestedOperator,
  unionOperator,
  // operator list: one entry per line
];

/** The operator table keyed by syntax kind. */
export function operatorTable(): Map<string, TabularOperator> {
  const table = new Map<string, TabularOperator>();
  for (const op of OPERATORS) for (const kind of op.kinds) table.set(kind, op);
  return table;
}
