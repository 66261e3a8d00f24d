import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * One injected failure: the next `times` requests matching method and path answer with `status`; or, with
 * `dropResponse`, are carried out and then lose their answer (the connection is cut), as a network failure would.
 */
export interface Fault {
  method?: string;
  /** Substring (case-insensitive) of the request path. */
  path: string;
  status: number;
  dropResponse?: boolean;
  retryAfter?: string;
  times: number;
  code?: string;
  /** The error message (default "Injected <status>."), e.g. one echoing the request's credentials. */
  message?: string;
}

/** Options of the loopback ARM emulator. */
export interface EmulatorOptions {
  /** Added to every response (ms). */
  latencyMs?: number;
  /** Items per list page (nextLink beyond). */
  pageSize?: number;
  /** Polls an Azure-AsyncOperation answers InProgress before Succeeded (tables and DCRs). */
  asyncPolls?: number;
  /** The principal recorded in systemData for API writes. */
  caller?: string;
  /** The region a GET of a (not seeded) Log Analytics workspace reports (default westeurope). */
  workspaceLocation?: string;
}

/** A request the emulator saw (for assertions on ordering, headers, bodies). */
export interface SeenRequest {
  method: string;
  path: string;
  apiVersion: string | null;
  ifMatch?: string;
  authorization?: string;
  body?: unknown;
  status: number;
  /** The request was carried out but its answer was cut off (a `dropResponse` fault). */
  dropped?: boolean;
}

interface Stored {
  resource: Record<string, unknown>;
  version: number;
}

/** Resource types whose PUT and DELETE are asynchronous (202 + Azure-AsyncOperation), as ARM does for them. */
const ASYNC_TYPES = ["/tables/", "/datacollectionrules/"];
/** Sentinel resources: updating an existing one without an etag is a 409 conflict. */
const ETAG_REQUIRED = ["/microsoft.securityinsights/"];

/**
 * A loopback-only fake of Azure Resource Manager for the resource types deploy uses: PUT/GET/LIST/DELETE with
 * etags (412 on mismatch, 409 for Sentinel updates without one, 409 on duplicate function aliases), paging,
 * 202 + Azure-AsyncOperation for tables and DCRs, injected 429/5xx faults and ARM-shaped error bodies.
 */
export class ArmEmulator {
  readonly seen: SeenRequest[] = [];
  readonly faults: Fault[] = [];
  private readonly store = new Map<string, Stored>();
  private readonly operations = new Map<string, number>();
  private server: http.Server | undefined;
  private etagCounter = 0;
  private operationCounter = 0;
  endpoint = "";

  constructor(private readonly options: EmulatorOptions = {}) {}

