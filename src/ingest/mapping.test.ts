import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeQuery, buildGlobals, type KqlScalarType } from "../kql/index.ts";
import { PACKAGE_ROOT, flowsOf, loadMapping, outputTableOf, streamColumnsOf, type IngestionMapping } from "./mapping.ts";
import { prepareOpenAIAuditEvent } from "./openai-prepare.ts";

const INGESTION = path.join(PACKAGE_ROOT, "ingestion");

function mappingFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return mappingFiles(full);
    return e.name.endsWith(".yaml") && !e.name.endsWith(".tests.yaml") ? [full] : [];
  });
}

const FILES = mappingFiles(INGESTION);

/** Tabular operators a DCR transform may use (Azure Monitor "Supported KQL features in transformations"). */
const DCR_OPERATORS = new Set(["where", "extend", "project", "project-away", "project-rename", "parse", "datatable", "print"]);
/** Scalar functions a DCR transform may use (same page; `todynamic` is used by Microsoft's own OpenAI DCR). */
const DCR_FUNCTIONS = new Set([
  "tobool", "todatetime", "todouble", "toreal", "toguid", "toint", "tolong", "tostring", "totimespan", "todynamic",
  "ago", "now", "datetime", "startofday", "endofday", "datetime_add", "datetime_diff", "make_datetime",
  "array_concat", "array_length", "pack", "pack_array", "parse_json", "zip", "dynamic",
  "abs", "bin", "floor", "ceiling", "round", "case", "iif", "iff", "max_of", "min_of",
  "countof", "extract", "extract_all", "indexof", "isempty", "isnotempty", "replace", "split", "strcat", "strcat_delim",
  "strlen", "substring", "tolower", "toupper", "hash_sha256", "gettype", "isnotnull", "isnull", "columnifexists",
]);

function withoutStrings(kql: string): string {
  return kql.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
}

function kustoType(type: string): KqlScalarType {
  return type as KqlScalarType;
}

