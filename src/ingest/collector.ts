import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics/index.ts";
import { Batch, MAX_BATCH_BYTES, fitRow, rowBytes } from "./batcher.ts";
import { withMeasuredLengths } from "./measured-lengths.ts";
import type { ComplianceLogsApi, LogFilePage } from "./compliance-client.ts";
import { ProtocolError, classifyFetchError } from "./http.ts";
import { eventIdOf, projectToStream, type NumberedLine } from "./jsonl.ts";
import { RecentIds } from "./recent-ids.ts";
import { resumableLines } from "./resumable-lines.ts";
import { HttpStatusError, RetriesExhaustedError, withRetry, type RetryPolicy } from "./retry.ts";
import { checkCursorsNotAhead, type CollectorState, type FileProgress, type StateStore, type TypeCursor } from "./state.ts";
import { describeUploadError, uploadErrorStatus, type Uploader } from "./uploader.ts";

/** The Compliance Logs Platform keeps log files this long. */
export const RETENTION_DAYS = 30;
/** Warn when the cursor is older than this (days). */
export const RETENTION_WARNING_DAYS = 27;
/** Event ids remembered per event type across runs, for the boundary record. */
export const RECENT_IDS_KEPT = 2_000;
/** Line-level findings listed per log file and code; the rest are counted in one closing finding. */
export const LINE_FINDINGS_LISTED = 100;

/** Tells which events of an in-doubt batch already reached the workspace. */
export interface InDoubtVerifier {
  existingIds(eventIds: readonly string[]): Promise<Set<string>>;
}

/** Running totals, reported as progress and returned at the end. */
export interface CollectStats {
  pages: number;
  files: number;
  lines: number;
  events: number;
  duplicates: number;
  invalidLines: number;
  batches: number;
  bytes: number;
}

/** Everything one collector run needs; the I/O parts are injected. */
export interface CollectOptions {
  source: string;
  principalId: string;
  stream: string;
  streamColumns: ReadonlySet<string>;
  /** The key of each event's unique id (default `event_id`; `id` for OpenAI audit logs). */
  idKey?: string;
  /** The table column the id lands in, which the parsers de-duplicate on (default `EventId`; `Id` for OpenAI). */
  idColumn?: string;
  eventTypes: readonly string[];
  /** The cursor for event types without a checkpoint (ISO-8601). */
  since: string;
  pageSize: number;
  api: ComplianceLogsApi;
  uploader: Uploader;
  store: StateStore;
  retry: RetryPolicy;
  maxBatchBytes?: number;
  verifier?: InDoubtVerifier;
  now?: () => Date;
  onProgress?: (stats: Readonly<CollectStats>, eventType: string) => void;
}

/** A failure that ends the run; the state holds everything accepted before it. */
export class CollectError extends Error {
  override name = "CollectError";
  constructor(
    readonly code: DiagnosticCode,
    message: string,
  ) {
    super(message);
  }
}

/** What a run did: totals and the warnings it raised. */
export interface CollectResult {
  stats: CollectStats;
  diagnostics: Diagnostic[];
}

const DAY_MS = 86_400_000;

function emptyStats(): CollectStats {
  return { pages: 0, files: 0, lines: 0, events: 0, duplicates: 0, invalidLines: 0, batches: 0, bytes: 0 };
}

/** Turns transport failures into CollectErrors with a clear message (never containing a credential). */
function explain(error: unknown, what: string): CollectError {
  if (error instanceof CollectError) return error;
  if (error instanceof RetriesExhaustedError) {
    const last = error.last instanceof Error ? error.last.message : String(error.last);
    return new CollectError("SC8003", `${what}: gave up after ${error.attempts} attempts (last: ${last})`);
  }
  if (error instanceof HttpStatusError) return new CollectError("SC8002", `${what}: ${error.message}`);
  if (error instanceof ProtocolError) return new CollectError("SC8012", `${what}: ${error.message}`);
  const status = uploadErrorStatus(error);
  if (status !== undefined) return new CollectError("SC8002", `${what}: ${describeUploadError(error)}`);
  throw error;
}

/** Runs the collector: for each event type, list pages, download files, upload new events, checkpoint. */
export async function collect(options: CollectOptions): Promise<CollectResult> {
  return new CollectorRun(options).run();
}