  /** Starts listening on 127.0.0.1 (random port) and returns the endpoint URL. */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let text = "";
      req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      req.on("end", () => {
        const reply = () => this.handle(req, text, res);
        if (this.options.latencyMs) setTimeout(reply, this.options.latencyMs);
        else reply();
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The stored resource (as GET would return it, without write-only fields). */
  resource(resourceId: string): Record<string, unknown> | undefined {
    return this.store.get(resourceId.toLowerCase())?.resource;
  }

  /** Every stored resource id. */
  resourceIds(): string[] {
    return [...this.store.values()].map((s) => String(s.resource["id"]));
  }

  /** Simulates a portal edit: mutates the stored resource, bumps its etag, records who and when. */
  edit(resourceId: string, mutate: (resource: Record<string, unknown>) => void, by = "analyst@contoso.com", at = "2026-11-24T10:00:00Z"): void {
    const stored = this.store.get(resourceId.toLowerCase());
    if (!stored) throw new Error(`no resource ${resourceId}`);
    mutate(stored.resource);
    this.stamp(stored, by, at);
  }

  /** Seeds a resource as if created elsewhere (e.g. in the portal). */
  seed(resourceId: string, body: Record<string, unknown>, by = "analyst@contoso.com"): void {
    const stored: Stored = { resource: { ...structuredClone(body), id: resourceId, name: resourceId.split("/").at(-1) }, version: 0 };
    this.store.set(resourceId.toLowerCase(), stored);
    this.stamp(stored, by, "2026-11-20T09:00:00Z");
  }

  private stamp(stored: Stored, by: string, at: string): void {
    stored.version++;
    stored.resource["etag"] = `W/"${++this.etagCounter}"`;
    const created = (stored.resource["systemData"] as Record<string, unknown> | undefined) ?? { createdBy: by, createdByType: "User", createdAt: at };
    stored.resource["systemData"] = { ...created, lastModifiedBy: by, lastModifiedByType: "User", lastModifiedAt: at };
    if (String(stored.resource["id"]).toLowerCase().includes("/alertrules/")) {
      (stored.resource["properties"] as Record<string, unknown>)["lastModifiedUtc"] = at;
    }
  }

  private handle(req: http.IncomingMessage, text: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const record = (status: number, body?: unknown) => {
      const seen: SeenRequest = { method, path: url.pathname, apiVersion: url.searchParams.get("api-version"), status };
      if (typeof req.headers["if-match"] === "string") seen.ifMatch = req.headers["if-match"];
      if (typeof req.headers.authorization === "string") seen.authorization = req.headers.authorization;
      if (body !== undefined) seen.body = body;
      if (dropping) seen.dropped = true;
      this.seen.push(seen);
    };
    let dropping = false;
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      if (dropping) return void req.socket.destroy();
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    const fail = (status: number, code: string, message: string, headers: Record<string, string> = {}) => send(status, { error: { code, message } }, headers);
    let parsed: unknown;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        record(400);
        return fail(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
      }
    }
    const fault = this.faults.find((f) => f.times > 0 && (!f.method || f.method === method) && url.pathname.toLowerCase().includes(f.path.toLowerCase()));
    if (fault?.dropResponse) {
      fault.times--;
      dropping = true;
    } else if (fault) {
      fault.times--;
      record(fault.status, parsed);
      return fail(fault.status, fault.code ?? (fault.status === 429 ? "TooManyRequests" : "InternalServerError"), fault.message ?? `Injected ${fault.status}.`, fault.retryAfter ? { "retry-after": fault.retryAfter } : {});
    }
    if (!req.headers.authorization?.startsWith("Bearer ")) {
      record(401, parsed);
      return fail(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    }
    if (url.pathname.startsWith("/operations/")) {
      record(200);
      return this.operationStatus(url.pathname, send);
    }
    if (!url.searchParams.get("api-version")) {
      record(400, parsed);
      return fail(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    }
    const id = url.pathname.replace(/\/$/, "");
    switch (method) {
      case "PUT":
        return this.put(id, parsed, req.headers["if-match"], record, send, fail);
      case "GET":
        return this.get(id, url, record, send, fail);
      case "DELETE":
        return this.remove(id, record, send);
      default:
        record(405);
        return fail(405, "MethodNotAllowed", `${method} is not supported.`);
    }
  }

  private put(id: string, body: unknown, ifMatch: string | undefined, record: (s: number, b?: unknown) => void, send: (s: number, b?: unknown, h?: Record<string, string>) => void, fail: (s: number, c: string, m: string) => void): void {
    const key = id.toLowerCase();
    const existing = this.store.get(key);
    const input = (body ?? {}) as Record<string, unknown>;
    const etag = ifMatch ?? (typeof input["etag"] === "string" ? input["etag"] : undefined);
    if (typeof input["properties"] !== "object" || input["properties"] === null) {
      record(400, body);
      return fail(400, "BadRequest", "The request body must contain a 'properties' object.");
    }
    if (etag && etag !== "*" && existing?.resource["etag"] !== etag) {
      record(412, body);
      return fail(412, "PreconditionFailed", `The etag ${etag} does not match the current etag of the resource.`);
    }
    if (existing && !etag && ETAG_REQUIRED.some((t) => key.includes(t))) {
      record(409, body);
      return fail(409, "Conflict", "Resource already exists: an etag is required to update it (Sentinel resources use optimistic concurrency).");
    }
    const alias = (input["properties"] as Record<string, unknown>)["functionAlias"];
    if (typeof alias === "string" && key.includes("/savedsearches/")) {
      const clash = [...this.store.entries()].find(([k, s]) => k !== key && k.startsWith(key.slice(0, key.lastIndexOf("/"))) && (s.resource["properties"] as Record<string, unknown>)["functionAlias"] === alias);
      if (clash) {
        record(409, body);
        return fail(409, "Conflict", `A function with alias '${alias}' already exists in this workspace.`);
      }
    }
    const resource = structuredClone(input);
    delete resource["etag"];
    resource["id"] = id;
    resource["name"] = id.split("/").at(-1);
    resource["type"] = typeOf(id);
    const properties = resource["properties"] as Record<string, unknown>;
    if (key.includes("/watchlists/")) delete properties["rawContent"];
    if (key.includes("/workbooks/") || key.includes("/savedsearches/")) delete properties["eTag"];
    const stored: Stored = { resource, version: existing?.version ?? 0 };
    if (existing?.resource["systemData"]) resource["systemData"] = existing.resource["systemData"];
    this.store.set(key, stored);
    this.stamp(stored, this.options.caller ?? "deploy-principal", new Date(Date.UTC(2026, 10, 25, 0, 0, stored.version)).toISOString());
    if (ASYNC_TYPES.some((t) => key.includes(t))) {
      properties["provisioningState"] = "Succeeded";
      record(202, body);
      return send(202, undefined, this.startOperation());
    }
    record(existing ? 200 : 201, body);
    return send(existing ? 200 : 201, resource);
  }

  private get(id: string, url: URL, record: (s: number, b?: unknown) => void, send: (s: number, b?: unknown) => void, fail: (s: number, c: string, m: string) => void): void {
    const stored = this.store.get(id.toLowerCase());
    if (stored) {
      record(200);
      return send(200, stored.resource);
    }
    if (isWorkspace(id)) {
      record(200);
      return send(200, { id, name: id.split("/").at(-1), type: "Microsoft.OperationalInsights/workspaces", location: this.options.workspaceLocation ?? "westeurope", properties: { provisioningState: "Succeeded" } });
    }
    if (isCollection(id)) {
      const prefix = `${id.toLowerCase()}/`;
      let items = [...this.store.entries()].filter(([k]) => k.startsWith(prefix) && !k.slice(prefix.length).includes("/")).map(([, s]) => s.resource);
      items.sort((a, b) => String(a["id"]).localeCompare(String(b["id"])));
      if (id.toLowerCase().endsWith("/workbooks")) {
        const category = url.searchParams.get("category");
        if (!category) {
          record(400);
          return fail(400, "BadRequest", "The 'category' query parameter is required when listing workbooks.");
        }
        items = items.filter((w) => (w["properties"] as Record<string, unknown>)["category"] === category);
        if (url.searchParams.get("canFetchContent") !== "true") items = items.map((w) => ({ ...w, properties: { ...(w["properties"] as object), serializedData: null } }));
      }
      const skip = Number(url.searchParams.get("$skipToken") ?? 0);
      const size = this.options.pageSize ?? 50;
      const page: Record<string, unknown> = { value: items.slice(skip, skip + size) };
      if (skip + size < items.length) {
        const next = new URL(url.toString());
        next.searchParams.set("$skipToken", String(skip + size));
        page["nextLink"] = `${this.endpoint}${next.pathname}${next.search}`;
      }
      record(200);
      return send(200, page);
    }
    record(404);
    return fail(404, "ResourceNotFound", `The Resource '${id}' was not found.`);
  }

  private remove(id: string, record: (s: number) => void, send: (s: number, b?: unknown, h?: Record<string, string>) => void): void {
    const key = id.toLowerCase();
    if (!this.store.delete(key)) {
      record(204);
      return send(204);
    }
    if (ASYNC_TYPES.some((t) => key.includes(t))) {
      record(202);
      return send(202, undefined, this.startOperation());
    }
    record(200);
    return send(200);
  }

  /** Registers an asynchronous operation (InProgress for `asyncPolls` polls) and returns the 202's headers. */
  private startOperation(): Record<string, string> {
    const operation = `/operations/op${++this.operationCounter}`;
    this.operations.set(operation, this.options.asyncPolls ?? 1);
    return { "azure-asyncoperation": `${this.endpoint}${operation}`, "retry-after": "0" };
  }

  private operationStatus(path: string, send: (s: number, b?: unknown) => void): void {
    const remaining = this.operations.get(path);
    if (remaining === undefined) return send(404, { error: { code: "NotFound", message: "Unknown operation." } });
    if (remaining > 0) {
      this.operations.set(path, remaining - 1);
      return send(200, { status: "InProgress" });
    }
    return send(200, { status: "Succeeded" });
  }
}

const COLLECTIONS = ["alertrules", "watchlists", "watchlistitems", "savedsearches", "tables", "datacollectionrules", "workbooks"];

function isCollection(id: string): boolean {
  return COLLECTIONS.includes((id.split("/").at(-1) ?? "").toLowerCase());
}

/** A Log Analytics workspace itself: every workspace the emulator's resources live in exists, in `workspaceLocation`. */
function isWorkspace(id: string): boolean {
  return /\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i.test(id);
}

function typeOf(id: string): string {
  const lower = id.toLowerCase();
  if (lower.includes("/alertrules/")) return "Microsoft.SecurityInsights/alertRules";
  if (lower.includes("/watchlists/")) return "Microsoft.SecurityInsights/watchlists";
  if (lower.includes("/savedsearches/")) return "Microsoft.OperationalInsights/workspaces/savedSearches";
  if (lower.includes("/tables/")) return "Microsoft.OperationalInsights/workspaces/tables";
  if (lower.includes("/datacollectionrules/")) return "Microsoft.Insights/dataCollectionRules";
  return "Microsoft.Insights/workbooks";
}
