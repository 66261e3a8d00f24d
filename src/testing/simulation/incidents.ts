import { assertNever } from "../../diagnostics/index.ts";
import type { AlertEntity, AlertSnapshot } from "./alerts.ts";
import type { GroupingSettings, RuleSettings } from "./rule-settings.ts";

/** The most alerts one incident holds; further matching alerts open a new incident. */
export const MAX_ALERTS_PER_INCIDENT = 150;

/** An alert raised at a point in time (epoch ms of the run that raised it). */
export interface TimedAlert {
  time: number;
  alert: AlertSnapshot;
}

/** An incident: when it was created and the indexes (into the alert list) of its alerts. */
export interface SimulatedIncident {
  created: number;
  alerts: number[];
}

/**
 * Groups a rule's alerts (in time order) into incidents as Sentinel's incident settings say: none when
 * createIncident is false; one per alert without grouping; with grouping, an alert joins the newest incident
 * created within lookbackDuration before it whose alerts match (AnyAlert: every alert; AllEntities: the same
 * entity set; Selected: the same values of the chosen entity types, alert details and custom details), until
 * the incident holds 150 alerts. Closed incidents are not modelled (reopenClosedIncident has no effect).
 */
export function groupIncidents(settings: Pick<RuleSettings, "createIncident" | "grouping">, alerts: readonly TimedAlert[]): SimulatedIncident[] {
  if (!settings.createIncident) return [];
  const incidents: (SimulatedIncident & { key: string })[] = [];
  alerts.forEach((timed, index) => {
    const grouping = settings.grouping;
    if (!grouping) {
      incidents.push({ created: timed.time, alerts: [index], key: "" });
      return;
    }
    const key = matchingKey(grouping, timed.alert);
    const open = [...incidents]
      .reverse()
      .find((i) => i.key === key && timed.time - i.created <= grouping.lookbackMs && i.alerts.length < MAX_ALERTS_PER_INCIDENT);
    if (open) open.alerts.push(index);
    else incidents.push({ created: timed.time, alerts: [index], key });
  });
  return incidents.map(({ created, alerts: members }) => ({ created, alerts: members }));
}

function entityKey(entity: AlertEntity): string {
  const identifiers = Object.keys(entity.identifiers)
    .sort()
    .map((k) => [k, entity.identifiers[k]]);
  return JSON.stringify([entity.type, identifiers]);
}

function entitySetKey(entities: readonly AlertEntity[]): string {
  return JSON.stringify([...new Set(entities.map(entityKey))].sort());
}

/** The value alerts must share to be grouped together under the given settings. */
export function matchingKey(grouping: GroupingSettings, alert: AlertSnapshot): string {
  switch (grouping.matchingMethod) {
    case "AnyAlert":
      return "";
    case "AllEntities":
      return entitySetKey(alert.entities);
    case "Selected":
      return JSON.stringify([
        grouping.groupByEntities.map((type) => entitySetKey(alert.entities.filter((e) => e.type === type))),
        grouping.groupByAlertDetails.map((detail) => (detail === "Severity" ? alert.severity : detail === "DisplayName" ? alert.displayName : detail)),
        grouping.groupByCustomDetails.map((key) => JSON.stringify(alert.customDetails[key] ?? [])),
      ]);
    default:
      return assertNever(grouping.matchingMethod, "matching method");
  }
}
