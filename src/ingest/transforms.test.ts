import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { runTransform, tableToObjects } from "./engine-transform.ts";
import { PACKAGE_ROOT, flowsOf, loadMapping, type IngestionMapping } from "./mapping.ts";
import { prepareOpenAIAuditEvent } from "./openai-prepare.ts";

const CHATGPT = path.join(PACKAGE_ROOT, "ingestion/chatgpt");
const OPENAI = path.join(PACKAGE_ROOT, "ingestion/openai");
const STREAM = "Custom-ChatGPTComplianceRaw";
const NOW = new Date("2026-11-25T03:00:00Z");

function readJsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface Case {
  name: string;
  now?: string;
  input: Record<string, string | Record<string, unknown>[]>;
  expect: { output: Record<string, Record<string, unknown>[]> };
}

/** Expected and actual rows made comparable: datetimes as epoch ms, everything else as is. */
function normalize(rows: Record<string, unknown>[], types: Map<string, string>): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, types.get(k) === "datetime" && typeof v === "string" ? Date.parse(v) : v])),
  );
}

function runFlows(mapping: IngestionMapping, stream: string, rows: Record<string, unknown>[], now: Date) {
  const columns = mapping.streams.find((s) => s.name === stream)!.columns;
  return flowsOf(mapping, stream).map((flow) => ({ table: flow.table, result: runTransform({ transformKql: flow.transformKql, streamColumns: columns, rows, now }) }));
}

describe("ChatGPT transforms on the raw samples (offline engine)", () => {
  let mapping: IngestionMapping;
  const samples = readdirSync(path.join(CHATGPT, "samples")).filter((f) => f.endsWith(".jsonl")).sort();
  const raw = samples.flatMap((f) => readJsonl(path.join(CHATGPT, "samples", f)));

  beforeAll(async () => {
    mapping = await loadMapping(path.join(CHATGPT, "chatgpt-compliance.yaml"));
  });

  it("covers AUDIT_LOG, AUTH_LOG, CONVERSATION_MESSAGE and at least two more event types", () => {
    const types = new Set(raw.map((e) => e.type));
    for (const t of ["AUDIT_LOG", "AUTH_LOG", "CONVERSATION_MESSAGE"]) expect(types.has(t)).toBe(true);
    expect(types.size).toBeGreaterThanOrEqual(5);
  });

  it("produces exactly the table schema (names and types), splits rows by family and fills every column somewhere", () => {
    for (const { table, result } of runFlows(mapping, STREAM, raw, NOW)) {
      const schema = mapping.tables!.find((t) => t.name === table)!;
      expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual(schema.columns.map((c) => `${c.name}:${c.type}`));
      const isMessages = table === "ChatGPTConversationMessages_CL";
      expect(result.rows).toHaveLength(raw.filter((e) => (e.type === "CONVERSATION_MESSAGE") === isMessages).length);
      const rows = tableToObjects(result);
      const empty = schema.columns.filter((c) => rows.every((r) => r[c.name] === null || r[c.name] === ""));
      expect(empty.map((c) => c.name), table).toEqual([]);
    }
  });

  it("flattens request_metadata and picks Action per family", () => {
    const [events] = runFlows(mapping, STREAM, raw, NOW).map((f) => tableToObjects(f.result));
    const byId = new Map(events!.map((r) => [r.EventId, r]));
    expect(byId.get("344039bd-e40b-4020-8256-e44f7bbeeb3e")).toMatchObject({ Action: "USER_ROLE_UPDATED", ClientCountry: "SE", ClientAsn: "AS29518", ClientLat: 58.4167, ClientLon: 15.6167, ActionData: { user_id: "user-Bb22AsDfGhJkLp", new_role: "manager" } });
    expect(byId.get("5c1b7f38-7a1e-4d55-9c2b-1f4a9de50005")).toMatchObject({ LogType: "AUTH_LOG", Action: "login_failed", ClientAsn: "", UserAgent: "", Ja3: "f90ffded875933863a95a1a84285c922" });
    expect(byId.get("0f1e2d3c-4b5a-4697-8877-665544332211")).toMatchObject({ ActorType: "API_KEY", ActorKeyRedactedId: "sk-...RxIA", ActorEmail: "" });
    expect(byId.get("7b3e4de1-2219-4d6c-9d6e-8f4d40c7c001")).toMatchObject({ Action: "link", AppId: "asdk_app_0123456789abcdef0123456789abcdef", LinkId: "link_00112233445566778899aabbccddeeff" });
    expect(byId.get("c97ee69d-41a6-4587-91ee-b4c5d6e7f8a9")).toMatchObject({ Action: "PROMPT_RESPONSE_RECEIVED", ClientId: "CODEX_CLI", ActionData: { model: "gpt-5.1-codex-max" } });
    expect(byId.get("31c1b9b0-5b2d-4c2a-9e11-a2b3c4d5e6f7")).toMatchObject({ Action: "request", AppName: "gdrive", ConversationId: "c-7cda9b2e", ActionData: null });
  });

  const tests = parse(readFileSync(path.join(CHATGPT, "chatgpt-compliance.tests.yaml"), "utf8")) as { cases: Case[] };
  it.each(tests.cases.map((c) => [c.name, c]))("tests.yaml case %s matches the engine's output exactly", async (_name, c) => {
    const m = await loadMapping(path.join(CHATGPT, "chatgpt-compliance.yaml"));
    const input = c.input[STREAM]!;
    const rows = typeof input === "string" ? readJsonl(path.join(CHATGPT, input)) : input;
    for (const { table, result } of runFlows(m, STREAM, rows, c.now ? new Date(c.now) : NOW)) {
      const types = new Map(m.tables!.find((t) => t.name === table)!.columns.map((col) => [col.name, col.type]));
      expect(normalize(tableToObjects(result), types), table).toEqual(normalize(c.expect.output[table] ?? [], types));
    }
  });
});

