import type { ApplyResult } from "./apply.ts";
import type { DriftItem } from "./drift.ts";
import type { FieldChange } from "./normalize.ts";
import { summarizePlan, type Plan, type PlanItem } from "./plan.ts";
import type { Ownership } from "../build/marker.ts";
import { assertNever, messageWithCause, type Diagnostic } from "../diagnostics/index.ts";

/** Output formats of deploy and drift. */
export type ReportFormat = "text" | "markdown" | "json";

const SYMBOL: Record<PlanItem["action"], string> = { create: "+", update: "~", delete: "-", noop: "=" };
const MAX_VALUE = 160;

/** Renders a plan: one line per item with its field-level diff, orphans, and the counts. */
export function formatPlan(plan: Plan, format: ReportFormat, environment: string): string {
  const counts = summarizePlan(plan);
  switch (format) {
    case "json":
      return `${JSON.stringify({ environment, counts, prune: plan.prune, items: plan.items.map(jsonItem), orphans: plan.orphans.map(jsonItem), conflicts: plan.conflicts.map(jsonItem), leftAlone: plan.leftAlone.map(jsonItem), deleteGuard: plan.guard, findings: plan.findings.map(jsonFinding) }, null, 2)}\n`;
    case "markdown": {
      const lines = [`### Sentinel deployment plan: ${code(environment)}`, "", `**${counts.create}** to create, **${counts.update}** to update, **${counts.delete}** to delete, ${counts.noop} unchanged.`, ""];
      const changed = plan.items.filter((i) => i.action !== "noop");
      if (changed.length > 0) {
        lines.push("| | kind | name | file | changes |", "|---|---|---|---|---|");
        for (const item of changed) lines.push(`| ${item.action} | ${item.kind} | ${md(item.title)} | ${item.file ? code(item.file) : ""} | ${item.changes.map((c) => code(fieldName(c))).join(", ")} |`);
        lines.push(...markdownFieldChanges(changed.filter((i) => i.action === "update")));
      }
      if (plan.orphans.length > 0) {
        lines.push("", `${plan.orphans.length} resource(s) created by this repository are no longer in it; \`--prune\` would delete them:`, "");
        for (const item of plan.orphans) lines.push(`- ${item.kind} ${md(item.title)} (${code(item.name)})`);
      }
      lines.push(...safetyLines(plan).map((l) => (l ? `> ${md(l)}` : "")));
      return `${lines.join("\n")}\n`;
    }
    case "text": {
      const lines: string[] = [];
      for (const item of plan.items) {
        lines.push(`${SYMBOL[item.action]} ${item.action.padEnd(6)} ${item.kind.padEnd(13)} ${plain(item.title)}${item.file ? `  (${plain(item.file)})` : ""}${item.action === "update" ? modified(item) : ""}`);
        for (const change of item.changes) lines.push(...diffLines(change).map((l) => `      ${plain(l)}`));
      }
      for (const item of plan.orphans) lines.push(`! orphan ${item.kind.padEnd(13)} ${plain(item.title)}  (repository-owned, gone from the repository; deleted only with --prune)`);
      lines.push(...safetyLines(plan).map(plain));
      lines.push("", `Plan for ${plain(environment)}: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.noop} unchanged${plan.orphans.length ? `, ${plan.orphans.length} orphaned` : ""}.`);
      return `${lines.join("\n")}\n`;
    }
    default:
      return assertNever(format, "format");
  }
}

/** The ownership conflicts, the resources prune leaves alone and the delete guard, as sentences (empty when none applies). */
function safetyLines(plan: Plan): string[] {
  const lines: string[] = [];
  for (const item of plan.conflicts) {
    lines.push(`! conflict ${item.kind} ${item.title} (${item.name}): a resource of that name exists in the workspace and is ${OWNERSHIP_WORDS[item.ownership ?? "unmarked"]}; apply refuses it unless --adopt`);
  }
  for (const item of plan.leftAlone) {
    lines.push(`! left alone ${item.kind} ${item.title} (${item.name}): ${OWNERSHIP_WORDS[item.ownership ?? "unmarked"]}; prune never deletes it`);
  }
  for (const finding of plan.findings) {
    lines.push(`! ${finding.severity} ${finding.code} (${finding.file}): ${messageWithCause(finding)}${finding.code === "SC7040" ? "; apply refuses the plan" : ""}`);
  }
  const { guard } = plan;
  if (guard.tripped && guard.deletes > 0) {
    lines.push(`! delete guard: ${guard.deletes} deletes of ${guard.owned} repository-owned resources exceeds ${guard.maxDeletes} deletes or ${Math.round(guard.maxFraction * 100)}%; apply --prune refuses without --allow-mass-delete`);
  }
  return lines.length > 0 ? ["", ...lines] : [];
}

