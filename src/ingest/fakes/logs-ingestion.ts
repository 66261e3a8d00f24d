import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";

/** A throwaway self-signed certificate for 127.0.0.1, made with openssl (never committed). */
export interface LoopbackCert {
  cert: string;
  key: string;
}

/** Creates a certificate valid for 127.0.0.1 for one test run. */
export function makeLoopbackCert(): LoopbackCert {
  const dir = mkdtempSync(path.join(tmpdir(), "sc-ingest-cert-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
      { stdio: "ignore" },
    );
    return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A scripted answer for an upload: status and optional Retry-After. */
export interface FakeUploadFault {
  status: number;
  retryAfter?: string;
  /** The error message sent (default "scripted <status>"), e.g. one echoing the request's credentials. */
  message?: string;
}

/** What a test can script and inspect on the fake Logs Ingestion API (and the workspace behind it). */
export interface FakeLogsIngestion {
  /** The DCR logs-ingestion endpoint (https://127.0.0.1:port). */
  endpoint: string;
  /** Rows accepted per stream, in arrival order (the fake workspace); empty when started with `retainRows: false`. */
  accepted: Map<string, Record<string, unknown>[]>;
  /** Rows accepted in all, kept or not. */
  acceptedRows: number;
  /** Faults answered (and consumed) by the next uploads, in order; `undefined` entries mean "accept". */
  uploadFaults: (FakeUploadFault | undefined)[];
  /** Largest accepted request body, after gunzip (the real limit is 1 MB). */
  maxBodyBytes: number;
  /** Every upload attempt: status answered, rows in the body, time received (ms). */
  uploads: { status: number; rows: number; at: number }[];
  /** Log Analytics queries received (the in-doubt check). */
  queries: string[];
  /** Called after an upload's rows are stored and before the 204 is sent (e.g. to kill the client right there). */
  afterStore: ((uploadNo: number) => void) | undefined;
  close(): Promise<void>;
}

/** Starts a fake Logs Ingestion API on https://127.0.0.1 (bearer auth, 1 MB → 413, scripted 429/500) plus a query endpoint. */
export async function startFakeLogsIngestion(input: {
  cert: LoopbackCert;
  token: string;
  dcrImmutableId: string;
  streams: string[];
  /** The raw-row key the workspace stores as the id column (for the query endpoint). */
  idKey?: string;
  /** False to only count accepted rows (benchmarks of large volumes); default true. */
  retainRows?: boolean;
}): Promise<FakeLogsIngestion> {
  const fake: Omit<FakeLogsIngestion, "endpoint" | "close"> = {
    accepted: new Map(input.streams.map((s) => [s, []])),
    acceptedRows: 0,
    uploadFaults: [],
    maxBodyBytes: 1_048_576,
    uploads: [],
    queries: [],
    afterStore: undefined,
  };
  const idKey = input.idKey ?? "event_id";

  function send(res: import("node:http").ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  function answerQuery(body: string, res: import("node:http").ServerResponse): void {
    const query = String((JSON.parse(body) as { query?: unknown }).query ?? "");
    fake.queries.push(query);
    const list = /dynamic\(\[(.*)\]\)/s.exec(query)?.[1] ?? "";
    const wanted = new Set((JSON.parse(`[${list}]`) as string[]).map(String));
    const present = new Set<string>();
    for (const rows of fake.accepted.values()) for (const row of rows) if (wanted.has(String(row[idKey]))) present.add(String(row[idKey]));
    send(res, 200, { tables: [{ name: "PrimaryResult", columns: [{ name: "EventId", type: "string" }], rows: [...present].map((id) => [id]) }] });
  }

  const server = https.createServer({ cert: input.cert.cert, key: input.cert.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "https://127.0.0.1");
      if (req.headers.authorization !== `Bearer ${input.token}`) return send(res, 401, { error: { code: "InvalidToken", message: "bearer token missing or wrong" } });
      const raw = Buffer.concat(chunks);
      if (req.method === "POST" && /^\/v1\/workspaces\/[^/]+\/query$/.test(url.pathname)) return answerQuery(raw.toString("utf8"), res);
      const match = /^\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)$/.exec(url.pathname);
      if (req.method !== "POST" || !match) return send(res, 404, { error: { code: "NotFound", message: `${req.method} ${url.pathname}` } });
      const stream = decodeURIComponent(match[2]!);
      if (match[1] !== input.dcrImmutableId || !fake.accepted.has(stream)) {
        return send(res, 404, { error: { code: "InvalidStream", message: `unknown DCR or stream ${stream}` } });
      }
      if (url.searchParams.get("api-version") !== "2023-01-01") return send(res, 400, { error: { code: "InvalidApiVersion", message: "api-version" } });
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
      const at = Date.now();
      if (raw.length > 1_048_576 || body.length > fake.maxBodyBytes) {
        fake.uploads.push({ status: 413, rows: -1, at });
        return send(res, 413, { error: { code: "ContentLengthLimitExceeded", message: `body of ${body.length} bytes exceeds the limit` } });
      }
      const rows = JSON.parse(body.toString("utf8")) as Record<string, unknown>[];
      const fault = fake.uploadFaults.shift();
      if (fault) {
        fake.uploads.push({ status: fault.status, rows: rows.length, at });
        return send(res, fault.status, { error: { code: "Scripted", message: fault.message ?? `scripted ${fault.status}` } }, fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter });
      }
      if (input.retainRows !== false) fake.accepted.get(stream)!.push(...rows);
      fake.acceptedRows += rows.length;
      fake.uploads.push({ status: 204, rows: rows.length, at });
      fake.afterStore?.(fake.uploads.filter((u) => u.status === 204).length);
      if (!res.destroyed) send(res, 204);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