class CollectorRun {
  readonly stats = emptyStats();
  readonly diagnostics: Diagnostic[] = [];
  readonly maxBatchBytes: number;
  readonly now: () => Date;
  state!: CollectorState;

  constructor(readonly o: CollectOptions) {
    this.maxBatchBytes = Math.min(o.maxBatchBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES);
    this.now = o.now ?? (() => new Date());
  }

  warn(code: DiagnosticCode, message: string, file = "collect", line = 1): void {
    this.diagnostics.push(makeDiagnostic(code, { file, start: { line, col: 1 } }, message));
  }

  async run(): Promise<CollectResult> {
    this.state = await this.loadState();
    const inDoubt = await this.settlePending();
    for (const eventType of this.o.eventTypes) {
      await this.collectType(eventType, inDoubt.get(eventType) ?? new Set());
    }
    return { stats: this.stats, diagnostics: this.diagnostics };
  }

  async loadState(): Promise<CollectorState> {
    const loaded = await this.o.store.load();
    if (loaded === undefined) {
      return { version: 1, source: this.o.source, principalId: this.o.principalId, stream: this.o.stream, cursors: {} };
    }
    if (loaded.source !== this.o.source || loaded.principalId !== this.o.principalId) {
      throw new CollectError(
        "SC8009",
        `the state file belongs to ${loaded.source} principal ${loaded.principalId}, not ${this.o.source} principal ${this.o.principalId}`,
      );
    }
    checkCursorsNotAhead(loaded, this.now());
    return loaded;
  }

  /** Decides what to do with a batch the previous run uploaded but did not checkpoint. */
  async settlePending(): Promise<Map<string, Set<string>>> {
    const skip = new Map<string, Set<string>>();
    const pending = this.state.pending;
    // A batch of an event type this run does not collect stays pending for a run that does.
    if (pending === undefined || !this.o.eventTypes.includes(pending.eventType)) return skip;
    const checked = this.o.verifier ? await this.checkWorkspace(pending.eventIds) : undefined;
    if (checked) skip.set(pending.eventType, checked);
    else this.warnResend(pending.eventType, pending.eventIds.length, this.o.verifier !== undefined);
    // The record stays until the first batch of that type replaces it, so a second stop is covered too.
    return skip;
  }

  /** Asks the workspace which ids of the in-doubt batch arrived; undefined (with SC8015) when it cannot be queried. */
  async checkWorkspace(eventIds: readonly string[]): Promise<Set<string> | undefined> {
    try {
      return await this.o.verifier!.existingIds(eventIds);
    } catch (error) {
      this.warn("SC8015", `the workspace could not be queried for the in-doubt batch (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
  }

  /** The one SC8007 of a run: how many events may repeat, that the parsers absorb them, and the flag that avoids it. */
  warnResend(eventType: string, count: number, triedWorkspace: boolean): void {
    const column = this.o.idColumn ?? "EventId";
    const avoid = triedWorkspace ? "grant the identity read access to the workspace's tables" : "pass --verify-workspace <Log Analytics workspace id>";
    this.warn(
      "SC8007",
      `${count} ${eventType} events of a batch the previous run uploaded but did not checkpoint are sent again: up to ${count} rows may arrive twice; ` +
        `the parsers de-duplicate on ${column}, so detections and workbooks see each event once; ${avoid} to check the workspace instead of re-sending`,
    );
  }

  cursorFor(eventType: string): TypeCursor {
    const existing = this.state.cursors[eventType];
    if (existing) return existing;
    const created: TypeCursor = { after: this.o.since, files: {}, recentIds: [] };
    this.state.cursors[eventType] = created;
    return created;
  }

  checkRetention(eventType: string, after: string): void {
    const ageDays = (this.now().getTime() - Date.parse(after)) / DAY_MS;
    if (ageDays >= RETENTION_DAYS) {
      const cutoff = new Date(this.now().getTime() - RETENTION_DAYS * DAY_MS).toISOString();
      this.warn(
        "SC8004",
        `${eventType} cursor ${after} is ${Math.floor(ageDays)} days old: files ending before ${cutoff} are past the platform's ${RETENTION_DAYS}-day retention and may be gone`,
      );
    } else if (ageDays >= RETENTION_WARNING_DAYS) {
      this.warn(
        "SC8004",
        `${eventType} cursor ${after} is ${Math.floor(ageDays)} days old, close to the platform's ${RETENTION_DAYS}-day retention`,
      );
    }
  }

