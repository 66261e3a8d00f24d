import type { TokenCredential } from "@azure/core-auth";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
} from "@azure/core-rest-pipeline";
import { registeringTokens } from "../diagnostics/redact.ts";
import { ArmError, armErrorOf } from "./arm-error.ts";

/** The management scope tokens are requested for. */
export const ARM_SCOPE = "https://management.azure.com/.default";

/** A resource as ARM returns it. */
export type ArmResource = Record<string, unknown>;

/** The calls deploy needs, so plan and apply can run against the real ARM or the loopback emulator alike. */
export interface ArmClient {
  /** GET a resource; undefined on 404. */
  get(resourceId: string, apiVersion: string, query?: Record<string, string>): Promise<ArmResource | undefined>;
  /** GET a collection, following nextLink; an empty list when the collection does not exist (404). */
  list(collectionId: string, apiVersion: string, query?: Record<string, string>): Promise<ArmResource[]>;
  /** PUT a resource (If-Match when an etag is given), waiting for Azure-AsyncOperation to finish; returns the resource. */
  put(resourceId: string, apiVersion: string, body: unknown, etag?: string): Promise<ArmResource>;
  /** DELETE a resource, waiting for an asynchronous delete; a missing resource is not an error. */
  delete(resourceId: string, apiVersion: string): Promise<void>;
  /** How many HTTP requests were sent (retries and polls included). */
  readonly requestCount: number;
}

/** Options of the real client. */
export interface ArmClientOptions {
  credential: TokenCredential;
  /** Default https://management.azure.com. */
  endpoint?: string;
  /** Tests only: plain http to 127.0.0.1/localhost with the token attached by a loopback-guarded policy. */
  insecureLoopback?: boolean;
  /** Attempts per request for 429, 5xx and network errors (default 5). */
  maxAttempts?: number;
  /** First backoff in ms (default 1000), doubled per attempt, capped at 30 s; Retry-After wins when given. */
  baseDelayMs?: number;
  /** Longest wait a Retry-After may ask for, on retries and polls (default MAX_RETRY_AFTER_MS): a larger value is cut to it. */
  maxRetryAfterMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Interval between Azure-AsyncOperation polls when the service gives no Retry-After (default 2000 ms). */
  pollIntervalMs?: number;
  /** Give up polling after this long (default 10 minutes). */
  pollTimeoutMs?: number;
  /** Sent as the user agent suffix. */
  userAgent?: string;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const RETRIED = new Set([408, 429, 500, 502, 503, 504]);

/** Default cap of one Retry-After wait (60 s): a server asking for an hour gets a retry after a minute, within the attempt budget. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Builds the thin ARM client on @azure/core-rest-pipeline (bearer token policy; the token is never logged). */
export function createArmClient(options: ArmClientOptions): ArmClient {
  const endpoint = (options.endpoint ?? "https://management.azure.com").replace(/\/$/, "");
  const pipeline = createEmptyPipeline();
  const credential = registeringTokens(options.credential);
  pipeline.addPolicy(options.insecureLoopback ? loopbackAuthPolicy(credential) : bearerTokenAuthenticationPolicy({ credential, scopes: ARM_SCOPE }));
  return new RestArmClient(endpoint, pipeline, createDefaultHttpClient(), options);
}

/** True for the hosts the loopback emulator may run on (127.0.0.1, localhost): the only ones plain http is sent to. */
export function isLoopbackHost(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost";
}

/** Test-only auth policy: refuses anything but loopback hosts, then allows http and attaches the token. */
function loopbackAuthPolicy(credential: TokenCredential): PipelinePolicy {
  return {
    name: "loopbackAuth",
    async sendRequest(request, next) {
      if (!isLoopbackHost(request.url)) throw new Error(`insecureLoopback refuses non-loopback host ${new URL(request.url).hostname}`);
      request.allowInsecureConnection = true;
      const token = await credential.getToken(ARM_SCOPE);
      if (!token) throw new Error("the credential returned no token");
      request.headers.set("authorization", `Bearer ${token.token}`);
      return next(request);
    },
  };
}

class RestArmClient implements ArmClient {
  requestCount = 0;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly endpoint: string,
    private readonly pipeline: Pipeline,
    private readonly httpClient: HttpClient,
    private readonly options: ArmClientOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async get(resourceId: string, apiVersion: string, query: Record<string, string> = {}): Promise<ArmResource | undefined> {
    const response = await this.send("GET", this.url(resourceId, apiVersion, query));
    if (response.status === 404) return undefined;
    this.check(response, "GET", resourceId);
    return parseJson(response.text);
  }

  async list(collectionId: string, apiVersion: string, query: Record<string, string> = {}): Promise<ArmResource[]> {
    const items: ArmResource[] = [];
    let url: string | undefined = this.url(collectionId, apiVersion, query);
    while (url) {
      const response = await this.send("GET", url);
      if (response.status === 404) return items;
      this.check(response, "GET", collectionId);
      const page = parseJson(response.text);
      if (Array.isArray(page["value"])) items.push(...(page["value"] as ArmResource[]));
      url = typeof page["nextLink"] === "string" && page["nextLink"] ? this.absolute(page["nextLink"]) : undefined;
    }
    return items;
  }

