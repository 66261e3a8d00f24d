// Seeded generator of raw vendor logs for replay and its benchmark: a week (by default) of a 5,000-user organisation,
// about 2 million events at scale 1, in each source's own raw form, with planted attack stories.
//
//   npx tsx scripts/generate-raw-logs.ts --out /tmp/raw --seed 1 --scale 1 --days 7
//
// Output (JSON Lines, one event per line, time-ordered within a file; same seed and options give the same bytes):
//   azure-activity/AzureActivity-<day>.jsonl        AzureActivity rows as Log Analytics exports them (the table's
//       columns; an operation writes a Start row with the request and a Success row with the outcome). Shape as the
//       repository's fixtures (analytics-rules/azure-activity/fixtures/) and profiles/AzureActivity.yaml, after
//       https://learn.microsoft.com/azure/azure-monitor/reference/tables/azureactivity
//   azure-diagnostics/AzureDiagnostics-<day>.jsonl  Microsoft.CognitiveServices RequestResponse rows (masked caller
//       /24, properties_s JSON text), as profiles/AzureDiagnostics.yaml and
//       https://learn.microsoft.com/azure/ai-services/openai/how-to/monitor-openai describe them
//   chatgpt-compliance/<TYPE>-<day>.jsonl           ChatGPT Enterprise Compliance Logs Platform files, one per event
//       type and day (envelope: event_id, type, timestamp, principal, actor, ...), as profiles/ChatGPTComplianceLogs.yaml
//       and ingestion/chatgpt/samples/ (after the OpenAI cookbook and Elastic's integration fixtures)
//   openai-audit-logs/audit-logs.jsonl              OpenAI organization audit-log objects as GET
//       /v1/organization/audit_logs returns them in `data` (id, type, effective_at, actor, project, <type> payload),
//       as profiles/OpenAIAuditLogs_CL.yaml and ingestion/openai/samples/audit-logs.jsonl
//   manifest.json                                   options, range, per-file counts, the planted stories and a hash of
//       this script: removed before the logs are written and written last (atomically), so a manifest always
//       describes complete logs of this generator
//
// Planted stories (on the last day that still leaves three days of baseline): an Azure OpenAI key used from a new
// network, AI account keys listed by a caller that never listed them, and a ChatGPT bulk paste.
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, mkdirSync, readFileSync, rmSync, type WriteStream } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeFileAtomicSync } from "../src/files/write-atomic.ts";

/** What to generate. */
export interface GenerateOptions {
  out: string;
  seed: number;
  /** Volume factor: 1 is a 5,000-user organisation (about 2 million events a week); users and apps scale with it. */
  scale: number;
  days: number;
  /** First instant (ISO, UTC midnight); default 2026-11-16T00:00:00Z, a Monday. */
  start?: string;
}

/** One written file. */
export interface GeneratedFile {
  file: string;
  source: "AzureActivity" | "AzureDiagnostics" | "ChatGPTComplianceLogs" | "OpenAIAuditLogs_CL";
  events: number;
  bytes: number;
}

/** An attack planted in the data, with where and when. */
export interface PlantedStory {
  story: string;
  useCase: string;
  at: string;
  detail: string;
}

/** What was written. */
export interface GenerateSummary {
  from: string;
  to: string;
  files: GeneratedFile[];
  events: number;
  bytes: number;
  stories: PlantedStory[];
}

/** What manifest.json holds: the options, what was written, and the generator that wrote it. */
export interface GenerateManifest extends GenerateSummary {
  seed: number;
  scale: number;
  days: number;
  /** generatorHash() of the script that wrote the logs: another version may write other bytes. */
  generator: string;
}

/** The SHA-256 of this script's source: the generator's version, recorded in the manifest. */
export function generatorHash(): string {
  return createHash("sha256").update(readFileSync(fileURLToPath(import.meta.url))).digest("hex");
}

const DEFAULT_START = "2026-11-16T00:00:00Z";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Events of a week at scale 1, per source (about 2 million in all). */
const WEEKLY = { aoaiCalls: 1_350_000, chatgptMessages: 640_000, armOperations: 24_000, openaiEvents: 3_000 };
const USERS_PER_SCALE = 5_000;
const TENANT = "b3c1e0a4-5d2f-4e7a-9c18-6f0d2a4b8e31";
const AAD_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SUBSCRIPTION = "12cabcb4-86e8-404f-a3d2-1dc9982f45ca";
const WORKSPACE = "be545252-ad04-4cfa-9ca5-deca58416151";

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness

