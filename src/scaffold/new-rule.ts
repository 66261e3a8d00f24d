import { randomUUID } from "node:crypto";
import { literalPrefix } from "../content/glob.ts";
import type { ContentLayout } from "../content/layout.ts";
import { ExitError } from "../diagnostics/errors.ts";
import { skeletonRows } from "../testing/spec/fixture-skeleton.ts";
import type { SchemaColumn } from "../testing/spec/typed-rows.ts";
import type { NewFile } from "./write-files.ts";

/** What `new rule` needs to know. */
export interface NewRuleRequest {
  /** The table the rule reads (bundled or a custom table of the repository). */
  table: string;
  columns: readonly SchemaColumn[];
  /** File name without extension: lowercase words joined by hyphens. */
  name: string;
  /** Folder for the rule, repo-relative (default: the layout's rule folder, then the table). */
  folder?: string;
  /** The instant the fixture row and the cases use (ms since the epoch). */
  now: number;
  /** The rule's id (default: a fresh random GUID). */
  id?: string;
}

const FILE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The rule, its tests file (a firing and a silent case) and a fixture row of the table, all valid as written. */
export function newRuleFiles(request: NewRuleRequest, layout: ContentLayout): NewFile[] {
  if (!FILE_NAME.test(request.name) || request.name.length > 100) {
    throw new ExitError(2, `the rule name ${JSON.stringify(request.name)} must be lowercase words joined by hyphens (at most 100 characters), e.g. key-listed`);
  }
  if (!request.columns.some((c) => c.name === "TimeGenerated")) throw new ExitError(2, `table ${request.table} has no TimeGenerated column to scope the rule by`);
  const folder = (request.folder ?? defaultFolder(layout, request.table)).replace(/\/+$/, "");
  const base = `${folder}/${request.name}`;
  const fixture = `fixtures/${request.name}.jsonl`;
  const minute = Math.floor(request.now / 60_000) * 60_000;
  const now = new Date(minute + 5 * 60_000).toISOString().replace(".000Z", "Z");
  return [
    { path: `${base}.yaml`, text: ruleText(request, request.id ?? randomUUID()) },
    { path: `${base}.tests.yaml`, text: testsText(request.table, fixture, now) },
    { path: `${folder}/${fixture}`, text: skeletonRows(request.columns, 1, minute) },
  ];
}

/** The folder the layout's first analytic-rule glob starts in, then the table (`analytics-rules/SigninLogs`). */
function defaultFolder(layout: ContentLayout, table: string): string {
  const rule = layout.rules.find((r) => r.kind === "analytic-rule");
  const prefix = rule ? literalPrefix(rule.glob) : "";
  if (!rule || prefix === "" || /[*?{]/.test(prefix)) throw new ExitError(2, "the layout has no fixed folder for analytic rules: give one with --folder");
  return `${prefix}/${table}`;
}

function title(name: string): string {
  const words = name.split("-").join(" ");
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

function ruleText(request: NewRuleRequest, id: string): string {
  return `id: ${id}
name: ${title(request.name)}
description: |
  What happened, why it matters and how to investigate (the columns to look at first).
severity: Medium
requiredDataConnectors: []
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: []
relevantTechniques: []
query: |
  let window = 1h;
  ${request.table}
  | where TimeGenerated > ago(window)
  | project TimeGenerated
version: 1.0.0
kind: Scheduled
`;
}

function testsText(table: string, fixture: string, now: string): string {
  return `cases:
  - name: fires on a matching row
    now: ${now}
    tables:
      ${table}: ${fixture}
    expect:
      alert: true
      rows: 1
  - name: stays silent without rows
    now: ${now}
    tables:
      ${table}: []
    expect:
      alert: false
`;
}
