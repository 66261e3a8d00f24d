import type { EvalContext, RowFn } from "../context.ts";
import { carryIngestionTime } from "../planner/ingestion.ts";
import type { Row, Value } from "../values.ts";

/** One compiled `step Name [output=all|none]: Condition [=> Column = Expr, …];`. */
export interface ScanStepPlan {
  /** The step's position (0 = first). */
  index: number;
  output: "all" | "none";
  /** Evaluated on the row laid out as input columns, then `Step.Column` for every step and record column. */
  condition: RowFn;
  /** `target` indexes the declared columns. */
  assignments: { target: number; fn: RowFn }[];
}

/** A step's state: the active sequence's match id and the last record each step up to this one matched. */
interface Sequence {
  matchId: number;
  records: (Row | undefined)[];
}

/** The row a step's expressions see: the input row, then each step's record in the sequence (or the defaults). */
function evaluationRow(row: Row, sequence: Sequence | undefined, stepCount: number, defaults: Row): Row {
  const out: Value[] = [...row];
  for (let k = 0; k < stepCount; k++) out.push(...(sequence?.records[k] ?? defaults));
  return out;
}

/**
 * Runs scan's documented matching logic over `rows` in order. Each row is checked against the steps from
 * last to first. Check 1: when step k-1 has an active sequence and the row meets step k's condition (with
 * that sequence's state), the sequence moves to step k (leaving k-1 empty) and the row, extended by step
 * k's assignments, becomes step k's record. Check 2 (only when check 1 did not match): when step k has an
 * active sequence, or is the first step, and the row meets the condition with step k's state, the extended
 * row replaces step k's record; on the first step without a sequence this starts one with the next match id.
 * Each match of a step with `output=all` emits the extended row followed by its match id.
 * `defaults` is the record of a step not yet matched: input columns empty, then the `declaredCount` declared
 * columns' defaults.
 */
export function runScanSteps(rows: readonly Row[], steps: readonly ScanStepPlan[], defaults: Row, declaredCount: number, ec: EvalContext, checkSize: (count: number) => void): Row[] {
  const declaredDefaults = defaults.slice(defaults.length - declaredCount);
  const states: (Sequence | undefined)[] = steps.map(() => undefined);
  const out: Row[] = [];
  let nextMatchId = 0;
  const extend = (row: Row, step: ScanStepPlan, sequence: Sequence | undefined): Row => {
    const view = evaluationRow(row, sequence, steps.length, defaults);
    const declared = [...declaredDefaults];
    for (const a of step.assignments) declared[a.target] = a.fn(view, ec);
    return [...row, ...declared];
  };
  const emit = (row: Row, record: Row, step: ScanStepPlan, matchId: number): void => {
    if (step.output === "none") return;
    const result = [...record, matchId];
    carryIngestionTime(row, result);
    out.push(result);
    checkSize(out.length);
  };
  for (const row of rows) {
    for (let k = steps.length - 1; k >= 0; k--) {
      const step = steps[k]!;
      const previous = k > 0 ? states[k - 1] : undefined;
      if (previous && step.condition(evaluationRow(row, previous, steps.length, defaults), ec) === true) {
        states[k - 1] = undefined;
        const record = extend(row, step, previous);
        previous.records[k] = record;
        states[k] = previous;
        emit(row, record, step, previous.matchId);
        continue;
      }
      const current = states[k];
      if (!current && k > 0) continue;
      if (step.condition(evaluationRow(row, current, steps.length, defaults), ec) !== true) continue;
      const record = extend(row, step, current);
      const sequence = current ?? { matchId: nextMatchId++, records: steps.map(() => undefined) };
      sequence.records[k] = record;
      states[k] = sequence;
      emit(row, record, step, sequence.matchId);
    }
  }
  return out;
}