/** A small seeded generator (sfc32), one stream per source so sources do not shift each other. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: string) {
    let h = 1779033703 ^ stream.length;
    const mix = (text: string) => {
      for (let i = 0; i < text.length; i++) {
        h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
        h = (h << 13) | (h >>> 19);
      }
    };
    mix(`${seed}:${stream}`);
    const next = () => {
      h = Math.imul(h ^ (h >>> 16), 2246822507);
      h = Math.imul(h ^ (h >>> 13), 3266489909);
      return (h ^= h >>> 16) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A count with the given mean (Poisson below 30, normal approximation above). */
  count(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gauss()));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.next(); p > limit && k < 200; p *= this.next()) k++;
    return k;
  }

  gauss(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, "0");
    return out.slice(0, length);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[this.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  token(length: number): string {
    const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let out = "";
    for (let i = 0; i < length; i++) out += chars[this.int(chars.length)];
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The organisation

interface Place {
  country: string;
  city: string;
  region: string;
  regionCode: string;
  asn: string;
  lat: string;
  lon: string;
  /** First two octets of the place's networks. */
  net: string;
}

/** Where users sit: documentation-style networks with the geo fields the compliance platform reports. */
const PLACES: readonly Place[] = [
  { country: "US", city: "Seattle", region: "Washington", regionCode: "WA", asn: "AS7922", lat: "47.60620", lon: "-122.33210", net: "73.97" },
  { country: "US", city: "New York", region: "New York", regionCode: "NY", asn: "AS701", lat: "40.71280", lon: "-74.00600", net: "98.116" },
  { country: "GB", city: "London", region: "England", regionCode: "ENG", asn: "AS2856", lat: "51.50853", lon: "-0.12574", net: "81.2" },
  { country: "SE", city: "Linkoping", region: "Ostergotland", regionCode: "E", asn: "AS29518", lat: "58.41670", lon: "15.61670", net: "89.160" },
  { country: "DE", city: "Berlin", region: "Land Berlin", regionCode: "BE", asn: "AS3320", lat: "52.52440", lon: "13.41050", net: "91.64" },
  { country: "IN", city: "Bengaluru", region: "Karnataka", regionCode: "KA", asn: "AS24560", lat: "12.97160", lon: "77.59460", net: "49.207" },
];
const FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yara"];
const LAST = ["martin", "lee", "nguyen", "smith", "garcia", "kim", "patel", "muller", "johansson", "brown", "silva", "kowalski", "rossi", "tanaka", "okafor", "dubois"];
const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
];
const WORDS = "the a report draft summarize review customer quarterly revenue code function error please explain table data email plan meeting notes contract risk policy test deploy budget forecast translate".split(" ");

interface User {
  email: string;
  id: string;
  oid: string;
  place: Place;
  ip: string;
  /** Chance of being active on a working day. */
  activity: number;
}

interface Account {
  name: string;
  resourceGroup: string;
  location: string;
}

interface App {
  account: Account;
  auth: "key" | "entra";
  /** The masked caller (a.b.c.***). */
  caller: string;
  oid: string;
  deployment: string;
  model: string;
  modelVersion: string;
  weight: number;
}

interface Org {
  users: User[];
  admins: User[];
  developers: User[];
  accounts: Account[];
  apps: App[];
  pipelineSpn: string;
  spns: string[];
}

const ACCOUNT_NAMES = ["PROD-AOAI", "HR-COPILOT-AOAI", "FIN-GPT-EU", "OBS-OPENAI-TEST-01", "SUPPORT-BOT-AOAI", "DOCS-SEARCH-AOAI", "SALES-ASSIST-AOAI", "DEV-SANDBOX-AOAI"];
const MODELS = [
  { deployment: "gpt-chat-pilot", model: "gpt-4o", version: "2024-11-20" },
  { deployment: "gpt-4o-mini", model: "gpt-4o-mini", version: "2024-07-18" },
  { deployment: "embed-large", model: "text-embedding-3-large", version: "1" },
];
const APP_NETS = ["20.51.7", "20.62.134", "40.112.58", "52.160.4", "13.84.40", "20.119.16", "51.105.72", "4.207.96"];

function buildOrg(seed: number, scale: number): Org {
  const rng = new Rng(seed, "org");
  const count = Math.max(20, Math.round(USERS_PER_SCALE * scale));
  const seen = new Set<string>();
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    let email = `${rng.pick(FIRST)}.${rng.pick(LAST)}@contoso.com`;
    if (seen.has(email)) email = email.replace("@", `${i}@`);
    seen.add(email);
    const place = PLACES[i % PLACES.length]!;
    users.push({ email, id: `user-${rng.token(16)}`, oid: rng.uuid(), place, ip: `${place.net}.${1 + rng.int(250)}.${1 + rng.int(250)}`, activity: 0.6 + rng.next() * 0.4 });
  }
  const accountCount = Math.max(ACCOUNT_NAMES.length, Math.round(ACCOUNT_NAMES.length * scale));
  const accounts: Account[] = Array.from({ length: accountCount }, (_, i) => ({
    name: ACCOUNT_NAMES[i] ?? `APP${i}-AOAI`,
    resourceGroup: i % 2 === 0 ? "OBS-OPENAI-SERVICE-RS" : "AI-APPS-RG",
    location: i % 3 === 2 ? "swedencentral" : "eastus",
  }));
  const apps: App[] = accounts.flatMap((account, a) =>
    Array.from({ length: 3 }, (_, k) => {
      const model = MODELS[k % MODELS.length]!;
      return {
        account,
        auth: k === 0 ? ("key" as const) : ("entra" as const),
        caller: `${APP_NETS[(a + k) % APP_NETS.length]!}.***`,
        oid: k === 0 ? "" : rng.uuid(),
        deployment: model.deployment,
        model: model.model,
        modelVersion: model.version,
        weight: 0.5 + rng.next(),
      };
    }),
  );
  const admins = Math.max(2, Math.round(count * 0.008));
  const developers = Math.max(3, Math.round(count * 0.024));
  return { users, admins: users.slice(0, admins), developers: users.slice(admins, admins + developers), accounts, apps, pipelineSpn: rng.uuid(), spns: Array.from({ length: 8 }, () => rng.uuid()) };
}

