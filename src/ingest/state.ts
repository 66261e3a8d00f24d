import { readFile, stat } from "node:fs/promises";
import { isRecord } from "../content/record.ts";
import { redact } from "../diagnostics/redact.ts";
import { removeStaleTemps, writeFileAtomic } from "../files/write-atomic.ts";

/** How far one downloaded log file has been consumed (lines counted from 1, blank lines excluded). */
export interface FileProgress {
  lines: number;
  done: boolean;
}

/** The checkpoint of one event type. */
export interface TypeCursor {
  /** The `after` value of the page being worked on (the last `last_end_time` fully ingested). */
  after: string;
  /** Progress of the files of the current page (and the completed files of the previous one). */
  files: Record<string, FileProgress>;
  /** Most recent event ids ingested, to drop the boundary record the platform returns again. */
  recentIds: string[];
}

/** A batch written ahead of its upload: if the run stops before the commit, its fate is in doubt. */
export interface PendingBatch {
  eventType: string;
  eventIds: string[];
  /** File progress once the batch is accepted. */
  progress: Record<string, FileProgress>;
}

/** Everything the collector keeps between runs. */
export interface CollectorState {
  version: 1;
  source: string;
  principalId: string;
  stream: string;
  cursors: Record<string, TypeCursor>;
  pending?: PendingBatch;
}

/** Loads and saves the collector state. */
export interface StateStore {
  load(): Promise<CollectorState | undefined>;
  save(state: CollectorState): Promise<void>;
}

/** The state file is not one this collector wrote. */
export class InvalidStateError extends Error {
  override name = "InvalidStateError";
}

/** Largest state file read (the collector's own files stay far below: ids are capped per event type). */
export const MAX_STATE_BYTES = 16 * 1024 * 1024;
/** How far ahead of this machine's clock a cursor may be (clock skew between hosts). */
export const CURSOR_SKEW_MS = 5 * 60_000;
/** Most ids a state file may list per event type or pending batch. */
const MAX_IDS = 100_000;

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function checkProgress(value: unknown, where: string): void {
  if (!isRecord(value)) throw new InvalidStateError(`${where} is not an object`);
  for (const [id, p] of Object.entries(value)) {
    if (!isRecord(p) || !isCount(p.lines) || typeof p.done !== "boolean") {
      throw new InvalidStateError(`${where}.${id} must be {lines: number, done: boolean} with lines a whole number ≥ 0`);
    }
  }
}

function checkIds(value: unknown, where: string): void {
  if (!Array.isArray(value) || value.length > MAX_IDS || !value.every((id) => typeof id === "string" && id !== "")) {
    throw new InvalidStateError(`${where} must be a list of at most ${MAX_IDS} non-empty strings`);
  }
}

/** Checks the shape of a parsed state file and returns it typed. */
export function parseState(value: unknown): CollectorState {
  if (!isRecord(value) || value.version !== 1) throw new InvalidStateError("missing or unsupported `version` (expected 1)");
  for (const key of ["source", "principalId", "stream"] as const) {
    if (typeof value[key] !== "string") throw new InvalidStateError(`\`${key}\` must be a string`);
  }
  if (!isRecord(value.cursors)) throw new InvalidStateError("`cursors` must be an object");
  for (const [type, cursor] of Object.entries(value.cursors)) {
    if (!isRecord(cursor) || typeof cursor.after !== "string" || Number.isNaN(Date.parse(cursor.after))) {
      throw new InvalidStateError(`cursors.${type}.after must be an ISO-8601 time`);
    }
    checkProgress(cursor.files, `cursors.${type}.files`);
    checkIds(cursor.recentIds, `cursors.${type}.recentIds`);
  }
  if (value.pending !== undefined) {
    const p = value.pending;
    if (!isRecord(p) || typeof p.eventType !== "string" || !Array.isArray(p.eventIds)) {
      throw new InvalidStateError("`pending` must be {eventType, eventIds, progress}");
    }
    checkIds(p.eventIds, "pending.eventIds");
    checkProgress(p.progress, "pending.progress");
  }
  return value as unknown as CollectorState;
}

/** Refuses cursors later than `now` (plus clock skew): a cursor in the future would silently skip every event until then. */
export function checkCursorsNotAhead(state: CollectorState, now: Date): void {
  for (const [type, cursor] of Object.entries(state.cursors)) {
    if (Date.parse(cursor.after) > now.getTime() + CURSOR_SKEW_MS) {
      throw new InvalidStateError(`cursors.${type}.after is ${cursor.after}, later than now (${now.toISOString()}): events until then would be skipped`);
    }
  }
}

/** The state kept in a JSON file, replaced atomically on every save. */
export class FileStateStore implements StateStore {
  constructor(readonly file: string) {}

  /** Reads and checks the state (undefined when there is none yet); first removes temp files a killed run left. */
  async load(): Promise<CollectorState | undefined> {
    await removeStaleTemps(this.file);
    let text: string;
    try {
      const info = await stat(this.file);
      if (info.isDirectory()) throw new InvalidStateError("is a directory, not a state file");
      if (!info.isFile()) throw new InvalidStateError("is not a regular file (a device, FIFO or socket), not a state file");
      if (info.size > MAX_STATE_BYTES) throw new InvalidStateError(`is ${info.size} bytes, more than a state file can be (${MAX_STATE_BYTES})`);
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if (error instanceof InvalidStateError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return undefined;
      throw new InvalidStateError(`cannot be read (${code ?? "error"})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InvalidStateError("not valid JSON");
    }
    return parseState(parsed);
  }

  async save(state: CollectorState): Promise<void> {
    await writeFileAtomic(this.file, redact(`${JSON.stringify(state, null, 2)}\n`));
  }
}

/** State held in memory only (no --state given, or a dry run that must not move the real cursor). */
export class MemoryStateStore implements StateStore {
  #state: CollectorState | undefined;
  constructor(initial?: CollectorState) {
    this.#state = initial === undefined ? undefined : structuredClone(initial);
  }
  async load(): Promise<CollectorState | undefined> {
    return this.#state === undefined ? undefined : structuredClone(this.#state);
  }
  async save(state: CollectorState): Promise<void> {
    this.#state = structuredClone(state);
  }
}
