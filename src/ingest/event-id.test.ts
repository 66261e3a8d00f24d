// Every row the collectors land carries the source's stable event id (ChatGPT `event_id` → EventId, OpenAI audit
// `id` → Id): the column the parsers de-duplicate on and the in-doubt check queries. Run through the mappings'
// own transforms on the engine, for every data flow and every sample line of each source.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { engineTransformRunner } from "./engine-transform.ts";
import { CHATGPT_MAPPING_FILE, OPENAI_MAPPING_FILE, PACKAGE_ROOT, flowsOf, loadMapping } from "./mapping.ts";
import { prepareOpenAIAuditEvent } from "./openai-prepare.ts";

const SOURCES: { name: string; mapping: string; stream: string; rawKey: string; column: string; prepare: (e: Record<string, unknown>) => Record<string, unknown> }[] = [
  { name: "chatgpt", mapping: CHATGPT_MAPPING_FILE, stream: "Custom-ChatGPTComplianceRaw", rawKey: "event_id", column: "EventId", prepare: (e: Record<string, unknown>) => e },
  { name: "openai", mapping: OPENAI_MAPPING_FILE, stream: "Custom-OpenAIAuditLogs_CL", rawKey: "id", column: "Id", prepare: (e: Record<string, unknown>) => ({ ...prepareOpenAIAuditEvent(e, "OpenAI") }) },
];

describe("every ingested row carries the source's event id", () => {
  it.each(SOURCES)("$name: every data flow writes $column from $rawKey", async ({ name, mapping: file, stream, rawKey, column, prepare }) => {
    const mapping = await loadMapping(file);
    const columns = mapping.streams.find((s) => s.name === stream)!.columns;
    const dir = path.join(PACKAGE_ROOT, "ingestion", name, "samples");
    const rows = readdirSync(dir).flatMap((f) => readFileSync(path.join(dir, f), "utf8").trim().split("\n")).map((l) => prepare(JSON.parse(l) as Record<string, unknown>));
    const rawIds = rows.map((r) => String(r[rawKey]));
    const flows = flowsOf(mapping, stream);
    expect(flows.length).toBeGreaterThan(0);
    let landed = 0;
    for (const flow of flows) {
      const out = await engineTransformRunner({ transformKql: flow.transformKql, streamColumns: columns, rows });
      for (const row of out) expect(rawIds).toContain(row[column]);
      landed += out.length;
    }
    expect(landed).toBeGreaterThanOrEqual(rows.length);
  });
});