/** How busy an hour is relative to the week's mean: office hours peak, nights and weekends quiet (mean 1 over a week). */
function hourFactor(ms: number): number {
  const date = new Date(ms);
  const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
  const hour = date.getUTCHours();
  const office = hour >= 7 && hour < 19;
  return (weekend ? 0.35 : 1) * (office ? 1.75 : 0.3) * 1.15;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** A JSON Lines file written in chunks, waiting for the stream to drain (bounded memory). */
class JsonlFile {
  readonly stream: WriteStream;
  events = 0;
  bytes = 0;

  constructor(
    readonly file: string,
    readonly source: GeneratedFile["source"],
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.stream = createWriteStream(file);
  }

  async write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const chunk = `${lines.join("\n")}\n`;
    this.events += lines.length;
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, "finish");
  }
}

/** Timed lines of one hour, written in time order (ties keep generation order). */
class HourBuffer {
  private items: Array<{ t: number; n: number; line: string }> = [];

  add(t: number, event: unknown): void {
    this.items.push({ t, n: this.items.length, line: JSON.stringify(event) });
  }

  take(): string[] {
    const lines = this.items.sort((a, b) => a.t - b.t || a.n - b.n).map((i) => i.line);
    this.items = [];
    return lines;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
/** RFC 3339 with microseconds, as the compliance platform writes timestamps. */
const isoMicros = (ms: number, rng: Rng) => `${iso(ms).slice(0, 23)}${String(rng.int(1000)).padStart(3, "0")}Z`;
const dayOf = (ms: number) => iso(ms).slice(0, 10);

// ---------------------------------------------------------------------------------------------------------------
// AzureActivity

const ARM_OPERATIONS = [
  { op: "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", name: "Create or Update Virtual Machine", provider: "MICROSOFT.COMPUTE", type: "VIRTUALMACHINES", method: "PUT" },
  { op: "MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION", name: "List Storage Account Keys", provider: "MICROSOFT.STORAGE", type: "STORAGEACCOUNTS", method: "POST" },
  { op: "MICROSOFT.WEB/SITES/WRITE", name: "Create or Update Web App", provider: "MICROSOFT.WEB", type: "SITES", method: "PUT" },
  { op: "MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE", name: "Create Deployment", provider: "MICROSOFT.RESOURCES", type: "DEPLOYMENTS", method: "PUT" },
  { op: "MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WRITE", name: "Create or Update Network Security Group", provider: "MICROSOFT.NETWORK", type: "NETWORKSECURITYGROUPS", method: "PUT" },
  { op: "MICROSOFT.WEB/SITES/RESTART/ACTION", name: "Restart Web App", provider: "MICROSOFT.WEB", type: "SITES", method: "POST" },
];
const LIST_AI_KEYS = { op: "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION", name: "Listkeys Action", provider: "MICROSOFT.COGNITIVESERVICES", type: "ACCOUNTS", method: "POST" };

interface ArmCaller {
  caller: string;
  ip: string;
  oid: string;
  upn?: string;
  displayName?: string;
  appId?: string;
}

function userCaller(user: User): ArmCaller {
  return { caller: user.email, ip: user.ip, oid: user.oid, upn: user.email, displayName: user.email.split("@")[0]!.replace(".", " ") };
}

/** The Start and Success rows of one administrative operation (request on Start only, outcome on Success only). */
function armOperation(buffer: HourBuffer, rng: Rng, t: number, who: ArmCaller, operation: typeof LIST_AI_KEYS, resourceGroup: string, resource: string): void {
  const resourceId = `/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/RESOURCEGROUPS/${resourceGroup}/PROVIDERS/${operation.provider}/${operation.type}/${resource}`;
  const correlation = rng.uuid();
  const claims: Record<string, string> = {
    aud: "https://management.core.windows.net/",
    iss: `https://sts.windows.net/${AAD_TENANT}/`,
    "http://schemas.microsoft.com/identity/claims/tenantid": AAD_TENANT,
    ipaddr: who.ip,
    "http://schemas.microsoft.com/identity/claims/objectidentifier": who.oid,
  };
  if (who.upn) claims["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] = who.upn;
  if (who.displayName) claims.name = who.displayName;
  if (who.appId) claims.appid = who.appId;
  for (const [status, substatus, offset] of [["Start", "", 0], ["Success", "OK", 1000 + rng.int(4000)]] as const) {
    buffer.add(t + offset, {
      TenantId: TENANT,
      TimeGenerated: iso(t + offset),
      OperationName: operation.name,
      OperationNameValue: operation.op,
      Category: "Administrative",
      CategoryValue: "Administrative",
      ActivityStatus: status,
      ActivityStatusValue: status,
      ActivitySubstatus: substatus,
      ActivitySubstatusValue: substatus,
      Caller: who.caller,
      CallerIpAddress: who.ip,
      CorrelationId: correlation,
      EventDataId: rng.uuid(),
      OperationId: rng.uuid(),
      Level: "Informational",
      ResourceGroup: resourceGroup,
      ResourceProvider: operation.provider,
      ResourceProviderValue: operation.provider,
      ResourceId: resourceId,
      _ResourceId: resourceId.toLowerCase(),
      SubscriptionId: SUBSCRIPTION,
      Hierarchy: `${AAD_TENANT}/${SUBSCRIPTION}`,
      HTTPRequest: JSON.stringify({ clientRequestId: rng.uuid(), clientIpAddress: who.ip, method: operation.method }),
      Claims_d: claims,
      Properties_d: { eventCategory: "Administrative", entity: resourceId, message: operation.op, hierarchy: `${AAD_TENANT}/${SUBSCRIPTION}` },
      Authorization_d: { action: operation.op, scope: resourceId.toLowerCase() },
      Type: "AzureActivity",
    });
  }
}

function armHour(buffer: HourBuffer, rng: Rng, org: Org, scale: number, hour: number): void {
  const operations = rng.count((WEEKLY.armOperations / 168) * scale * hourFactor(hour));
  const spnCallers = org.spns.map((appId, i): ArmCaller => ({ caller: appId, ip: `${APP_NETS[i % APP_NETS.length]!}.${10 + i}`, oid: appId, appId }));
  for (let i = 0; i < operations; i++) {
    const who = rng.chance(0.6) ? rng.pick(spnCallers) : userCaller(rng.pick(org.admins));
    const operation = rng.pick(ARM_OPERATIONS);
    armOperation(buffer, rng, hour + rng.int(HOUR - 6000), who, operation, rng.pick(["WEB-RG", "DATA-RG", "NET-RG", "APPS-RG"]), `${operation.type.slice(0, 3)}-${rng.int(40)}`);
  }
  // the release pipeline reads the keys of the two accounts its app uses once a night at 02:00
  if (new Date(hour).getUTCHours() === 2) {
    const pipeline: ArmCaller = { caller: org.pipelineSpn, ip: "20.51.7.20", oid: org.pipelineSpn, appId: org.pipelineSpn };
    org.accounts.slice(0, 2).forEach((account, i) => armOperation(buffer, rng, hour + 60_000 * (i + 1), pipeline, LIST_AI_KEYS, account.resourceGroup, account.name));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// AzureDiagnostics (Azure OpenAI RequestResponse)

/** .NET ticks of a time, exactly (beyond 2^53, so computed as a bigint). */
function ticks(ms: number): string {
  return (BigInt(ms) * 10_000n + 621_355_968_000_000_000n).toString();
}

function aoaiRow(rng: Rng, t: number, app: App, caller: string, status: string): unknown {
  const resourceId = `/SUBSCRIPTIONS/${SUBSCRIPTION.toUpperCase()}/RESOURCEGROUPS/${app.account.resourceGroup}/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/${app.account.name}`;
  const duration = 200 + rng.int(2500);
  const embedding = app.model.startsWith("text-embedding");
  const requestLength = 100 + rng.int(embedding ? 4000 : 2000);
  const responseLength = status === "200" ? 300 + rng.int(embedding ? 30000 : 4000) : 180;
  return {
    TenantId: TENANT,
    TimeGenerated: iso(t),
    ResourceId: resourceId,
    _ResourceId: resourceId,
    SubscriptionId: SUBSCRIPTION,
    ResourceGroup: app.account.resourceGroup,
    ResourceProvider: "MICROSOFT.COGNITIVESERVICES",
    Resource: app.account.name,
    ResourceType: "ACCOUNTS",
    Category: "RequestResponse",
    OperationName: embedding ? "embeddings_create" : "ChatCompletions_Create",
    CallerIPAddress: caller,
    DurationMs: duration,
    ResultSignature: status,
    CorrelationId: rng.uuid(),
    event_s: "ShoeboxCallResult",
    Tenant_s: app.account.location,
    location_s: app.account.location,
    properties_s: JSON.stringify({
      apiName: "Azure OpenAI API version 2024-10-21",
      requestTime: ticks(t - duration),
      requestLength,
      responseTime: ticks(t),
      responseLength,
      objectId: app.oid,
      streamType: "Non-Streaming",
      modelDeploymentName: app.deployment,
      modelName: app.model,
      modelVersion: app.modelVersion,
    }).replace(/"(requestTime|responseTime)":"(\d+)"/g, '"$1":$2'),
    Type: "AzureDiagnostics",
  };
}

function aoaiHour(buffer: HourBuffer, rng: Rng, org: Org, scale: number, hour: number): void {
  const totalWeight = org.apps.reduce((n, a) => n + a.weight, 0);
  const mean = (WEEKLY.aoaiCalls / 168) * scale * hourFactor(hour);
  for (const app of org.apps) {
    const calls = rng.count((mean * app.weight) / totalWeight);
    for (let i = 0; i < calls; i++) {
      const t = hour + rng.int(HOUR);
      const status = rng.chance(0.01) ? "429" : rng.chance(0.002) ? "401" : "200";
      buffer.add(t, aoaiRow(rng, t, app, app.caller, status));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// ChatGPT Enterprise compliance logs

function chatActor(user: User): unknown {
  return { type: "ACCOUNT_USER", user_id: user.id, user_email: user.email };
}

/** The envelope every workspace event (AUTH_LOG, AUDIT_LOG) opens with, in the platform's key order. */
function workspaceEnvelope(rng: Rng, type: string, user: User, t: number): Record<string, unknown> {
  return { event_id: rng.uuid(), type, principal: { id: WORKSPACE, type: "CHATGPT_WORKSPACE" }, actor: chatActor(user), timestamp: isoMicros(t, rng) };
}

function requestMetadata(user: User, rng: Rng): unknown {
  const p = user.place;
  return {
    client_ip: user.ip,
    client_ip_details: { country: p.country, city: p.city, region: p.region, region_code: p.regionCode, asn: p.asn, latitude: p.lat, longitude: p.lon },
    client_user_agent: USER_AGENTS[user.email.length % USER_AGENTS.length],
    client_ja3: rng.hex(32),
    client_ja4: "",
  };
}

function sentence(rng: Rng, chars: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < chars) {
    const word = rng.pick(WORDS);
    words.push(word);
    length += word.length + 1;
  }
  return words.join(" ").slice(0, chars);
}

interface Conversation {
  id: string;
  title: string;
  created: number;
  lastMessage: string;
}

function messageEvent(rng: Rng, t: number, user: User, convo: Conversation, text: string, author: "user" | "assistant"): { event: unknown; id: string } {
  const id = `msg-${rng.hex(12)}`;
  const event = {
    event_id: rng.uuid(),
    type: "CONVERSATION_MESSAGE",
    timestamp: isoMicros(t, rng),
    principal: { id: WORKSPACE, type: "CHATGPT_WORKSPACE" },
    actor: chatActor(user),
    previous_message_id: convo.lastMessage,
    message: { id, created_at: iso(t).slice(0, 19) + "Z", author: { type: author, client_type: "desktop_web" }, content: { type: "text", value: text, annotations: [] }, files: [] },
    conversation: { id: convo.id, title: convo.title, gpt_id: null, gpt_name: null, project_id: null, project_name: null, created_at: iso(convo.created).slice(0, 19) + "Z", is_pinned: false, is_temporary_chat: false },
  };
  return { event, id };
}

/** A short exchange: the user's prompts and the assistant's answers, a few seconds apart. */
function conversation(out: Map<string, HourBuffer>, rng: Rng, user: User, start: number, prompts: number, promptChars: () => number, title?: string): void {
  const convo: Conversation = { id: `convo-${rng.hex(12)}`, title: title ?? sentence(rng, 12 + rng.int(24)), created: start, lastMessage: "" };
  let t = start;
  for (let i = 0; i < prompts; i++) {
    for (const author of ["user", "assistant"] as const) {
      const text = author === "user" ? sentence(rng, promptChars()) : sentence(rng, 80 + rng.int(900));
      const { event, id } = messageEvent(rng, t, user, convo, text, author);
      convo.lastMessage = id;
      bufferFor(out, "CONVERSATION_MESSAGE").add(t, event);
      t += 5_000 + rng.int(60_000);
    }
  }
}

function bufferFor(out: Map<string, HourBuffer>, type: string): HourBuffer {
  let buffer = out.get(type);
  if (!buffer) out.set(type, (buffer = new HourBuffer()));
  return buffer;
}

/** A prompt length: mostly short, sometimes a pasted page. */
function promptLength(rng: Rng): number {
  const r = rng.next();
  return r < 0.8 ? 20 + rng.int(300) : r < 0.98 ? 300 + rng.int(2000) : 2000 + rng.int(6000);
}

function chatgptHour(out: Map<string, HourBuffer>, rng: Rng, org: Org, scale: number, hour: number): void {
  const factor = hourFactor(hour);
  // a conversation holds on average 2.5 prompts and 2.5 answers; about 80 % of picked users are active
  const conversations = rng.count((WEEKLY.chatgptMessages / 168 / 4) * scale * factor);
  for (let i = 0; i < conversations; i++) {
    const user = org.users[rng.int(org.users.length)]!;
    if (!rng.chance(user.activity)) continue;
    conversation(out, rng, user, hour + rng.int(HOUR - 600_000), 1 + rng.int(4), () => promptLength(rng));
  }
  const logins = rng.count((org.users.length / 24) * 0.9 * factor);
  for (let i = 0; i < logins; i++) {
    const user = org.users[rng.int(org.users.length)]!;
    const t = hour + rng.int(HOUR);
    const failed = rng.chance(0.03);
    bufferFor(out, "AUTH_LOG").add(t, {
      ...workspaceEnvelope(rng, "AUTH_LOG", user, t),
      request_metadata: requestMetadata(user, rng),
      action_data: { action: failed ? "login_failed" : "login_success", role: "standard-user" },
    });
  }
  const audits = rng.count(0.8 * factor * Math.max(1, scale));
  for (let i = 0; i < audits; i++) {
    const admin = rng.pick(org.admins);
    const t = hour + rng.int(HOUR);
    const target = rng.pick(org.users);
    const invite = rng.chance(0.5);
    bufferFor(out, "AUDIT_LOG").add(t, {
      ...workspaceEnvelope(rng, "AUDIT_LOG", admin, t),
      action_result: "SUCCESS",
      action_privilege: "ADMIN",
      request_metadata: requestMetadata(admin, rng),
      action_data: invite ? { email: target.email, role: "standard-user" } : { user_id: target.id, new_role: "standard-user" },
      action: invite ? "INVITE_SEND" : "USER_ROLE_UPDATED",
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// OpenAI organization audit logs

function openaiSessionActor(user: User, rng: Rng): unknown {
  const p = user.place;
  return {
    type: "session",
    session: {
      user: { id: user.id, email: user.email },
      ip_address: user.ip,
      user_agent: USER_AGENTS[user.email.length % USER_AGENTS.length],
      ja3: rng.hex(32),
      ip_address_details: { country: p.country, city: p.city, region: p.region, region_code: p.regionCode, asn: p.asn.slice(2), latitude: p.lat, longitude: p.lon },
    },
  };
}

const OPENAI_EVENTS = ["login.succeeded", "login.succeeded", "login.succeeded", "login.failed", "api_key.created", "api_key.updated", "api_key.deleted", "project.updated"];

function openaiHour(buffer: HourBuffer, rng: Rng, org: Org, scale: number, hour: number): void {
  const events = rng.count((WEEKLY.openaiEvents / 168) * scale * hourFactor(hour));
  for (let i = 0; i < events; i++) {
    const user = rng.pick(org.developers);
    const type = rng.pick(OPENAI_EVENTS);
    const t = hour + rng.int(HOUR);
    const event: Record<string, unknown> = { id: `audit_log-${rng.token(24)}`, type, effective_at: Math.floor(t / 1000) };
    if (type.startsWith("api_key") || type.startsWith("project")) event.project = { id: `proj_${rng.token(24)}`, name: rng.pick(["Default project", "support-bot", "docs-search", "sales-assist"]) };
    event.actor = openaiSessionActor(user, rng);
    if (type.startsWith("api_key")) event[type] = { id: `key_${rng.token(16)}`, ...(type === "api_key.deleted" ? {} : { data: { scopes: ["api.model.read", "api.model.request"] } }) };
    else if (type === "project.updated") event[type] = { id: `proj_${rng.token(24)}`, changes_requested: { title: "support-bot" } };
    else if (type === "login.failed") event[type] = { error_code: "invalid_password", error_message: "Wrong email or password." };
    else event[type] = {};
    buffer.add(t, event);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Planted stories

interface Story {
  hour: number;
  plant(buffers: { arm: HourBuffer; aoai: HourBuffer; chat: Map<string, HourBuffer> }, rng: Rng): void;
  summary: PlantedStory;
}

function stories(org: Org, start: number, days: number): Story[] {
  const day = Math.min(Math.max(3, days - 3), days - 1);
  const at = (d: number, h: number) => start + d * DAY + h * HOUR;
  const prod = org.apps.find((a) => a.account.name === "PROD-AOAI" && a.auth === "key")!;
  const intruder = org.users.find((u) => !org.admins.includes(u) && !org.developers.includes(u))!;
  const paster = org.users[org.users.length - 1]!;
  const stolenAt = at(day, 2);
  const listedAt = at(Math.min(day + 1, days - 1), 14);
  const pasteAt = at(Math.min(day + 2, days - 1), 9);
  return [
    {
      hour: stolenAt,
      summary: { story: "stolen key used from a new network", useCase: "AOAI-001", at: iso(stolenAt), detail: `${prod.account.name}: key calls from 185.220.101.0/24` },
      plant: ({ aoai }, rng) => {
        for (let i = 0; i < 400; i++) aoai.add(stolenAt + 300_000 + i * 8_000, aoaiRow(rng, stolenAt + 300_000 + i * 8_000, prod, "185.220.101.***", "200"));
      },
    },
    {
      hour: listedAt,
      summary: { story: "keys listed by an unusual caller", useCase: "ARM-001", at: iso(listedAt), detail: `${intruder.email} lists the keys of 4 AI accounts from 203.0.113.50` },
      plant: ({ arm }, rng) => {
        const who = { ...userCaller(intruder), ip: "203.0.113.50" };
        org.accounts.slice(0, 4).forEach((account, i) => armOperation(arm, rng, listedAt + 600_000 + i * 70_000, who, LIST_AI_KEYS, account.resourceGroup, account.name));
      },
    },
    {
      hour: pasteAt,
      summary: { story: "ChatGPT bulk paste", useCase: "CGPT-009", at: iso(pasteAt), detail: `${paster.email} pastes 14 documents of about 22,000 characters` },
      plant: ({ chat }, rng) => conversation(chat, rng, paster, pasteAt + 120_000, 14, () => 20_000 + rng.int(4_000), "Contract review - Northwind renewal"),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The run

/** Writes the raw logs and a manifest; returns what was written. */
export async function generateRawLogs(options: GenerateOptions): Promise<GenerateSummary> {
  checkOptions(options);
  const manifestFile = path.join(options.out, "manifest.json");
  // a generation stopped half-way must not leave an earlier manifest vouching for the files it rewrote
  rmSync(manifestFile, { force: true });
  const start = Date.parse(options.start ?? DEFAULT_START);
  const end = start + options.days * DAY;
  const org = buildOrg(options.seed, options.scale);
  const rngs = { arm: new Rng(options.seed, "arm"), aoai: new Rng(options.seed, "aoai"), chat: new Rng(options.seed, "chatgpt"), openai: new Rng(options.seed, "openai"), story: new Rng(options.seed, "story") };
  const planted = stories(org, start, options.days);
  const files = new Map<string, JsonlFile>();
  const open = (relative: string, source: GeneratedFile["source"]) => {
    let file = files.get(relative);
    if (!file) files.set(relative, (file = new JsonlFile(path.join(options.out, relative), source)));
    return file;
  };
  const openai = open("openai-audit-logs/audit-logs.jsonl", "OpenAIAuditLogs_CL");
  for (let hour = start; hour < end; hour += HOUR) {
    const day = dayOf(hour);
    const buffers = { arm: new HourBuffer(), aoai: new HourBuffer(), chat: new Map<string, HourBuffer>(), openai: new HourBuffer() };
    armHour(buffers.arm, rngs.arm, org, options.scale, hour);
    aoaiHour(buffers.aoai, rngs.aoai, org, options.scale, hour);
    chatgptHour(buffers.chat, rngs.chat, org, options.scale, hour);
    openaiHour(buffers.openai, rngs.openai, org, options.scale, hour);
    for (const story of planted) if (story.hour === hour) story.plant(buffers, rngs.story);
    await open(`azure-activity/AzureActivity-${day}.jsonl`, "AzureActivity").write(buffers.arm.take());
    await open(`azure-diagnostics/AzureDiagnostics-${day}.jsonl`, "AzureDiagnostics").write(buffers.aoai.take());
    for (const type of [...buffers.chat.keys()].sort()) await open(`chatgpt-compliance/${type}-${day}.jsonl`, "ChatGPTComplianceLogs").write(buffers.chat.get(type)!.take());
    await openai.write(buffers.openai.take());
    if (dayOf(hour + HOUR) !== day) await closeDay(files, day);
  }
  await Promise.all([...files.values()].map((f) => (f.stream.writableFinished ? undefined : f.close())));
  const written = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, f]) => ({ file, source: f.source, events: f.events, bytes: f.bytes }));
  const summary: GenerateSummary = {
    from: iso(start),
    to: iso(end),
    files: written,
    events: written.reduce((n, f) => n + f.events, 0),
    bytes: written.reduce((n, f) => n + f.bytes, 0),
    stories: planted.filter((s) => s.hour < end).map((s) => s.summary),
  };
  const manifest: GenerateManifest = { seed: options.seed, scale: options.scale, days: options.days, generator: generatorHash(), ...summary };
  writeFileAtomicSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return summary;
}

async function closeDay(files: Map<string, JsonlFile>, day: string): Promise<void> {
  for (const [name, file] of files) if (name.includes(day) && !file.stream.writableEnded) await file.close();
}

function checkOptions(options: GenerateOptions): void {
  if (!Number.isInteger(options.seed)) throw new Error(`--seed must be an integer, not ${options.seed}`);
  if (!(options.scale > 0 && options.scale <= 64)) throw new Error(`--scale must be a number above 0 and at most 64, not ${options.scale}`);
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 31) throw new Error(`--days must be a whole number from 1 to 31, not ${options.days}`);
  const start = Date.parse(options.start ?? DEFAULT_START);
  if (!Number.isFinite(start) || start % DAY !== 0) throw new Error(`--start must be a UTC midnight (2026-11-16T00:00:00Z), not ${options.start}`);
}

/** Parses `--seed N --scale X --days D --out DIR [--start ISO]`. */
export function parseArguments(argv: readonly string[]): GenerateOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!;
    if (!["--seed", "--scale", "--days", "--out", "--start"].includes(name)) throw new Error(`unknown option ${name} (options: --seed, --scale, --days, --out, --start)`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    values.set(name, value);
  }
  const out = values.get("--out");
  if (!out) throw new Error("--out DIR is required");
  return { out, seed: Number(values.get("--seed") ?? "1"), scale: Number(values.get("--scale") ?? "1"), days: Number(values.get("--days") ?? "7"), start: values.get("--start") ?? DEFAULT_START };
}

async function main(): Promise<void> {
  let options: GenerateOptions;
  try {
    options = parseArguments(process.argv.slice(2));
    checkOptions(options);
  } catch (error) {
    console.error(`generate-raw-logs: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const summary = await generateRawLogs(options);
  const seconds = (performance.now() - started) / 1000;
  for (const f of summary.files) console.log(`${f.file}  ${f.events} events  ${(f.bytes / 1048576).toFixed(1)} MB`);
  console.log(`${summary.events} events, ${(summary.bytes / 1048576).toFixed(0)} MB in ${seconds.toFixed(1)} s (${Math.round(summary.events / seconds)} events/s), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  for (const s of summary.stories) console.log(`planted: ${s.useCase} ${s.story} at ${s.at} (${s.detail})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
