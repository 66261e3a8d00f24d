import path from "node:path";
import { parseDuration } from "../../content/duration.ts";
import { stringList } from "../alert-rule.ts";
import type { BuiltResource } from "../types.ts";
import { fileStem, jsonText, type Skipped, type TargetInput, type TargetOutput } from "./target.ts";

/**
 * Facts from Microsoft's documentation of custom detections (MicrosoftDocs/defender-docs
 * defender-xdr/custom-detection-rules.md, ms.date 07/18/2024) and the Graph resource (microsoft-graph-docs-contrib
 * api-reference/beta/resources/security-detectionrule.md, security-ruleschedule.md, security-alerttemplate.md,
 * security-impacteduserasset.md; POST /beta/security/rules/detectionRules).
 */
/** Schedule periods and the lookback Defender applies to each ("Rule frequency"). */
export const DEFENDER_PERIODS: readonly { period: string; minutes: number; lookbackMinutes: number }[] = [
  { period: "1H", minutes: 60, lookbackMinutes: 4 * 60 },
  { period: "3H", minutes: 180, lookbackMinutes: 12 * 60 },
  { period: "12H", minutes: 720, lookbackMinutes: 48 * 60 },
  { period: "24H", minutes: 1440, lookbackMinutes: 30 * 1440 },
];

/** Tables on which "Continuous (NRT)" (period "0") is supported. */
export const NRT_TABLES = [
  "AlertEvidence", "CloudAppEvents", "DeviceEvents", "DeviceFileCertificateInfo", "DeviceFileEvents", "DeviceImageLoadEvents", "DeviceLogonEvents",
  "DeviceNetworkEvents", "DeviceNetworkInfo", "DeviceInfo", "DeviceProcessEvents", "DeviceRegistryEvents", "EmailAttachmentInfo", "EmailEvents",
  "EmailPostDeliveryEvents", "EmailUrlInfo", "IdentityDirectoryEvents", "IdentityLogonEvents", "IdentityQueryEvents", "UrlClickEvents",
] as const;

/** Result columns that identify an impacted asset, with the Graph impactedAsset type and identifier for each. */
export const ASSET_COLUMNS: Record<string, { odataType: string; identifier: string }> = {
  DeviceId: { odataType: "#microsoft.graph.security.impactedDeviceAsset", identifier: "deviceId" },
  DeviceName: { odataType: "#microsoft.graph.security.impactedDeviceAsset", identifier: "deviceName" },
  RemoteDeviceName: { odataType: "#microsoft.graph.security.impactedDeviceAsset", identifier: "remoteDeviceName" },
  RecipientEmailAddress: { odataType: "#microsoft.graph.security.impactedMailboxAsset", identifier: "recipientEmailAddress" },
  SenderFromAddress: { odataType: "#microsoft.graph.security.impactedMailboxAsset", identifier: "senderFromAddress" },
  SenderMailFromAddress: { odataType: "#microsoft.graph.security.impactedMailboxAsset", identifier: "senderMailFromAddress" },
  AccountObjectId: { odataType: "#microsoft.graph.security.impactedUserAsset", identifier: "accountObjectId" },
  AccountSid: { odataType: "#microsoft.graph.security.impactedUserAsset", identifier: "accountSid" },
  AccountUpn: { odataType: "#microsoft.graph.security.impactedUserAsset", identifier: "accountUpn" },
  RecipientObjectId: { odataType: "#microsoft.graph.security.impactedUserAsset", identifier: "recipientObjectId" },
  InitiatingProcessAccountUpn: { odataType: "#microsoft.graph.security.impactedUserAsset", identifier: "initiatingProcessAccountUpn" },
};

/** Columns every custom detection's results must hold besides an impacted asset ("Required columns in the query results"). */
export const REQUIRED_COLUMNS = ["Timestamp", "ReportId"] as const;

/** Sentinel rule features a detectionRule has no field for: built rules lose them (listed per rule in the manifest). */
const DROPPED_FEATURES = ["entityMappings", "customDetails", "alertDetailsOverride", "incidentConfiguration", "eventGroupingSettings", "suppressionEnabled"] as const;

/** The result columns of a query, or undefined when they cannot be determined (the rule is then not built). */
export type ResultColumnsOf = (query: string) => readonly string[] | undefined;

/** The reasons a rule cannot run as a Defender XDR custom detection (empty when it can), and its schedule period. */
export function defenderFit(data: Record<string, unknown>, columnsOf: ResultColumnsOf): { reasons: string[]; period?: string; assets: string[] } {
  const reasons: string[] = [];
  const query = String(data["query"] ?? "");
  const period = data["kind"] === "NRT" ? nrtPeriod(query, reasons) : scheduledPeriod(data, query, reasons);
  const operator = String(data["triggerOperator"] ?? "gt").toLowerCase();
  const threshold = Number(data["triggerThreshold"] ?? 0);
  if (data["kind"] !== "NRT" && !((operator === "gt" || operator === "greaterthan") && threshold === 0)) {
    reasons.push(`trigger "${operator} ${threshold}": a custom detection alerts on every result row and has no trigger threshold`);
  }
  const columns = columnsOf(query);
  const assets: string[] = [];
  if (columns === undefined) reasons.push("the query's result columns could not be determined, so the required columns cannot be checked");
  else {
    const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
    if (missing.length > 0) reasons.push(`the results lack ${missing.join(" and ")}, which custom detections require`);
    const seen = new Set<string>();
    for (const c of columns) {
      const asset = ASSET_COLUMNS[c];
      if (asset && !seen.has(asset.odataType)) {
        seen.add(asset.odataType);
        assets.push(c);
      }
    }
    if (assets.length === 0) reasons.push(`the results hold no impacted-asset column (one of ${Object.keys(ASSET_COLUMNS).join(", ")})`);
  }
  return { reasons, ...(period ? { period } : {}), assets };
}