describe.each(FILES.map((f) => [path.relative(PACKAGE_ROOT, f), f]))("ingestion mapping %s", (_name, file) => {
  it("is valid against its schema, and every flow reads a declared stream and writes a declared table", async () => {
    const mapping = await loadMapping(file);
    const tables = new Set((mapping.tables ?? []).map((t) => t.name));
    for (const flow of mapping.dataFlows) {
      for (const s of flow.streams) expect(streamColumnsOf(mapping, s), `stream ${s}`).toBeDefined();
      expect(tables.has(outputTableOf(flow.outputStream)), flow.outputStream).toBe(true);
    }
  });

  it("each transform's output has exactly the table's columns, names and types in order (Kusto.Language)", async () => {
    const mapping: IngestionMapping = await loadMapping(file);
    for (const flow of mapping.dataFlows) {
      const stream = mapping.streams.find((s) => s.name === flow.streams[0])!;
      const globals = buildGlobals({ tables: [{ name: "source", columns: stream.columns.map((c) => ({ name: c.name, type: kustoType(c.type) })) }] });
      const analysis = analyzeQuery(flow.transformKql, globals);
      expect(analysis.diagnostics.filter((d) => d.severity === "error"), flow.outputStream).toEqual([]);
      const table = mapping.tables!.find((t) => t.name === outputTableOf(flow.outputStream))!;
      expect(analysis.resultColumns).toEqual(table.columns.map((c) => ({ name: c.name, type: c.type })));
    }
  });

  it("transforms use only operators and functions DCR transforms support", async () => {
    const mapping = await loadMapping(file);
    for (const { transformKql } of mapping.dataFlows) {
      const code = withoutStrings(transformKql);
      const operators = [...code.matchAll(/\|\s*([a-z-]+)/g)].map((m) => m[1]!);
      expect(operators.filter((op) => !DCR_OPERATORS.has(op))).toEqual([]);
      const functions = [...code.matchAll(/\b([a-z_][a-z0-9_]*)\s*\(/g)].map((m) => m[1]!).filter((f) => f !== "in");
      expect(functions.filter((f) => !DCR_FUNCTIONS.has(f))).toEqual([]);
    }
  });
});

describe("the ChatGPT mapping covers the columns the detection rules rely on", () => {
  const EVENTS = "TimeGenerated:datetime EventId:string LogType:string Action:string ActionResult:string ActionPrivilege:string PrincipalId:string ActorType:string ActorUserId:string ActorEmail:string ActorKeyRedactedId:string ClientIp:string ClientCountry:string ClientCity:string ClientAsn:string ClientLat:real ClientLon:real UserAgent:string Ja3:string Ja4:string ActionData:dynamic";
  const MESSAGES = "TimeGenerated:datetime EventId:string ActorUserId:string ActorEmail:string ConversationId:string ConversationTitle:string IsTemporaryChat:bool MessageId:string AuthorType:string ClientType:string Model:string ContentType:string ContentText:string ContentLength:long";

  it.each([
    ["ChatGPTComplianceEvents_CL", EVENTS],
    ["ChatGPTConversationMessages_CL", MESSAGES],
  ])("%s has every column of DETECTIONS.md §0.1 with its type", async (table, spec) => {
    const mapping = await loadMapping(path.join(INGESTION, "chatgpt/chatgpt-compliance.yaml"));
    const columns = new Map(mapping.tables!.find((t) => t.name === table)!.columns.map((c) => [c.name, c.type]));
    for (const pair of spec.split(" ")) {
      const [name, type] = pair.split(":");
      expect(columns.get(name!), name).toBe(type);
    }
  });

  it("keeps conversation content out of the events table and sends CONVERSATION_MESSAGE only to the messages table", async () => {
    const mapping = await loadMapping(path.join(INGESTION, "chatgpt/chatgpt-compliance.yaml"));
    const events = mapping.tables!.find((t) => t.name === "ChatGPTComplianceEvents_CL")!;
    expect(events.columns.map((c) => c.name)).not.toContain("ContentText");
    const flows = flowsOf(mapping, "Custom-ChatGPTComplianceRaw");
    expect(flows.find((f) => f.table === "ChatGPTComplianceEvents_CL")?.transformKql).toMatch(/!= "CONVERSATION_MESSAGE"/);
    expect(flows.find((f) => f.table === "ChatGPTConversationMessages_CL")?.transformKql).toMatch(/== "CONVERSATION_MESSAGE"/);
    const messages = mapping.tables!.find((t) => t.name === "ChatGPTConversationMessages_CL")!;
    expect(messages.totalRetentionInDays).toBeLessThan(events.totalRetentionInDays!);
  });

  it("the OpenAI mapping is Microsoft's OpenAIAuditLogs_CL shape exactly", async () => {
    const mapping = await loadMapping(path.join(INGESTION, "openai/openai-audit-logs.yaml"));
    const microsoft = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "schemas/tables/OpenAIAuditLogs_CL.json"), "utf8")) as { columns: { name: string; type: string }[] };
    // the bundled schema also lists the standard columns every table has (TenantId, Type, _ResourceId, …)
    const own = microsoft.columns.filter((c) => !c.name.startsWith("_") && !["TenantId", "Type", "SourceSystem"].includes(c.name));
    expect(mapping.tables![0]!.columns.map((c) => ({ name: c.name, type: c.type }))).toEqual(own.map((c) => ({ name: c.name, type: c.type })));
    expect(mapping.streams[0]!.columns.map((c) => `${c.name}:${c.type}`)).toEqual(["id:string", "type:string", "effective_at:long", "project:dynamic", "EventDetails:dynamic", "friendlyName:string", "actor:dynamic"]);
  });
});

describe("OpenAI audit events prepared for Microsoft's stream", () => {
  const raw = readFileSync(path.join(INGESTION, "openai/samples/audit-logs.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

  it("copies the type-keyed payload into EventDetails and names the connection", () => {
    const rows = raw.map((e) => prepareOpenAIAuditEvent(e, "contoso"));
    expect(rows[0]).toMatchObject({ id: "audit_log-aaa_20261120", type: "api_key.created", EventDetails: { id: "key_xxxx", data: { scopes: ["resource.operation"] } }, friendlyName: "contoso", project: null });
    expect(rows[2]?.EventDetails).toEqual({ id: "proj_abc" });
    expect(rows[3]?.EventDetails).toEqual({ error_code: "invalid_credentials", error_message: "Invalid email or password." });
  });

  it("leaves EventDetails null when the payload key is missing", () => {
    expect(prepareOpenAIAuditEvent({ id: "x", type: "logout.succeeded", effective_at: 1 }, "c").EventDetails).toBeNull();
  });
});
