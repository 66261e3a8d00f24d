import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfiles } from "../src/profiles/profile.ts";
import { rowViolations, uniqueViolations } from "../src/profiles/invariants.ts";
import { generateRawLogs, generatorHash, parseArguments, Rng, type GenerateSummary } from "./generate-raw-logs.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(path.join(tmpdir(), "raw-logs-"));
const small = { seed: 7, scale: 0.01, days: 2 };
let first: GenerateSummary;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

function lines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  first = await generateRawLogs({ ...small, out: path.join(work, "a") });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("generate-raw-logs", () => {
  it("writes the same bytes for the same seed and other bytes for another seed", async () => {
    await generateRawLogs({ ...small, out: path.join(work, "b") });
    await generateRawLogs({ ...small, seed: 8, out: path.join(work, "c") });
    const names = filesUnder(path.join(work, "a"));
    expect(filesUnder(path.join(work, "b"))).toEqual(names);
    for (const name of names) expect(readFileSync(path.join(work, "b", name)).equals(readFileSync(path.join(work, "a", name))), name).toBe(true);
    const differs = names.filter((name) => name !== "manifest.json" && !readFileSync(path.join(work, "c", name)).equals(readFileSync(path.join(work, "a", name))));
    expect(differs.length).toBeGreaterThan(0);
  });

  it("records the options and the generator's hash in the manifest, written whole and last", () => {
    const manifest = JSON.parse(readFileSync(path.join(work, "a", "manifest.json"), "utf8")) as Record<string, unknown>;
    expect(manifest).toMatchObject({ ...small, events: first.events, bytes: first.bytes, from: first.from, to: first.to });
    expect(manifest.generator).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.generator).toBe(generatorHash());
    expect(filesUnder(path.join(work, "a")).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("removes an earlier manifest before writing, so a generation that stops leaves none", async () => {
    const out = path.join(work, "stopped");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "manifest.json"), JSON.stringify({ ...small, generator: generatorHash() }));
    // a file where the generator's first folder goes: it stops on its first write
    writeFileSync(path.join(out, "openai-audit-logs"), "");
    await expect(generateRawLogs({ ...small, out })).rejects.toThrow();
    expect(existsSync(path.join(out, "manifest.json"))).toBe(false);
  });

  it("writes every source in its raw form, each row within its profile's vocabularies and invariants", () => {
    const { profiles, diagnostics } = loadProfiles(root);
    expect(diagnostics).toEqual([]);
    const profileOf = (source: string) => profiles.find((p) => p.source === source)!;
    const sources = new Set(first.files.map((f) => f.source));
    expect([...sources].sort()).toEqual(["AzureActivity", "AzureDiagnostics", "ChatGPTComplianceLogs", "OpenAIAuditLogs_CL"]);
    for (const file of first.files) {
      const rows = lines(path.join(work, "a", file.file));
      expect(rows).toHaveLength(file.events);
      const profile = profileOf(file.source);
      const broken = rows.flatMap((row, i) => rowViolations(profile, row).map((v) => `${file.file}:${i + 1} ${v.id}: ${v.message}`));
      expect(broken).toEqual([]);
      expect(uniqueViolations(profile, rows)).toEqual([]);
    }
  });

  it("writes each file in time order and inside the range", () => {
    const from = Date.parse(first.from);
    const to = Date.parse(first.to);
    const timeOf: Record<string, (row: Record<string, unknown>) => number> = {
      AzureActivity: (r) => Date.parse(String(r.TimeGenerated)),
      AzureDiagnostics: (r) => Date.parse(String(r.TimeGenerated)),
      ChatGPTComplianceLogs: (r) => Date.parse(String(r.timestamp)),
      OpenAIAuditLogs_CL: (r) => Number(r.effective_at) * 1000,
    };
    for (const file of first.files) {
      const times = lines(path.join(work, "a", file.file)).map(timeOf[file.source]!);
      expect(times.every((t, i) => t >= from && t < to + 60_000 && (i === 0 || t >= times[i - 1]!)), file.file).toBe(true);
    }
  });

  it("plants the three attack stories in the raw rows", () => {
    expect(first.stories.map((s) => s.useCase)).toEqual(["AOAI-001", "ARM-001", "CGPT-009"]);
    const all = (prefix: string) => first.files.filter((f) => f.file.startsWith(prefix)).flatMap((f) => lines(path.join(work, "a", f.file)));
    expect(all("azure-diagnostics/").filter((r) => r.CallerIPAddress === "185.220.101.***")).toHaveLength(400);
    const listings = all("azure-activity/").filter((r) => r.CallerIpAddress === "203.0.113.50" && r.ActivityStatusValue === "Success");
    expect(listings.map((r) => r.OperationNameValue)).toEqual(Array(4).fill("MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION"));
    const pasted = all("chatgpt-compliance/CONVERSATION_MESSAGE").filter((r) => (r.conversation as { title: string }).title === "Contract review - Northwind renewal" && (r.message as { author: { type: string } }).author.type === "user");
    expect(pasted).toHaveLength(14);
    expect(pasted.reduce((n, r) => n + (r.message as { content: { value: string } }).content.value.length, 0)).toBeGreaterThan(280_000);
  });

  it("keeps volume proportional to scale (about 2 million events for a week at scale 1)", async () => {
    const week = await generateRawLogs({ seed: 7, scale: 0.005, days: 7, out: path.join(work, "week") });
    const perWeekAtScale1 = week.events / 0.005;
    expect(perWeekAtScale1).toBeGreaterThan(1_800_000);
    expect(perWeekAtScale1).toBeLessThan(2_200_000);
  });

  it.each([
    [["--out"], "--out needs a value"],
    [["--seed", "1"], "--out DIR is required"],
    [["--out", "x", "--bogus", "1"], "unknown option --bogus"],
  ])("rejects bad arguments %j", (argv, message) => {
    expect(() => parseArguments(argv)).toThrow(message);
  });

  it.each([
    [{ seed: 1.5 }, "--seed must be an integer"],
    [{ scale: 0 }, "--scale must be a number above 0"],
    [{ days: 0 }, "--days must be a whole number from 1 to 31"],
    [{ start: "2026-11-16T01:00:00Z" }, "--start must be a UTC midnight"],
  ])("refuses %j before writing anything", async (bad, message) => {
    const out = path.join(work, "refused");
    await expect(generateRawLogs({ ...small, out, ...bad })).rejects.toThrow(message);
    expect(() => readdirSync(out)).toThrow();
  });

  it("draws the same numbers for the same seed and stream", () => {
    const draw = (seed: number, stream: string) => {
      const rng = new Rng(seed, stream);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw(1, "aoai")).toEqual(draw(1, "aoai"));
    expect(draw(1, "aoai")).not.toEqual(draw(2, "aoai"));
    expect(draw(1, "aoai")).not.toEqual(draw(1, "arm"));
  });
});
