import http from "node:http";
import type { AddressInfo } from "node:net";
import { setImmediate as nextTurn } from "node:timers/promises";

/** One log file the fake platform holds: its event type, end time and JSONL lines. */
export interface FakeLogFile {
  id: string;
  eventType: string;
  /** ISO-8601 end of the time range the file covers (the listing's cursor). */
  endTime: string;
  lines: string[];
  /** Raw body chunks, made afresh for each download, served instead of `lines` (large generated files, odd bytes). */
  body?: () => Iterable<Uint8Array>;
  /** Serve the body in chunks of this many bytes, each written and flushed on its own. */
  chunkBytes?: number;
}

/** A scripted answer that replaces the normal one for a request. */
export interface FakeFault {
  status: number;
  retryAfter?: string;
  body?: string;
}

/** What a test can script and inspect on the fake Compliance Logs Platform. */
export interface FakeCompliancePlatform {
  /** Base URL to pass as the client's baseUrl (…/v1/compliance). */
  baseUrl: string;
  files: FakeLogFile[];
  /** Faults returned (and consumed) by the next listing requests, in order. */
  listFaults: FakeFault[];
  /** Faults returned (and consumed) by the next download (redirect) requests, in order. */
  downloadFaults: FakeFault[];
  /** File ids whose next signed-URL download is cut off half-way (the socket is destroyed); consumed once each. */
  dropMidDownload: Set<string>;
  /** File ids whose next signed-URL download sends half the body and then nothing more; consumed once each. */
  stallMidDownload: Set<string>;
  /** Every request seen: method, path with query, and whether it carried an Authorization header. */
  requests: { path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** A fake file's lines, each ending in LF, as one buffer. */
function linesBody(file: FakeLogFile): Buffer {
  return Buffer.from(file.lines.map((l) => `${l}\n`).join(""), "utf8");
}

/** The body of a fake file as chunks: its own `body`, or its lines each ending in LF, cut to `chunkBytes` when set. */
function* bodyChunks(file: FakeLogFile): Generator<Uint8Array> {
  const chunks = file.body?.() ?? [linesBody(file)];
  const size = file.chunkBytes;
  for (const chunk of chunks) {
    if (size === undefined) yield chunk;
    else for (let i = 0; i < chunk.length; i += size) yield chunk.subarray(i, i + size);
  }
}

/** Starts a fake of the Compliance Logs Platform on 127.0.0.1 (list with after/has_more/last_end_time, 307 to a download URL). */
export async function startFakeCompliancePlatform(input: { principalId: string; key: string; files?: FakeLogFile[] }): Promise<FakeCompliancePlatform> {
  const fake: Omit<FakeCompliancePlatform, "baseUrl" | "close"> = {
    files: input.files ?? [],
    listFaults: [],
    downloadFaults: [],
    dropMidDownload: new Set(),
    stallMidDownload: new Set(),
    requests: [],
  };
  const principalPrefix = `/v1/compliance/${input.principalId.startsWith("org-") ? "organizations" : "workspaces"}/${input.principalId}/logs`;

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  }

  function sendFault(res: http.ServerResponse, fault: FakeFault): void {
    const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter };
    send(res, fault.status, fault.body ?? { error: { message: `scripted ${fault.status}` } }, headers);
  }

  function listPage(url: URL, res: http.ServerResponse): void {
    const eventType = url.searchParams.get("event_type") ?? "";
    const limit = Number(url.searchParams.get("limit") ?? "100");
    const afterText = url.searchParams.get("after");
    const after = afterText === null ? Number.NEGATIVE_INFINITY : Date.parse(afterText);
    if (Number.isNaN(after)) return send(res, 400, { error: { message: "after must be an ISO-8601 time" } });
    const ofType = fake.files.filter((f) => f.eventType === eventType).sort((a, b) => Date.parse(a.endTime) - Date.parse(b.endTime));
    // `after` is inclusive: the file ending exactly at the cursor (the boundary record) is listed again.
    const boundary = ofType.filter((f) => Date.parse(f.endTime) === after);
    const newer = ofType.filter((f) => Date.parse(f.endTime) > after);
    const page = [...boundary, ...newer.slice(0, limit)];
    const last = page.at(-1);
    send(res, 200, {
      data: page.map((f) => ({ id: f.id, event_type: f.eventType, end_time: f.endTime })),
      has_more: newer.length > limit,
      last_end_time: last === undefined ? null : last.endTime,
    });
  }

  async function serveFile(file: FakeLogFile, res: http.ServerResponse): Promise<void> {
    if (file.body === undefined && (fake.dropMidDownload.has(file.id) || fake.stallMidDownload.has(file.id))) {
      const body = linesBody(file);
      res.writeHead(200, { "content-type": "application/jsonl", "content-length": String(body.length) });
      const half = body.subarray(0, Math.floor(body.length / 2));
      if (fake.dropMidDownload.delete(file.id)) res.write(half, () => res.destroy());
      else if (fake.stallMidDownload.delete(file.id)) res.write(half);
      return;
    }
    res.writeHead(200, { "content-type": "application/jsonl" });
    for (const chunk of bodyChunks(file)) {
      if (res.destroyed) return;
      if (file.chunkBytes !== undefined) {
        // One write per chunk, flushed before the next, so the client reads them one by one.
        await new Promise<void>((resolve, reject) => res.write(chunk, (error) => (error ? reject(error) : resolve())));
        await nextTurn();
      } else if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.on("drain", done);
          res.on("close", done);
        });
      }
    }
    res.end();
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const authorization = req.headers.authorization;
    fake.requests.push({ path: `${url.pathname}${url.search}`, authorization });
    if (url.pathname.startsWith("/signed/")) {
      const file = fake.files.find((f) => f.id === decodeURIComponent(url.pathname.slice("/signed/".length)));
      if (!file) return send(res, 404, { error: { message: "no such download" } });
      serveFile(file, res).catch(() => res.destroy());
      return;
    }
    if (!url.pathname.startsWith(principalPrefix)) return send(res, 404, { error: { message: "unknown principal" } });
    if (authorization !== `Bearer ${input.key}`) {
      // Echo the header like a careless server would: the client must scrub it from its messages.
      return send(res, 401, { error: { message: `invalid credentials: ${authorization ?? "none"}` } });
    }
    const rest = url.pathname.slice(principalPrefix.length);
    if (rest === "" || rest === "/") {
      const fault = fake.listFaults.shift();
      return fault ? sendFault(res, fault) : listPage(url, res);
    }
    const fileId = decodeURIComponent(rest.slice(1));
    const fault = fake.downloadFaults.shift();
    if (fault) return sendFault(res, fault);
    if (!fake.files.some((f) => f.id === fileId)) return send(res, 404, { error: { message: "no such log file" } });
    res.writeHead(307, { location: `/signed/${encodeURIComponent(fileId)}?sig=fake-signature` });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}/v1/compliance`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