/** A plan-time finding as JSON: code, severity, file, message and inner cause when there is one. */
function jsonFinding(finding: Diagnostic): Record<string, string> {
  return { code: finding.code, severity: finding.severity, file: finding.file, message: finding.message, ...(finding.cause === undefined ? {} : { cause: finding.cause }) };
}

const OWNERSHIP_WORDS: Record<Ownership, string> = {
  owned: "owned by this repository",
  legacy: "marked by this repository without a name binding",
  copied: "a copy of a resource of this repository (its marker names another resource)",
  foreign: "owned by another repository",
  unmarked: "not made by this repository (no marker)",
};

/** Renders apply results: a per-item table (failures with ARM's message) and a summary line. */
export function formatApply(results: readonly ApplyResult[], format: ReportFormat): string {
  const count = (status: ApplyResult["status"]) => results.filter((r) => r.status === status).length;
  const summary = `${count("created")} created, ${count("updated")} updated, ${count("deleted")} deleted, ${count("unchanged")} unchanged, ${count("failed")} failed, ${count("skipped")} skipped`;
  const acted = results.filter((r) => r.status !== "unchanged");
  switch (format) {
    case "json":
      return `${JSON.stringify({ summary, results: results.map((r) => ({ key: r.item.key, kind: r.item.kind, title: r.item.title, file: r.item.file, action: r.item.action, status: r.status, error: r.error, ms: Math.round(r.ms) })) }, null, 2)}\n`;
    case "markdown": {
      const lines = ["### Sentinel deployment result", "", summary, ""];
      if (acted.length > 0) {
        lines.push("| status | kind | name | ms | error |", "|---|---|---|---|---|");
        for (const r of acted) lines.push(`| ${r.status} | ${r.item.kind} | ${md(r.item.title)} | ${Math.round(r.ms)} | ${md(r.error ?? "")} |`);
      }
      return `${lines.join("\n")}\n`;
    }
    case "text": {
      const lines = acted.map((r) => `${r.status.padEnd(8)} ${r.item.kind.padEnd(13)} ${plain(r.item.title)} ${Math.round(r.ms)} ms${r.error ? `\n         ${plain(r.error)}` : ""}`);
      lines.push("", `Apply: ${summary}.`);
      return `${lines.join("\n")}\n`;
    }
    default:
      return assertNever(format, "format");
  }
}

/** Renders a drift report: which fields changed, who and when, and whether --absorb can take each. */
export function formatDrift(drift: readonly DriftItem[], missing: readonly PlanItem[], format: ReportFormat, environment: string): string {
  switch (format) {
    case "json":
      return `${JSON.stringify({ environment, drifted: drift.map((d) => ({ ...jsonItem(d.item), fields: d.fields.map((f) => ({ ...f.change, yamlPath: f.yamlPath?.join("."), notAbsorbable: f.reason })) })), missing: missing.map(jsonItem) }, null, 2)}\n`;
    case "markdown":
    case "text": {
      const absent = missing.length === 0 ? "" : `\nNot in the workspace (deleted there, or never applied): ${missing.map((m) => `${m.kind} ${m.title}`).join("; ")}.\n`;
      if (drift.length === 0) return `No drift in ${plain(environment)}: every repository-managed resource in the workspace matches the repository.\n${absent}`;
      const lines: string[] = [format === "markdown" ? `### Drift in ${code(environment)}` : `Drift in ${plain(environment)}:`, ""];
      for (const entry of drift) {
        const title = format === "markdown" ? `**${md(entry.item.title)}**` : plain(entry.item.title);
        lines.push(`${title} (${entry.item.kind}, ${format === "markdown" ? md(entry.item.file ?? "") : plain(entry.item.file ?? "")})${modified(entry.item)}`);
        for (const field of entry.fields) {
          const path = fieldName(field.change);
          const note = field.reason ? ` [not absorbable: ${field.reason}]` : "";
          const text = multilineChange(field.change);
          if (text) lines.push(`  ${path}: changed in the workspace${note}`, ...text.map((l) => `    ${l}`));
          else lines.push(`  ${path}: ${short(field.change.desired)} (repository) → ${short(field.change.live)} (workspace)${note}`);
        }
        lines.push("");
      }
      return `${lines.join("\n")}\n${absent}`;
    }
    default:
      return assertNever(format, "format");
  }
}