  async put(resourceId: string, apiVersion: string, body: unknown, etag?: string): Promise<ArmResource> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (etag) headers["if-match"] = etag;
    const response = await this.send("PUT", this.url(resourceId, apiVersion), JSON.stringify(body), headers);
    this.check(response, "PUT", resourceId);
    const operation = response.headers["azure-asyncoperation"];
    if (operation && (response.status === 201 || response.status === 202)) {
      await this.poll(operation, response.headers["retry-after"], "PUT", resourceId);
      return (await this.get(resourceId, apiVersion)) ?? {};
    }
    return response.text ? parseJson(response.text) : {};
  }

  async delete(resourceId: string, apiVersion: string): Promise<void> {
    const response = await this.send("DELETE", this.url(resourceId, apiVersion));
    if (response.status === 404 || response.status === 204) return;
    this.check(response, "DELETE", resourceId);
    const operation = response.headers["azure-asyncoperation"] ?? response.headers["location"];
    if (response.status === 202 && operation) await this.poll(operation, response.headers["retry-after"], "DELETE", resourceId);
  }

  private async poll(operationUrl: string, retryAfter: string | undefined, method: string, resourceId: string): Promise<void> {
    const deadline = Date.now() + (this.options.pollTimeoutMs ?? 600_000);
    let wait = this.retryAfter(retryAfter) ?? this.options.pollIntervalMs ?? 2000;
    for (;;) {
      await this.sleep(wait);
      const response = await this.send("GET", this.absolute(operationUrl));
      this.check(response, method, resourceId);
      const status = String(parseJson(response.text || "{}")["status"] ?? (response.status === 200 ? "Succeeded" : "InProgress"));
      if (/^succeeded$/i.test(status)) return;
      if (/^(failed|canceled|cancelled)$/i.test(status)) {
        const error = (parseJson(response.text)["error"] ?? {}) as Record<string, unknown>;
        throw new ArmError(response.status, String(error["code"] ?? status), String(error["message"] ?? `the asynchronous operation ended ${status}`), method, resourceId);
      }
      if (Date.now() > deadline) throw new ArmError(0, "PollTimeout", "the asynchronous operation did not finish in time", method, resourceId);
      wait = this.retryAfter(response.headers["retry-after"]) ?? this.options.pollIntervalMs ?? 2000;
    }
  }

  /** Sends with retries: 408/429/5xx and network errors, honouring Retry-After, else exponential backoff. */
  private async send(method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    const attempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      let response: RawResponse | undefined;
      let failure: unknown;
      try {
        response = await this.sendOnce(method, url, body, headers);
      } catch (error) {
        failure = error;
      }
      const retriable = failure !== undefined || (response !== undefined && RETRIED.has(response.status));
      if (!retriable || attempt >= attempts) {
        if (response) return response;
        throw new ArmError(0, "NetworkError", failure instanceof Error ? failure.message : String(failure), method, redactUrl(url));
      }
      const backoff = Math.min(30_000, (this.options.baseDelayMs ?? 1000) * 2 ** (attempt - 1));
      await this.sleep(this.retryAfter(response?.headers["retry-after"]) ?? backoff);
    }
  }

  /** A Retry-After header in ms, capped at maxRetryAfterMs. */
  private retryAfter(value: string | undefined): number | undefined {
    const ms = retryAfterMs(value);
    return ms === undefined ? undefined : Math.min(ms, this.options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS);
  }

  private async sendOnce(method: string, url: string, body: string | undefined, headers: Record<string, string>): Promise<RawResponse> {
    this.requestCount++;
    const request = createPipelineRequest({ url, method: method as "GET", headers: createHttpHeaders({ accept: "application/json", ...headers }), ...(body === undefined ? {} : { body }) });
    if (this.options.userAgent) request.headers.set("user-agent", this.options.userAgent);
    const response = await this.pipeline.sendRequest(this.httpClient, request);
    return { status: response.status, headers: response.headers.toJSON(), text: response.bodyAsText ?? "" };
  }

  private check(response: RawResponse, method: string, resourceId: string): void {
    if (response.status >= 400) throw armErrorOf(response.status, response.text, method, resourceId);
  }

  private url(resourceId: string, apiVersion: string, query: Record<string, string> = {}): string {
    const params = new URLSearchParams({ "api-version": apiVersion, ...query });
    return `${this.endpoint}${resourceId}?${params.toString()}`;
  }

  private absolute(link: string): string {
    return /^https?:\/\//.test(link) ? link : `${this.endpoint}${link}`;
  }
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseJson(text: string): ArmResource {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === "object" ? (value as ArmResource) : {};
  } catch {
    return {};
  }
}

function redactUrl(url: string): string {
  return url.replace(/\?.*$/, "");
}
