import type { RuleSettings } from "./rule-settings.ts";
import { cellAt, columnIndex, selectRows, type ResultTable } from "../verdict/result-table.ts";
import { cellMatches, formatCell, isEmptyCell, type Cell } from "../spec/values.ts";

/** The most alerts one rule run raises; with AlertPerResult the last one summarizes every row. */
export const MAX_ALERTS_PER_RUN = 150;

/** One entity of an alert: its type and the identifiers that had values. */
export interface AlertEntity {
  type: string;
  identifiers: Record<string, Cell>;
}

/** The alert Sentinel would raise, as recorded in snapshots. */
export interface AlertSnapshot {
  displayName: string;
  description: string;
  severity: string;
  tactics: string[];
  techniques: string[];
  entities: AlertEntity[];
  customDetails: Record<string, Cell[]>;
  dynamicProperties?: Record<string, Cell>;
  /** How the alert came about: one per run (SingleAlert), one per row, or the 150th summary of a per-row run. */
  grouping: "SingleAlert" | "AlertPerResult" | "AlertPerResultSummary";
  /** Number of result rows (events) behind the alert. */
  events: number;
}

const SEVERITIES = ["High", "Medium", "Low", "Informational"];

const TACTICS = [
  "Reconnaissance", "ResourceDevelopment", "InitialAccess", "Execution", "Persistence", "PrivilegeEscalation",
  "DefenseEvasion", "CredentialAccess", "Discovery", "LateralMovement", "Collection", "Exfiltration",
  "CommandAndControl", "Impact", "PreAttack", "ImpairProcessControl", "InhibitResponseFunction",
];

/**
 * The alerts one triggered run raises from its result rows. SingleAlert: one alert for all rows. AlertPerResult:
 * one per row; beyond 150 rows, the first 149 rows get one alert each and the 150th alert summarizes every row
 * (what SingleAlert would have raised). A run that triggers with no rows (e.g. `lt` or `eq 0`) raises one alert.
 */
export function buildAlerts(settings: RuleSettings, table: ResultTable): AlertSnapshot[] {
  const all = table.rows.map((_, i) => i);
  if (settings.aggregationKind === "SingleAlert" || table.rows.length === 0) return [buildAlert(settings, table, "SingleAlert")];
  if (table.rows.length <= MAX_ALERTS_PER_RUN) return all.map((i) => buildAlert(settings, selectRows(table, [i]), "AlertPerResult"));
  const perRow = all.slice(0, MAX_ALERTS_PER_RUN - 1).map((i) => buildAlert(settings, selectRows(table, [i]), "AlertPerResult"));
  return [...perRow, buildAlert(settings, table, "AlertPerResultSummary")];
}

/** One alert from the given rows: overrides and dynamic severity read the first row; entities and details all rows. */
export function buildAlert(settings: RuleSettings, rows: ResultTable, grouping: AlertSnapshot["grouping"]): AlertSnapshot {
  const alert: AlertSnapshot = {
    displayName: settings.displayNameFormat ? substitute(settings.displayNameFormat, rows) : settings.name,
    description: settings.descriptionFormat ? substitute(settings.descriptionFormat, rows) : settings.description,
    severity: dynamicSeverity(settings, rows),
    tactics: dynamicTactics(settings, rows),
    techniques: [...settings.techniques],
    entities: buildEntities(settings, rows),
    customDetails: buildCustomDetails(settings, rows),
    grouping,
    events: rows.rows.length,
  };
  if (settings.dynamicProperties.length > 0) {
    alert.dynamicProperties = Object.fromEntries(settings.dynamicProperties.map((p) => [p.alertProperty, cellAt(rows, 0, p.value)]));
  }
  return alert;
}

/** Replaces each `{{Column}}` with the first row's value; placeholders naming no result column stay as written. */
export function substitute(format: string, rows: ResultTable): string {
  return format.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (whole, name: string) => {
    if (columnIndex(rows, name) < 0) return whole;
    const value = cellAt(rows, 0, name);
    return value === null ? "" : formatCell(value);
  });
}

function dynamicSeverity(settings: RuleSettings, rows: ResultTable): string {
  if (!settings.severityColumn) return settings.severity;
  const value = cellAt(rows, 0, settings.severityColumn);
  const match = typeof value === "string" ? SEVERITIES.find((s) => s.toLowerCase() === value.trim().toLowerCase()) : undefined;
  return match ?? settings.severity;
}

function dynamicTactics(settings: RuleSettings, rows: ResultTable): string[] {
  if (!settings.tacticsColumn) return [...settings.tactics];
  const value = cellAt(rows, 0, settings.tacticsColumn);
  const names = Array.isArray(value) ? value.map((v) => formatCell(v)) : typeof value === "string" ? value.split(",") : [];
  const tactics = names.map((n) => TACTICS.find((t) => t.toLowerCase() === n.trim().toLowerCase())).filter((t): t is string => t !== undefined);
  return tactics.length > 0 ? [...new Set(tactics)] : [...settings.tactics];
}

/** Entities of every row, in mapping order; identifiers without a value are left out, entities without any are dropped, duplicates merged. */
function buildEntities(settings: RuleSettings, rows: ResultTable): AlertEntity[] {
  const entities: AlertEntity[] = [];
  for (let row = 0; row < rows.rows.length; row++) {
    for (const mapping of settings.entityMappings) {
      const identifiers: Record<string, Cell> = {};
      for (const field of mapping.fieldMappings) {
        const value = cellAt(rows, row, field.columnName);
        if (!isEmptyCell(value)) identifiers[field.identifier] = value;
      }
      if (Object.keys(identifiers).length === 0) continue;
      const entity = { type: mapping.entityType, identifiers };
      if (!entities.some((e) => sameEntity(e, entity))) entities.push(entity);
    }
  }
  return entities;
}

/** True when two entities have the same type and identifiers. */
export function sameEntity(a: AlertEntity, b: AlertEntity): boolean {
  const keys = Object.keys(a.identifiers);
  return a.type === b.type && keys.length === Object.keys(b.identifiers).length && keys.every((k) => k in b.identifiers && cellMatches(a.identifiers[k] ?? null, b.identifiers[k] ?? null));
}

/** Custom details as Sentinel stores them: per key, the distinct non-empty values over the alert's rows. */
function buildCustomDetails(settings: RuleSettings, rows: ResultTable): Record<string, Cell[]> {
  const details: Record<string, Cell[]> = {};
  for (const [key, column] of Object.entries(settings.customDetails)) {
    const values: Cell[] = [];
    for (let row = 0; row < rows.rows.length; row++) {
      const value = cellAt(rows, row, column);
      if (!isEmptyCell(value) && !values.some((v) => JSON.stringify(v) === JSON.stringify(value))) values.push(value);
    }
    details[key] = values;
  }
  return details;
}