function nrtPeriod(query: string, reasons: string[]): string | undefined {
  const tables = NRT_TABLES.filter((t) => new RegExp(`\\b${t}\\b`).test(query));
  if (tables.length !== 1) reasons.push(`NRT: continuous custom detections read exactly one of the tables ${NRT_TABLES.join(", ")}; this query reads ${tables.length === 0 ? "none of them" : tables.join(", ")}`);
  if (/\b(join|union|externaldata)\b/.test(query)) reasons.push("NRT: continuous custom detections cannot use join, union or externaldata");
  if (/\/\//.test(query)) reasons.push("NRT: continuous custom detections cannot contain comments");
  return "0";
}

function scheduledPeriod(data: Record<string, unknown>, query: string, reasons: string[]): string | undefined {
  const frequency = minutesOf(data["queryFrequency"]);
  const lookback = minutesOf(data["queryPeriod"]);
  const match = DEFENDER_PERIODS.find((p) => p.minutes === frequency);
  if (!match) {
    reasons.push(`queryFrequency ${String(data["queryFrequency"])}: custom detections run every 1, 3, 12 or 24 hours`);
    return undefined;
  }
  if (lookback !== undefined && lookback > match.lookbackMinutes) {
    reasons.push(`queryPeriod ${String(data["queryPeriod"])} is longer than the ${hours(match.lookbackMinutes)} lookback of a rule run every ${match.period}`);
  } else if (lookback !== undefined && lookback < match.lookbackMinutes && !/\bago\s*\(/.test(query)) {
    reasons.push(`queryPeriod ${String(data["queryPeriod"])} is shorter than the ${hours(match.lookbackMinutes)} lookback of a rule run every ${match.period}, and the query has no time filter of its own (ago(...)) to keep its window`);
  }
  return match.period;
}

function hours(minutes: number): string {
  return minutes % 1440 === 0 ? `${minutes / 1440}-day` : `${minutes / 60}-hour`;
}

/** Minutes of a rule duration (5m, 1h, 14d, or ISO 8601 as the REST API writes it), or undefined. */
function minutesOf(value: unknown): number | undefined {
  const ms = parseDuration(value);
  return ms === undefined ? undefined : ms / 60_000;
}

const SEVERITY: Record<string, string> = { informational: "informational", low: "low", medium: "medium", high: "high" };

/** The Graph detectionRule body of a rule that fits (POST /beta/security/rules/detectionRules). */
export function detectionRule(data: Record<string, unknown>, period: string, assets: readonly string[]): Record<string, unknown> {
  return {
    displayName: String(data["name"] ?? ""),
    isEnabled: data["enabled"] !== false,
    queryCondition: { queryText: String(data["query"] ?? "") },
    schedule: { period },
    detectionAction: {
      alertTemplate: {
        title: String(data["name"] ?? ""),
        description: String(data["description"] ?? "").trim(),
        severity: SEVERITY[String(data["severity"] ?? "").toLowerCase()] ?? "medium",
        category: stringList(data["tactics"])[0] ?? "SuspiciousActivity",
        recommendedActions: null,
        mitreTechniques: [...new Set([...stringList(data["relevantTechniques"]), ...stringList(data["techniques"])])],
        impactedAssets: assets.map((c) => ({ "@odata.type": ASSET_COLUMNS[c]?.odataType, identifier: ASSET_COLUMNS[c]?.identifier })),
      },
      organizationalScope: null,
      responseActions: [],
    },
  };
}

/**
 * Defender XDR custom detections: `defender/<rule>.json` (a Graph detectionRule) for each analytic rule that fits,
 * `defender/manifest.json` listing what each built rule drops and what could not be built and why.
 */
export function buildDefenderTarget(input: TargetInput, columnsOf: ResultColumnsOf): TargetOutput {
  const files = new Map<string, string>();
  const skipped: Skipped[] = [];
  const built: { file: string; source: string; dropped: string[] }[] = [];
  const rules = input.resources.filter((r): r is BuiltResource => r.kind === "alert-rule");
  for (const rule of rules) {
    const item = input.items.find((i) => i.file === rule.source.file);
    if (!item) continue;
    const fit = defenderFit(item.data, columnsOf);
    if (fit.reasons.length > 0 || !fit.period) {
      skipped.push({ item: rule.source.file, reason: fit.reasons.join("; ") });
      continue;
    }
    const file = `defender/${fileStem(path.posix.basename(rule.source.file).replace(/\.ya?ml$/i, ""))}.json`;
    files.set(file, jsonText(detectionRule(item.data, fit.period, fit.assets)));
    built.push({ file, source: rule.source.file, dropped: DROPPED_FEATURES.filter((f) => item.data[f] !== undefined && item.data[f] !== false) });
  }
  for (const r of input.resources) if (r.kind !== "alert-rule") skipped.push({ item: r.key, reason: `a ${r.kind} is not an analytic rule; Defender custom detections hold rules only` });
  files.set("defender/manifest.json", jsonText({ built, notExpressible: skipped }));
  return { files, built: built.length, skipped };
}