  async listPage(eventType: string, after: string): Promise<LogFilePage> {
    try {
      return await withRetry(
        this.o.retry,
        () => this.o.api.listLogFiles({ eventType, after, limit: this.o.pageSize }),
        classifyFetchError,
      );
    } catch (error) {
      throw explain(error, `listing ${eventType} log files after ${after}`);
    }
  }

  /** The file's non-blank lines after the first `from`, streamed (and downloaded again past a dropped connection). */
  async *lines(fileId: string, from: number): AsyncGenerator<NumberedLine> {
    try {
      yield* resumableLines({ open: () => this.o.api.downloadLogFile(fileId), from, retry: this.o.retry, classify: classifyFetchError });
    } catch (error) {
      throw explain(error, `downloading log file ${fileId}`);
    }
  }

  async collectType(eventType: string, alreadyInWorkspace: Set<string>): Promise<void> {
    const cursor = this.cursorFor(eventType);
    this.checkRetention(eventType, cursor.after);
    const recent = new RecentIds(RECENT_IDS_KEPT, cursor.recentIds);
    await new TypeRun(this, eventType, cursor, recent, alreadyInWorkspace).run();
    if (this.state.pending?.eventType === eventType) {
      delete this.state.pending;
      await this.o.store.save(this.state);
    }
  }
}

interface BatchItem {
  eventId: string | undefined;
}

/** The work on one event type: downloads, de-duplication, batching and checkpoints. */
class TypeRun {
  batch: Batch<BatchItem>;
  /** File progress including lines consumed into the open batch. */
  working: Record<string, FileProgress>;
  /** Ids skipped since the last commit because the workspace already held them (kept in the next pending record). */
  skippedInWorkspace: string[] = [];
  /** Line-level findings of the file being read, per code: how many, and the first line not listed. */
  fileFindings = new Map<DiagnosticCode, { count: number; firstUnlisted: number }>();

  constructor(
    readonly owner: CollectorRun,
    readonly eventType: string,
    readonly cursor: TypeCursor,
    readonly recent: RecentIds,
    readonly alreadyInWorkspace: Set<string>,
  ) {
    this.batch = new Batch(owner.maxBatchBytes);
    this.working = structuredClone(cursor.files);
  }

  /** Pages forward with after = last_end_time until has_more is false. */
  async run(): Promise<void> {
    const { cursor } = this;
    for (;;) {
      const before = cursor.after;
      const page = await this.owner.listPage(this.eventType, before);
      this.owner.stats.pages++;
      await this.ingestPage(page);
      if (page.lastEndTime !== null && page.lastEndTime !== before) {
        // Keep the completed files of this page: the platform returns the boundary file again.
        cursor.files = Object.fromEntries(page.data.map((f) => [f.id, { lines: cursor.files[f.id]?.lines ?? 0, done: true }]));
        cursor.after = page.lastEndTime;
        this.working = structuredClone(cursor.files);
        await this.owner.o.store.save(this.owner.state);
      }
      if (!page.hasMore) return;
      if (page.lastEndTime === null || page.lastEndTime === before) {
        throw new CollectError("SC8012", `${this.eventType} listing says has_more but its last_end_time does not move past ${before}`);
      }
    }
  }

  async ingestPage(page: LogFilePage): Promise<void> {
    for (const file of page.data) {
      if (this.working[file.id]?.done) continue;
      await this.ingestFile(file.id);
      this.owner.stats.files++;
      this.owner.o.onProgress?.(this.owner.stats, this.eventType);
    }
    await this.flush();
  }

  /** Streams one file through de-duplication and batching; `working` follows every line consumed. */
  async ingestFile(fileId: string): Promise<void> {
    const where = `${this.eventType}/${fileId}`;
    let consumed = this.working[fileId]?.lines ?? 0;
    for await (const line of this.owner.lines(fileId, consumed)) {
      this.owner.stats.lines++;
      if (!line.ok) {
        this.owner.stats.invalidLines++;
        this.warnLine("SC8005", `line ${line.lineNo} of log file ${fileId}: ${line.reason}`, where, line.lineNo);
      } else {
        await this.accept(line.event, fileId, line.lineNo, where);
      }
      consumed = line.ordinal;
      this.working[fileId] = { lines: consumed, done: false };
    }
    this.working[fileId] = { lines: consumed, done: true };
    this.closeFindings(fileId, where);
  }

