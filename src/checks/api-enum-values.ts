import type { Diagnostic } from "../diagnostics/index.ts";
import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { ALERT_RULE_OPENAPI, apiEnum, openApiDocument } from "./api-enums.ts";
import { ENTITY_IDENTIFIERS } from "./entity-identifiers.ts";
import { asList, asRecord, asString, stringItems } from "./fields.ts";

/** SC2184: entity types and alert properties are values of the api-version the rule deploys with (e.g. no IoTDevice, no SubTechniques). */
export const apiEnumValues = (): Check => ({
  code: "SC2184",
  kinds: ["analytic-rule"],
  run(file) {
    const rule = asRecord(file.data);
    const kind = rule.kind === "NRT" ? "NRT" : "Scheduled";
    const { entityTypes, alertProperties, version } = lackingValues(kind);
    const outside = (path: (string | number)[], value: string | undefined, lacking: readonly string[], what: string): Diagnostic[] =>
      value === undefined || !lacking.includes(value) ? [] : [findingAt("SC2184", file, path, `${what} '${value}' is not a value of alertRules api-version ${version}, which ${kind} rules deploy with`)];
    const groupBy = stringItems(asRecord(asRecord(rule.incidentConfiguration).groupingConfiguration).groupByEntities);
    return [
      ...asList(rule.entityMappings).flatMap((m, i) => outside(["entityMappings", i, "entityType"], asString(asRecord(m).entityType), entityTypes, "entity type")),
      ...groupBy.flatMap(({ value, index }) => outside([...GROUP_BY_ENTITIES, index], value, entityTypes, "entity type")),
      ...asList(asRecord(rule.alertDetailsOverride).alertDynamicProperties).flatMap((p, i) =>
        outside(["alertDetailsOverride", "alertDynamicProperties", i, "alertProperty"], asString(asRecord(p).alertProperty), alertProperties, "alert property"),
      ),
    ];
  },
});

const lacking = new Map<"Scheduled" | "NRT", { entityTypes: string[]; alertProperties: string[]; version: string }>();

/** The entity types and alert properties the kind's api-version lacks, and that version (worked out once per kind). */
function lackingValues(kind: "Scheduled" | "NRT"): { entityTypes: string[]; alertProperties: string[]; version: string } {
  let values = lacking.get(kind);
  if (!values) {
    const entityEnum = apiEnum(kind, "EntityMappingType");
    const propertyEnum = apiEnum(kind, "AlertProperty");
    values = {
      // a type Sentinel does not know at all is SC2130's finding: only types the api-version alone lacks are reported here
      entityTypes: Object.keys(ENTITY_IDENTIFIERS).filter((t) => !entityEnum.includes(t)),
      alertProperties: ALERT_PROPERTIES_IN_SCHEMA.filter((p) => !propertyEnum.includes(p)),
      version: openApiDocument(ALERT_RULE_OPENAPI[kind]).info.version,
    };
    lacking.set(kind, values);
  }
  return values;
}

/** The alert properties the rule schema accepts (schemas/analytic-rule.schema.json); others are the schema's finding. */
const ALERT_PROPERTIES_IN_SCHEMA = ["AlertLink", "ConfidenceLevel", "ConfidenceScore", "ExtendedLinks", "ProductComponentName", "ProductName", "ProviderName", "RemediationSteps", "Techniques", "SubTechniques"];

const GROUP_BY_ENTITIES = ["incidentConfiguration", "groupingConfiguration", "groupByEntities"];