/** The collapsed field-level diffs of the updates (nothing when there are none). */
function markdownFieldChanges(updates: readonly PlanItem[]): string[] {
  if (updates.length === 0) return [];
  const lines = ["", "<details><summary>Field-level changes</summary>", ""];
  for (const item of updates) {
    const diff = item.changes.flatMap(diffLines).map(plain);
    const fence = "`".repeat(Math.max(3, longestBacktickRun(diff.join("\n")) + 1));
    lines.push(`**${md(item.title)}** (${item.kind})${md(modified(item))}`, "", `${fence}diff`, ...diff, fence, "");
  }
  lines.push("</details>");
  return lines;
}

function jsonItem(item: PlanItem): Record<string, unknown> {
  const { body: _body, ...rest } = item;
  return rest;
}

/** A changed field as reports name it: its REST path without the leading `properties.`. */
function fieldName(change: FieldChange): string {
  return change.path.replace(/^properties\./, "");
}

function diffLines(change: FieldChange): string[] {
  const path = fieldName(change);
  const text = multilineChange(change);
  if (text) return [`~ ${path}: (multi-line text, changed lines)`, ...text];
  const lines: string[] = [];
  if (change.live !== undefined) lines.push(`- ${path}: ${short(change.live)}`);
  if (change.desired !== undefined) lines.push(`+ ${path}: ${short(change.desired)}`);
  return lines;
}

/** For multi-line strings: the changed lines only (common leading and trailing lines dropped), at most 20 each side. */
function multilineChange(change: FieldChange): string[] | undefined {
  const desired = change.desired === undefined ? undefined : (JSON.parse(change.desired) as unknown);
  const live = change.live === undefined ? undefined : (JSON.parse(change.live) as unknown);
  if (typeof desired !== "string" || typeof live !== "string" || (!desired.includes("\n") && !live.includes("\n"))) return undefined;
  const want = desired.split("\n");
  const have = live.split("\n");
  let head = 0;
  while (head < want.length && head < have.length && want[head] === have[head]) head++;
  let tail = 0;
  while (tail < want.length - head && tail < have.length - head && want[want.length - 1 - tail] === have[have.length - 1 - tail]) tail++;
  const removed = have.slice(head, have.length - tail).slice(0, 20).map((l) => `-   ${l}`);
  const added = want.slice(head, want.length - tail).slice(0, 20).map((l) => `+   ${l}`);
  return [`  @@ line ${head + 1}`, ...removed, ...added];
}

function modified(item: PlanItem): string {
  if (!item.lastModifiedBy && !item.lastModifiedAt) return "";
  return ` — last changed${item.lastModifiedBy ? ` by ${item.lastModifiedBy}` : ""}${item.lastModifiedAt ? ` at ${item.lastModifiedAt}` : ""}`;
}

function short(value: string | undefined): string {
  if (value === undefined) return "(not set)";
  const flat = value.replace(/\\n/g, "⏎");
  return flat.length > MAX_VALUE ? `${flat.slice(0, MAX_VALUE)}…` : flat;
}

/**
 * Text safe in a Markdown table cell and in GitHub's HTML rendering: line breaks (CR, LF) become spaces, HTML's
 * `& < >` become entities, and every Markdown punctuation that could start a link, image, emphasis, code span,
 * heading or cell (`\\ \` * _ [ ] ( ) # ! | ~`) is backslash-escaped; other control characters are dropped.
 */
export function md(text: string): string {
  return plain(text.replace(/\r\n?|\n/g, " "))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]()#!|~]/g, (c) => `\\${c}`);
}

/** An inline code span that no backtick, line break or HTML in `text` can break out of. */
function code(text: string): string {
  const flat = plain(text.replace(/\r\n?|\n/g, " "));
  const fence = "`".repeat(longestBacktickRun(flat) + 1);
  return fence.length === 1 ? `\`${flat}\`` : `${fence} ${flat} ${fence}`;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/** Text safe on a terminal: carriage returns, escapes and other control characters (except tab and LF) become `�`. */
export function plain(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\ufffd");
}
