import { describe, expect, it, vi } from "vitest";
import { escapeHtml, renderReplayHtml, scriptSafeJson } from "./html-report.ts";
import type { ReplayAlert, ReplayResult, ReplayRuleSummary } from "./result.ts";

const RULE: ReplayRuleSummary = {
  ruleId: "985d86d1-f33f-42d2-9d1f-390221f04b9b",
  ruleName: "Azure OpenAI key used from new network",
  ruleFile: "analytics-rules/azure-openai/aoai-key-used-from-new-network.yaml",
  kind: "Scheduled",
  useCase: "AOAI-001",
  runs: 168,
  alerts: 1,
  incidents: 1,
  };

function alert(overrides: Partial<ReplayAlert> = {}): ReplayAlert {
  return {
    ruleId: RULE.ruleId,
    ruleName: RULE.ruleName,
    ruleFile: RULE.ruleFile,
    runTime: "2026-11-20T12:00:00Z",
    windowStart: "2026-11-06T12:00:00Z",
    windowEnd: "2026-11-20T12:00:00Z",
    title: "Azure OpenAI key used from new network 185.220.101.0/24 on PROD-AOAI",
    description: "30 successful API-key calls to account PROD-AOAI in the last hour came from 185.220.101.0/24.",
    severity: "Medium",
    tactics: ["InitialAccess"],
    techniques: ["T1078.004"],
    entities: [{ type: "AzureResource", identifiers: { ResourceId: "/SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/PROD-AOAI" } }],
    customDetails: { CallerPrefix: ["185.220.101.0/24"], Calls: [30] },
    incident: 0,
    rows: [{ CallerPrefix: "185.220.101.0/24", Calls: 30 }],
    rowCount: 1,
    ...overrides,
  };
}

function result(overrides: Partial<ReplayResult> = {}): ReplayResult {
  return {
    from: "2026-11-16T00:00:00Z",
    to: "2026-11-23T00:00:00Z",
    inputs: [{ file: "raw/AzureDiagnostics.jsonl", source: "AzureDiagnostics", table: "AzureDiagnostics", recognisedBy: "content", events: 1000, rows: 1000 }],
    rules: [RULE],
    alerts: [alert()],
    incidents: [{ ruleId: RULE.ruleId, title: "t", severity: "Medium", firstAlert: "2026-11-20T12:00:00Z", lastAlert: "2026-11-20T12:00:00Z", alerts: 1 }],
    stats: { events: 1000, rows: 1000, runs: 168, elapsedMs: 1234, peakRssBytes: 200 * 1048576 },
    ...overrides,
  };
}

interface Data {
  ticks: Array<[number, string]>;
  charts: Array<{ title: string; lanes: Array<{ label: string; alerts: number; marks: Array<[number, number, number, string, string, string]> }>; lanesNotDrawn: number; alertsNotDrawn: number }>;
  alerts: Array<{ title: string; entities: string[]; customDetails: Array<[string, string]>; rows: Array<Array<[string, string]>>; rowsNotShown: number }>;
  alertsNotListed: number;
}

/** The JSON the page's script draws from, read back out of the HTML. */
function dataOf(html: string): Data {
  const match = /<script type="application\/json" id="replay-data">([^<]*)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as Data;
}

const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(2)><!-- "'&\u2028`;

