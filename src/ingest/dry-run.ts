import type { MappingColumn } from "./mapping.ts";
import { redact } from "../diagnostics/redact.ts";
import { removeStaleTemps, writeFileAtomic } from "../files/write-atomic.ts";
import type { Uploader } from "./uploader.ts";

/** Runs a DCR transform offline: the stream rows as `source`, returning the output rows. */
export type TransformRunner = (input: {
  transformKql: string;
  streamColumns: readonly MappingColumn[];
  rows: readonly Record<string, unknown>[];
}) => Promise<Record<string, unknown>[]>;

/** An uploader that transforms each batch with the mapping's transforms and keeps the rows for a JSONL file. */
export interface DryRunUploader extends Uploader {
  /** Rows written so far. */
  readonly rowCount: number;
  /** Writes `{"table": …, "row": {…}}` lines to `file` atomically. */
  write(file: string): Promise<void>;
}

/** Creates the dry-run uploader for the data flows fed by one stream. */
export function createDryRunUploader(input: {
  flows: readonly { table: string; transformKql: string }[];
  streamColumns: readonly MappingColumn[];
  transform: TransformRunner;
}): DryRunUploader {
  const lines: string[] = [];
  return {
    get rowCount() {
      return lines.length;
    },
    async upload(rows) {
      for (const flow of input.flows) {
        const out = await input.transform({ transformKql: flow.transformKql, streamColumns: input.streamColumns, rows });
        for (const row of out) lines.push(JSON.stringify({ table: flow.table, row }));
      }
    },
    async write(file) {
      await removeStaleTemps(file);
      await writeFileAtomic(file, lines.length > 0 ? redact(`${lines.join("\n")}\n`) : "");
    },
  };
}