describe("OpenAI transform (Microsoft's DCR) on prepared samples", () => {
  it("maps every raw sample after preparation and fills Microsoft's columns", async () => {
    const mapping = await loadMapping(path.join(OPENAI, "openai-audit-logs.yaml"));
    const rows = readJsonl(path.join(OPENAI, "samples/audit-logs.jsonl")).map((e) => ({ ...prepareOpenAIAuditEvent(e, "contoso-openai-org") }));
    const [flow] = runFlows(mapping, "Custom-OpenAIAuditLogs_CL", rows, NOW);
    const out = tableToObjects(flow!.result);
    expect(out.map((r) => [r.EventType, r.ActorType, Date.parse(String(r.EffectiveAt))])).toEqual([
      ["api_key.created", "session", Date.parse("2026-11-20T12:40:00Z")],
      ["api_key.updated", "session", Date.parse("2026-11-20T12:41:40Z")],
      ["project.archived", "api_key", Date.parse("2026-11-20T12:43:20Z")],
      ["login.failed", "session", Date.parse("2026-11-20T12:45:00Z")],
    ]);
    expect(out[1]).toMatchObject({ Project: { id: "proj_abc", name: "Default project" }, ActorSession: { ja4: "q13d0313h3_55b375c5d22e_c7319ce65786" }, ConnectorName: "contoso-openai-org" });
    expect(out[2]).toMatchObject({ ActorApiKey: { type: "user" }, ActorSession: null, EventDetails: { id: "proj_abc" } });
  });

  const tests = parse(readFileSync(path.join(OPENAI, "openai-audit-logs.tests.yaml"), "utf8")) as { cases: Case[] };
  it.each(tests.cases.map((c) => [c.name, c]))("tests.yaml case %s matches the engine's output exactly", async (_name, c) => {
    const mapping = await loadMapping(path.join(OPENAI, "openai-audit-logs.yaml"));
    const rows = c.input["Custom-OpenAIAuditLogs_CL"] as Record<string, unknown>[];
    const [flow] = runFlows(mapping, "Custom-OpenAIAuditLogs_CL", rows, c.now ? new Date(c.now) : NOW);
    const types = new Map(mapping.tables![0]!.columns.map((col) => [col.name, col.type]));
    expect(normalize(tableToObjects(flow!.result), types)).toEqual(normalize(c.expect.output.OpenAIAuditLogs_CL ?? [], types));
  });
});
