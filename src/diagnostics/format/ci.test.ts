import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeDiagnostic } from "../diagnostic.ts";
import { azureData, azureProperty, githubData, githubProperty, markdownCell } from "./ci-commands.ts";
import { diagnosticsSummaryMarkdown, formatAzureDevops, formatDiagnostics, formatGithub, OUTPUT_FORMATS, publishJobSummary } from "./index.ts";

const DIAGNOSTICS = [
  makeDiagnostic("SC2101", { file: "analytics-rules/a.yaml", start: { line: 1, col: 5 }, end: { line: 1, col: 13 } }, 'id "6b1e3f5a" is not a GUID'),
  makeDiagnostic("SC2004", { file: "analytics-rules/a.yaml", start: { line: 3, col: 11 } }, '"Extreme" is not allowed for \'severity\''),
  makeDiagnostic("SC2121", { file: "hunting-queries/h.yaml", start: { line: 7, col: 3 } }, "tactic 'impact' is spelled 'Impact' in Sentinel"),
  makeDiagnostic("SC7005", { file: "watchlists/w.yaml", start: { line: 2, col: 1 } }, "not absorbable"),
];

/** A finding whose path and message try to end the command early and forge a second one. */
const HOSTILE = makeDiagnostic("SC2101", { file: "a,b:c;d]e%.yaml", start: { line: 2, col: 1 } }, "50%\r\n::error::forged\n##vso[task.complete result=Succeeded]\u0007", { hint: "" });

describe("CI formats (golden output)", () => {
  it("github annotations", async () => {
    await expect(formatGithub(DIAGNOSTICS, 4)).toMatchFileSnapshot("./__golden__/github.txt");
  });
  it("azure-devops logging commands", async () => {
    await expect(formatAzureDevops(DIAGNOSTICS, 4)).toMatchFileSnapshot("./__golden__/azure-devops.txt");
  });
  it("markdown job summary", async () => {
    await expect(diagnosticsSummaryMarkdown("sentinel-content validate", DIAGNOSTICS, 4)).toMatchFileSnapshot("./__golden__/summary.md");
  });
  it.each(["github", "azure-devops"] as const)("%s is a registered output format", (format) => {
    expect(OUTPUT_FORMATS).toContain(format);
    expect(formatDiagnostics(format, DIAGNOSTICS, { checkedFiles: 4, toolVersion: "0" })).toContain("SC2101");
  });
});

describe("escaping", () => {
  it("keeps a hostile github annotation on one line with its fields intact", () => {
    const [line, summary] = formatGithub([HOSTILE], 1).trimEnd().split("\n");
    expect(summary).toBe("1 error, 0 warnings in 1 of 1 file");
    expect(line).toBe("::error file=a%2Cb%3Ac;d]e%25.yaml,line=2,col=1,title=SC2101::50%25%0D%0A::error::forged%0A##vso[task.complete result=Succeeded]\ufffd");
  });
  it("keeps a hostile azure-devops issue on one line with its fields intact", () => {
    const [line] = formatAzureDevops([HOSTILE], 1).split("\n");
    expect(line).toBe("##vso[task.logissue type=error;sourcepath=a,b:c%3Bd%5De%AZP25.yaml;linenumber=2;columnnumber=1;code=SC2101;]50%AZP25%0D%0A::error::forged%0A##vso[task.complete result=Succeeded]\ufffd");
  });
  it("breaks up a command marker in azure-devops info lines, which carry no command of their own", () => {
    const info = makeDiagnostic("SC7005", { file: "##vso[task.setvariable variable=x]y.yaml", start: { line: 1, col: 1 } }, "m");
    expect(formatAzureDevops([info], 1)).not.toContain("##vso[task.setvariable");
  });
  it.each([
    [githubData, "%\r\n\u0000", "%25%0D%0A\ufffd"],
    [githubProperty, "a:b,c", "a%3Ab%2Cc"],
    [azureData, "%\r\n", "%AZP25%0D%0A"],
    [azureProperty, "a;b]c", "a%3Bb%5Dc"],
    [markdownCell, "a|b\n<script>`x`", "a\\|b &lt;script&gt;\\`x\\`"],
  ])("%o escapes %j", (escape, text, expected) => {
    expect(escape(text)).toBe(expected);
  });
});

describe("job summary publication", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  it("appends to $GITHUB_STEP_SUMMARY", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "summary-"));
    const file = path.join(dir, "step.md");
    expect(publishJobSummary("github", "validate", "# one\n", { GITHUB_STEP_SUMMARY: file })).toBe("");
    publishJobSummary("github", "validate", "# two\n", { GITHUB_STEP_SUMMARY: file });
    expect(readFileSync(file, "utf8")).toBe("# one\n\n# two\n\n");
  });
  it("writes the Azure Pipelines summary file and returns its upload command", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "summary-"));
    const command = publishJobSummary("azure-devops", "test", "# s\n", { TF_BUILD: "True", AGENT_TEMPDIRECTORY: dir });
    const file = path.join(dir, "sentinel-content-test-summary.md");
    expect(command).toBe(`##vso[task.uploadsummary]${file}\n`);
    expect(readFileSync(file, "utf8")).toBe("# s\n");
  });
  it("writes nothing outside CI", () => {
    expect(publishJobSummary("github", "validate", "x", {})).toBe("");
    expect(publishJobSummary("azure-devops", "validate", "x", {})).toBe("");
  });
});
