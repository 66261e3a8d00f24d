import path from "node:path";
import type { Location } from "../diagnostics/index.ts";
import type { QueryEngine } from "../testing/run/engine-port.ts";
import type { RawRow } from "../testing/spec/fixture-rows.ts";
import { transformStream } from "../testing/spec/raw-events.ts";
import type { RowTiming } from "../testing/simulation/scheduler.ts";
import { typeRows, type SchemaColumn } from "../testing/spec/typed-rows.ts";
import type { Workspace } from "../testing/spec/workspace.ts";
import type { DrawDelay } from "./delay.ts";
import { inputProblem, readInputRecords, shownPath, type InputRecord } from "./inputs.ts";
import { recogniseRecord, type SourceForm } from "./recognise.ts";
import type { ReplayInput } from "./result.ts";
import type { RowSpool } from "./spool.ts";

/** Records typed and (for raw events) transformed together. */
const BATCH_RECORDS = 1000;
const TICKS_PER_MS = 10_000n;

/** What reading the inputs needs. */
export interface LoadInputsContext {
  workspace: Workspace;
  forms: readonly SourceForm[];
  /** The forms named for a file by `--map` (absolute path → forms). */
  explicit: ReadonlyMap<string, readonly SourceForm[]>;
  /** The delays of this file's rows (src/replay/delay.ts). */
  delay: DrawDelay;
  engine: QueryEngine;
  /** now() of the ingestion transforms, in epoch ms. */
  transformNow: number;
  spool: RowSpool;
  /** Called between batches (the caller samples memory). */
  onBatch?: () => void;
}

/** The tables a form's rows go to. */
export function formTables(form: SourceForm): string[] {
  return form.kind === "table" ? [form.table] : [...new Set(form.flows.map((f) => f.table))];
}

/**
 * Reads one input file into the spool: recognised (or mapped), typed, transformed when raw, each row timed.
 */
export async function loadInputFile(file: string, context: LoadInputsContext): Promise<ReplayInput> {
  const shown = shownPath(file);
  const explicit = context.explicit.get(path.resolve(file));
  let form: SourceForm | undefined;
  const input: ReplayInput = { file: shown, source: "", table: "", recognisedBy: explicit ? "explicit" : "content", events: 0, rows: 0 };
  let batch: InputRecord[] = [];
  const flush = () => {
    input.rows += storeBatch(form as SourceForm, batch, shown, context);
    batch = [];
    context.onBatch?.();
  };
  for await (const record of readInputRecords(file, shown)) {
    if (!form) {
      form = chooseForm(record, explicit ?? context.forms, explicit !== undefined, shown);
      input.source = form.source;
      input.table = formTables(form).join(", ");
    }
    input.events++;
    batch.push(record);
    if (batch.length >= BATCH_RECORDS) flush();
  }
  if (batch.length > 0) flush();
  return input;
}

/** The form of a file's first record, or undefined when the file is empty, unreadable or not recognised (reading it in full says why). */
export async function firstRecordForm(file: string, explicit: readonly SourceForm[] | undefined, forms: readonly SourceForm[]): Promise<SourceForm | undefined> {
  try {
    for await (const record of readInputRecords(file, shownPath(file))) return chooseForm(record, explicit ?? forms, explicit !== undefined, shownPath(file));
  } catch {
    // the replay itself reports it, at its place among the other inputs' problems
  }
  return undefined;
}

/** The form of a file, decided by its first record (see recogniseRecord); an explicit single form is taken as named. */
function chooseForm(record: InputRecord, candidates: readonly SourceForm[], explicit: boolean, shown: string): SourceForm {
  if (explicit && candidates.length === 1) return candidates[0] as SourceForm;
  const { fitting, all } = recogniseRecord(candidates, record.values);
  if (fitting.length === 1) return (fitting[0] as (typeof fitting)[number]).form;
  const verdicts = all.map((f) => `  ${f.fits ? "fits" : "no"}: ${f.why}`).join("\n");
  if (fitting.length === 0) {
    throw inputProblem("SC5040", shown, `the first record fits no source profile; name its source with --map ${shown}=SOURCE\n${verdicts}`, record.line);
  }
  const names = fitting.map((f) => (f.form.kind === "table" ? f.form.table : f.form.stream));
  throw inputProblem("SC5041", shown, `the first record fits ${names.join(" and ")}; name its source with --map ${shown}=SOURCE\n${verdicts}`, record.line);
}

function rawRow(record: InputRecord, shown: string): RawRow {
  const at = (): Location => ({ file: shown, start: { line: record.line, col: 1 } });
  return { values: record.values, at };
}

/** Types a batch (table rows, or raw events through the mapping's transforms) and spools its rows; returns how many. */
function storeBatch(form: SourceForm, batch: readonly InputRecord[], shown: string, context: LoadInputsContext): number {
  const raws = batch.map((r) => rawRow(r, shown));
  if (form.kind === "table") {
    // Log Analytics exports values as text; the cell rules read text as the column's type, as `test` and `query --data` do
    const typed = typeRows(form.table, form.columns, raws);
    const first = typed.diagnostics[0];
    if (first) throw inputProblem("SC5047", shown, first.message, first.line);
    return spoolRows(form.table, form.columns, typed.table.rows, context);
  }
  const typed = typeRows(form.stream, form.columns, raws, { ignoreUnknown: true });
  const first = typed.diagnostics[0];
  if (first) throw inputProblem("SC5047", shown, `${first.message} (the stream declares it so)`, first.line);
  const out = transformStream(form, typed.table, context.workspace, context.engine, context.transformNow);
  if ("error" in out) throw inputProblem("SC5048", shown, `lines ${batch[0]?.line ?? 1}–${batch.at(-1)?.line ?? 1}: ${out.error}`, batch[0]?.line);
  let count = 0;
  for (const [table, rows] of out.tables) count += spoolRows(table, rows.columns, rows.rows, context);
  return count;
}

/** Times each row (its `_TimeReceived`, else TimeGenerated plus the ingestion delay), records it in `_TimeReceived`, and spools it. */
function spoolRows(table: string, columns: readonly SchemaColumn[], rows: readonly unknown[][], context: LoadInputsContext): number {
  const generated = columns.findIndex((c) => c.name === "TimeGenerated");
  const received = columns.findIndex((c) => c.name === "_TimeReceived");
  for (const cells of rows) {
    const generatedTicks = generated < 0 ? undefined : cells[generated];
    const receivedTicks = received < 0 ? undefined : cells[received];
    const timing: RowTiming = { ingested: Number.NEGATIVE_INFINITY };
    if (typeof generatedTicks === "bigint") timing.timeGenerated = Number(generatedTicks / TICKS_PER_MS);
    if (typeof receivedTicks === "bigint") timing.ingested = Number(receivedTicks / TICKS_PER_MS);
    else if (timing.timeGenerated !== undefined) timing.ingested = timing.timeGenerated + context.delay();
    if (received >= 0 && Number.isFinite(timing.ingested)) cells[received] = BigInt(timing.ingested) * TICKS_PER_MS;
    context.spool.add(table, columns, { cells, timing });
  }
  return rows.length;
}
