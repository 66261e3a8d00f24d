// End to end: the replay HTML report of a realistic result (first-wave rules AOAI-001, ARM-001, CGPT-009) opened in
// headless Chromium (Debian's `chromium` package, installed by .ci/run). Asserts on the DOM after the page's script
// ran: the timeline marks and the alert rows exist only once the script has drawn them. Skipped only outside CI when
// Chromium is not installed; in CI (`CI` set) a missing Chromium fails the test.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { renderReplayHtml } from "../../src/replay/html-report.ts";
import type { ReplayResult } from "../../src/replay/result.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
const here = path.dirname(fileURLToPath(import.meta.url));
const result = JSON.parse(readFileSync(path.join(here, "first-wave-result.json"), "utf8")) as ReplayResult;
const work = mkdtempSync(path.join(tmpdir(), "replay-html-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The flags of a fresh, offline, headless profile. */
function chromiumFlags(userDataDir: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${userDataDir}`,
  ];
}

/** The DOM of a page after its scripts ran, as Chromium serialises it (bounded to 30 s). */
function dumpDom(file: string): Promise<string> {
  const profile = mkdtempSync(path.join(work, "profile-"));
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...chromiumFlags(profile), "--dump-dom", pathToFileURL(file).href], { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${CHROMIUM} failed: ${error.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

describe("replay HTML report in headless Chromium", () => {
  it.skipIf(!available && !inCi)("draws the timeline marks and the alert rows, and vendor text stays text", async () => {
    expect(available, `Chromium not found at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`).toBe(true);
    const html = renderReplayHtml(result);
    // the static file holds data, not the drawn elements
    expect(html).not.toContain('class="mark');
    expect(html).not.toContain('<tr class="alert"');
    const file = path.join(work, "report.html");
    writeFileSync(file, html);

    const dom = await dumpDom(file);

    expect(dom).toContain('data-rendered="true"');
    expect(count(dom, /<svg class="timeline"/g)).toBe(2);
    // per rule: AOAI-001 twice, ARM-001, CGPT-009; per entity: PROD-AOAI (ARM-001 and AOAI-001), mallory, 203.0.113.50, HR-COPILOT-AOAI, dave.lee
    expect(count(dom, /<circle class="mark sev-High"/g)).toBe(4);
    expect(count(dom, /<circle class="mark sev-Medium"/g)).toBe(6);
    expect(count(dom, /<circle class="mark [^>]*><title>[^<]+<\/title><\/circle>/g)).toBe(10);
    expect(dom).toContain('data-lane="Account: mallory / contoso.com / 0e3b7d29-5a81-4c6f-b2d4-8f1a3c5e7b90"');

    const rows = [...dom.matchAll(/<tr class="alert"><td title="([^"]+)">([^<]+)<\/td><td>([^<]+)<\/td>/g)].map((m) => [m[2], m[3]]);
    expect(rows).toEqual([
      ["Azure OpenAI key used from new network", "2026-11-18T03:00:00Z"],
      ["AI account keys listed by unusual caller", "2026-11-19T15:00:00Z"],
      ["Azure OpenAI key used from new network", "2026-11-20T22:00:00Z"],
      ["ChatGPT bulk paste above user baseline", "2026-11-21T12:00:00Z"],
    ]);
    expect(count(dom, /<details><summary>1 row<\/summary>/g)).toBe(4);
    expect(count(dom, /<tr class="row">/g)).toBe(4);

    // the conversation title carries markup: it is shown as text and creates no element
    expect(count(dom, /<img/g)).toBe(0);
    expect(dom).toContain("Contract review - Northwind renewal | &lt;/script&gt;&lt;img src=x onerror=alert(document.domain)&gt;");
    expect(dom).toMatch(/<tr class="skipped"><td>Azure OpenAI usage spike vs caller baseline<\/td>/);
  });
});