describe("renderReplayHtml", () => {
  it("escapes vendor text in the summary and keeps it intact, but inert, in the embedded data", () => {
    const html = renderReplayHtml(
      result({
        inputs: [{ file: `raw/${HOSTILE}.jsonl`, source: "AzureActivity", table: "AzureActivity", recognisedBy: "content", events: 1, rows: 1 }],
        rules: [{ ...RULE, ruleName: HOSTILE, skipped: HOSTILE }],
        alerts: [alert({ ruleName: HOSTILE, title: HOSTILE, entities: [{ type: "Account", identifiers: { Name: HOSTILE } }], customDetails: { X: [HOSTILE] }, rows: [{ [HOSTILE]: HOSTILE }] })],
      }),
    );
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<!-- ");
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain(`<td>${escapeHtml(HOSTILE)}</td>`);
    const data = dataOf(html);
    expect(data.alerts[0]?.title).toBe(HOSTILE);
    expect(data.alerts[0]?.rows[0]).toEqual([[HOSTILE, HOSTILE]]);
    expect(data.alerts[0]?.entities).toEqual([`Account: ${HOSTILE}`]);
  });

  it.each([
    ["<", "&#60;"],
    [">", "&#62;"],
    ["&", "&#38;"],
    ['"', "&#34;"],
    ["'", "&#39;"],
  ])("escapes %s in HTML text", (raw, escaped) => {
    expect(escapeHtml(`a${raw}b`)).toBe(`a${escaped}b`);
  });

  it("writes JSON that cannot close its script element and parses back to the same value", () => {
    const value = { s: HOSTILE };
    const json = scriptSafeJson(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it("is self-contained: no external resource, the script allowed by its hash only", () => {
    const html = renderReplayHtml(result());
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it("renders an empty result: the range and zero counts, no lanes and no alerts", () => {
    const html = renderReplayHtml(result({ inputs: [], rules: [], alerts: [], incidents: [], stats: { events: 0, rows: 0, runs: 0, elapsedMs: 0, peakRssBytes: 0 } }));
    expect(html).toContain("<dt>Range</dt><dd>2026-11-16T00:00:00Z – 2026-11-23T00:00:00Z</dd>");
    expect(html).toContain("<dt>Alerts</dt><dd>0</dd>");
    expect(html).toContain("<h2>Alerts (0)</h2>");
    const data = dataOf(html);
    expect(data.alerts).toEqual([]);
    expect(data.charts.map((c) => c.lanes.length)).toEqual([0, 0]);
  });

  it("lists skipped rules with their reason and counts them apart from the rules run", () => {
    const skipped = { ...RULE, ruleId: "r2", ruleName: "Uses an unsupported operator", runs: 0, alerts: 0, incidents: 0, skipped: "the offline engine does not support evaluate autocluster()" };
    const html = renderReplayHtml(result({ rules: [RULE, skipped] }));
    expect(html).toContain("<dt>Rules</dt><dd>1 run, 1 skipped</dd>");
    expect(html).toMatch(/<tr class="skipped"><td>Uses an unsupported operator<\/td>.*<td>the offline engine does not support evaluate autocluster\(\)<\/td><\/tr>/);
  });

  it("draws one day tick per day of a week and places a mark at its run time", () => {
    const data = dataOf(renderReplayHtml(result()));
    expect(data.ticks.map((t) => t[1])).toEqual(["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]);
    const [perRule, perEntity] = data.charts;
    expect(perRule?.lanes).toEqual([{ label: RULE.ruleName, alerts: 1, marks: [[578, 1, 2, "2026-11-20T12:00:00Z", "2026-11-20T12:00:00Z", alert().title]] }]);
    expect(perEntity?.lanes[0]?.label).toBe("AzureResource: /SUBSCRIPTIONS/X/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/PROD-AOAI");
  });

  it("merges alerts of one lane and time column into one mark with their count and highest severity", () => {
    const alerts = [alert({ severity: "Low" }), alert({ severity: "High", runTime: "2026-11-20T12:01:00Z" }), alert({ severity: "Medium", runTime: "2026-11-20T12:02:00Z" })];
    const [perRule] = dataOf(renderReplayHtml(result({ alerts }))).charts;
    expect(perRule?.lanes[0]?.marks).toEqual([[578, 3, 3, "2026-11-20T12:00:00Z", "2026-11-20T12:02:00Z", alert().title]]);
  });

  it("stays bounded on 100,000 alerts: caps lanes, marks, table rows and cell text, and says how much was left out", () => {
    const rows = Array.from({ length: 60 }, () => ({ Prompt: "x".repeat(10_000) }));
    const alerts = Array.from({ length: 100_000 }, (_, i) =>
      alert({
        ruleName: `Rule ${i % 60}`,
        runTime: new Date(Date.parse("2026-11-16T00:00:00Z") + i * 6_000).toISOString(),
        entities: [{ type: "Account", identifiers: { Name: `user${i % 5000}@contoso.com` } }],
        rows,
        rowCount: 500,
      }),
    );
    const started = performance.now();
    const html = renderReplayHtml(result({ alerts }), { maxLanes: 40, maxMarks: 4000, maxTableAlerts: 1000 });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(html.length).toBeLessThan(8 * 1024 * 1024);
    const data = dataOf(html);
    for (const chart of data.charts) {
      expect(chart.lanes.length).toBe(40);
      const drawn = chart.lanes.reduce((n, lane) => n + lane.marks.length, 0);
      expect(drawn).toBeLessThanOrEqual(4000);
      const drawnAlerts = chart.lanes.reduce((n, lane) => n + lane.marks.reduce((m, mark) => m + mark[1], 0), 0);
      expect(drawnAlerts + chart.alertsNotDrawn).toBe(100_000);
    }
    expect(data.charts[0]?.lanesNotDrawn).toBe(20);
    expect(data.charts[1]?.lanesNotDrawn).toBe(4960);
    expect(data.alerts).toHaveLength(1000);
    expect(data.alertsNotListed).toBe(99_000);
    expect(data.alerts[0]?.rows).toHaveLength(50);
    expect(data.alerts[0]?.rowsNotShown).toBe(450);
    expect(data.alerts[0]?.rows[0]?.[0]?.[1]).toBe(`${"x".repeat(2000)}… (8000 more characters)`);
    const shownRows = data.alerts.reduce((n, a) => n + a.rows.length, 0);
    expect(shownRows).toBe(Math.ceil(4_000_000 / (6 + 2000 + "… (8000 more characters)".length)));
    expect(data.alerts[999]).toMatchObject({ rows: [], rowsNotShown: 500 });
  });

  it("gives the same bytes for the same result, whatever the clock says", () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date("2020-01-01T00:00:00Z"));
      const first = renderReplayHtml(result());
      vi.setSystemTime(new Date("2031-06-01T12:34:56Z"));
      expect(renderReplayHtml(result())).toBe(first);
    } finally {
      vi.useRealTimers();
    }
  });
});