  /** Lists a line-level finding, up to LINE_FINDINGS_LISTED per file and code (so a broken file cannot fill memory). */
  warnLine(code: DiagnosticCode, message: string, where: string, lineNo: number): void {
    const seen = this.fileFindings.get(code) ?? { count: 0, firstUnlisted: 0 };
    seen.count++;
    if (seen.count === LINE_FINDINGS_LISTED + 1) seen.firstUnlisted = lineNo;
    this.fileFindings.set(code, seen);
    if (seen.count <= LINE_FINDINGS_LISTED) this.owner.warn(code, message, where, lineNo);
  }

  /** Adds one finding per code that had more lines than were listed. */
  closeFindings(fileId: string, where: string): void {
    for (const [code, seen] of this.fileFindings) {
      const unlisted = seen.count - LINE_FINDINGS_LISTED;
      if (unlisted <= 0) continue;
      this.owner.warn(
        code,
        `${unlisted} more lines of log file ${fileId}, from line ${seen.firstUnlisted} on, had the same problem (only the first ${LINE_FINDINGS_LISTED} are listed)`,
        where,
        seen.firstUnlisted,
      );
    }
    this.fileFindings.clear();
  }

  async accept(event: Record<string, unknown>, fileId: string, lineNo: number, where: string): Promise<void> {
    const idKey = this.owner.o.idKey ?? "event_id";
    const eventId = eventIdOf(event, idKey);
    if (eventId === undefined) {
      this.warnLine("SC8006", `line ${lineNo} of log file ${fileId} has no ${idKey}`, where, lineNo);
    } else if (this.recent.has(eventId)) {
      this.owner.stats.duplicates++;
      return;
    } else if (this.alreadyInWorkspace.has(eventId)) {
      this.owner.stats.duplicates++;
      this.skippedInWorkspace.push(eventId);
      this.recent.add(eventId);
      return;
    }
    const fitted = fitRow(projectToStream(withMeasuredLengths(event), this.owner.o.streamColumns), this.owner.maxBatchBytes);
    if (fitted === undefined) {
      throw new CollectError("SC8012", `event ${eventId ?? `on line ${lineNo}`} of log file ${fileId} does not fit in one upload even with values cut to 64 KB`);
    }
    if (fitted.shrunk) this.warnLine("SC8008", `event ${eventId ?? `on line ${lineNo}`} of log file ${fileId} was larger than one upload; long values were cut to 64 KB`, where, lineNo);
    const size = rowBytes(fitted.row);
    if (!this.batch.fits(size)) await this.flush();
    this.batch.add(fitted.row, size, { eventId });
    if (eventId !== undefined) this.recent.add(eventId);
    this.owner.stats.events++;
  }

  /** Uploads the open batch (write-ahead pending record, upload, then commit the file progress). */
  async flush(): Promise<void> {
    const { store } = this.owner.o;
    const state = this.owner.state;
    const progress = structuredClone(this.working);
    if (this.batch.rows.length > 0) {
      const batchIds = this.batch.items.map((i) => i.eventId).filter((id): id is string => id !== undefined);
      const eventIds = [...this.skippedInWorkspace, ...batchIds];
      state.pending = { eventType: this.eventType, eventIds, progress };
      await store.save(state);
      try {
        await this.owner.o.uploader.upload(this.batch.rows);
      } catch (error) {
        const status = uploadErrorStatus(error);
        if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
          // A definite rejection: nothing of this batch was stored; only ids known to be in the workspace stay on record.
          if (this.skippedInWorkspace.length > 0) state.pending = { eventType: this.eventType, eventIds: this.skippedInWorkspace, progress: this.cursor.files };
          else delete state.pending;
          await store.save(state);
        }
        throw explain(error, `uploading ${this.batch.rows.length} ${this.eventType} events`);
      }
      this.owner.stats.batches++;
      this.owner.stats.bytes += this.batch.bytes;
      delete state.pending;
    }
    this.cursor.files = progress;
    this.cursor.recentIds = this.recent.toArray();
    this.skippedInWorkspace = [];
    await store.save(state);
    this.batch = new Batch(this.owner.maxBatchBytes);
    this.owner.o.onProgress?.(this.owner.stats, this.eventType);
  }
}
