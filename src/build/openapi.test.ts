// Every alertRules body `build` writes is checked against the OpenAPI definition of the api-version it is sent
// at (trimmed copies of Azure/azure-rest-api-specs under data/openapi/, see SOURCE.md): a field the version does
// not define, a value outside its enums or a missing required field fails here instead of as a 400 from Azure.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { buildContent, deployableItems } from "./build-content.ts";
import { buildAlertRule } from "./alert-rule.ts";
import { apiVersionOf, type ResourceKind } from "./api-versions.ts";
import type { BuiltResource } from "./types.ts";
import { PLACEHOLDER_WORKSPACE } from "./workspace.ts";
import { ALERT_RULE_OPENAPI, openApiDocument, type OpenApiDocument } from "../checks/api-enums.ts";
import { loadContentTree } from "../load/index.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const context = { target: PLACEHOLDER_WORKSPACE, repository: "repo" };
let repositoryBuild: Promise<BuiltResource[]> | undefined;

/** What `build` makes of the repository's content, loaded and built once for this file's tests. */
function repositoryResources(): Promise<BuiltResource[]> {
  repositoryBuild ??= loadContentTree(REPO).then((tree) => buildContent(deployableItems(tree.files), context).resources);
  return repositoryBuild;
}

/** An OpenAPI 2.0 definition as a closed JSON Schema: allOf merged into the object, unknown and read-only properties refused. */
function closedSchema(document: OpenApiDocument, name: string): Record<string, unknown> {
  const definitions: Record<string, unknown> = {};
  for (const [key, definition] of Object.entries(document.definitions)) definitions[key] = close(document, definition);
  return { $ref: `#/$defs/${name}`, $defs: definitions };
}

function close(document: OpenApiDocument, definition: Record<string, unknown>): Record<string, unknown> {
  const merged = mergeAllOf(document, definition);
  const rewritten = openExtensibleEnums(JSON.parse(JSON.stringify(merged).replaceAll('"#/definitions/', '"#/$defs/'))) as Record<string, unknown>;
  const properties = rewritten["properties"] as Record<string, Record<string, unknown>> | undefined;
  // some definitions (savedSearches) leave out `type: object` beside their properties
  if ((rewritten["type"] ?? "object") !== "object" || !properties) return stripFormats(rewritten);
  const writable = Object.fromEntries(Object.entries(properties).filter(([, p]) => p["readOnly"] !== true).map(([k, p]) => [k, stripFormats(p)]));
  return { type: "object", properties: writable, additionalProperties: false, ...(rewritten["required"] ? { required: rewritten["required"] } : {}) };
}

/** Folds `allOf: [{$ref}]` parents into the definition's own properties and required list. */
function mergeAllOf(document: OpenApiDocument, definition: Record<string, unknown>): Record<string, unknown> {
  const parents = (definition["allOf"] as { $ref: string }[] | undefined) ?? [];
  let properties = { ...(definition["properties"] as Record<string, unknown> | undefined) };
  let required = [...((definition["required"] as string[] | undefined) ?? [])];
  for (const parent of parents) {
    const resolved = mergeAllOf(document, document.definitions[parent.$ref.replace("#/definitions/", "")] ?? {});
    properties = { ...(resolved["properties"] as Record<string, unknown>), ...properties };
    required = [...required, ...((resolved["required"] as string[] | undefined) ?? [])];
  }
  const { allOf: _allOf, ...rest } = definition;
  return { ...rest, ...(Object.keys(properties).length > 0 ? { properties } : {}), ...(required.length > 0 ? { required } : {}) };
}

/** An enum marked `x-ms-enum.modelAsString` is extensible (the service accepts values beyond the listed ones): only its type is kept. */
function openExtensibleEnums(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openExtensibleEnums);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const extensible = (record["x-ms-enum"] as { modelAsString?: boolean } | undefined)?.modelAsString === true;
  const entries = Object.entries(record).filter(([key]) => key !== "x-ms-enum" && !(extensible && key === "enum"));
  return Object.fromEntries(entries.map(([key, inner]) => [key, openExtensibleEnums(inner)]));
}

/** OpenAPI `format: duration|int32|date-time` are checked by the builder's own tests; JSON Schema keeps the type. */
function stripFormats(schema: Record<string, unknown>): Record<string, unknown> {
  const { format: _format, readOnly: _readOnly, description: _description, ...rest } = schema;
  return rest;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

/** The compiled validator of a definition of a vendored OpenAPI file, compiled once per file and definition. */
function validatorOf(file: string, document: OpenApiDocument, definition: string): ValidateFunction {
  const key = `${file}#${definition}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(closedSchema(document, definition));
    validators.set(key, validate);
  }
  return validate;
}

/** Problems of one built alert rule against its api-version's definition, as "path message" lines. */
function openApiProblems(resource: BuiltResource): string[] {
  const kind = resource.body["kind"] as "Scheduled" | "NRT";
  const document = openApiDocument(ALERT_RULE_OPENAPI[kind]);
  expect(document.info.version, `${resource.key} is sent at the api-version its definition describes`).toBe(resource.apiVersion);
  const definition = document["x-bodies"][kind];
  if (!definition) return [`no definition of kind ${kind}`];
  const validate = validatorOf(ALERT_RULE_OPENAPI[kind], document, definition);
  if (validate(resource.body["properties"])) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

const FULL_RULE = {
  id: "6d7e3c52-1f7a-4b2b-9d0e-5b0c6e7a1f10",
  name: "Every field",
  description: "d",
  severity: "High",
  query: "T\n",
  queryFrequency: "1h",
  queryPeriod: "2d",
  triggerOperator: "gt",
  triggerThreshold: 0,
  suppressionEnabled: true,
  suppressionDuration: "5h",
  tactics: ["defenseevasion", "Persistence"],
  relevantTechniques: ["T1078.004", "T1098"],
  entityMappings: [{ entityType: "Account", fieldMappings: [{ identifier: "FullName", columnName: "Caller" }] }],
  customDetails: { Caller: "Caller" },
  alertDetailsOverride: { alertDisplayNameFormat: "{{Caller}}", alertDescriptionFormat: "d", alertSeverityColumnName: "Sev", alertTacticsColumnName: "Tac", alertDynamicProperties: [{ alertProperty: "ProductName", value: "P" }] },
  eventGroupingSettings: { aggregationKind: "AlertPerResult" },
  incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: "5h", matchingMethod: "Selected", groupByEntities: ["Account"], groupByAlertDetails: ["DisplayName"], groupByCustomDetails: ["Caller"] } },
  sentinelEntitiesMappings: [{ columnName: "Entities" }],
  version: "1.0.0",
};

describe("built alertRules bodies against the pinned api-versions' OpenAPI definitions", () => {
  it.each(["Scheduled", "NRT"])("a %s rule using every field the YAML offers", (kind) => {
    const data = kind === "NRT" ? { ...FULL_RULE, kind, queryFrequency: undefined, queryPeriod: undefined, triggerOperator: undefined, triggerThreshold: undefined } : { ...FULL_RULE, kind };
    const { resources } = buildAlertRule(data, "r.yaml", () => ({ file: "r.yaml" }), context);
    expect(resources).toHaveLength(1);
    expect(openApiProblems(resources[0] as BuiltResource)).toEqual([]);
  });

  it("the closed schema refuses a field the version lacks (subTechniques on NRT at 2023-02-01-preview)", () => {
    const { resources } = buildAlertRule({ ...FULL_RULE, kind: "NRT" }, "r.yaml", () => ({ file: "r.yaml" }), context);
    const resource = resources[0] as BuiltResource;
    const tampered = { ...resource, body: { ...resource.body, properties: { ...(resource.body["properties"] as object), subTechniques: ["T1078.004"] } } };
    expect(openApiProblems(tampered)).toEqual([`/ must NOT have additional properties {"additionalProperty":"subTechniques"}`]);
  });

  it("every alert rule of the repository", async () => {
    const rules = (await repositoryResources()).filter((r) => r.kind === "alert-rule");
    expect(rules.length).toBeGreaterThan(0);
    const problems = rules.map((r) => [r.source.file, openApiProblems(r)] as const).filter(([, found]) => found.length > 0);
    expect(Object.fromEntries(problems)).toEqual({});
  });
});

describe("api-versions the validator assumes", () => {
  it("SC2187 checks table plans against the pinned tables api-version", async () => {
    const { TABLES_API_VERSION } = await import("../checks/table-plan.ts");
    const { API_VERSIONS } = await import("./api-versions.ts");
    expect(TABLES_API_VERSION).toBe(API_VERSIONS["Microsoft.OperationalInsights/workspaces/tables"]);
  });
});

/** The vendored definition of each other resource kind's whole body (data/openapi/SOURCE.md), at the pinned api-version. */
const BODY_OPENAPI: Readonly<Record<Exclude<ResourceKind, "alert-rule">, string>> = {
  watchlist: "securityinsights-watchlists-2025-09-01.json",
  parser: "operationalinsights-savedsearches-2025-07-01.json",
  "hunting-query": "operationalinsights-savedsearches-2025-07-01.json",
  table: "operationalinsights-tables-2022-10-01.json",
  dcr: "insights-datacollectionrules-2023-03-11.json",
  workbook: "insights-workbooks-2023-06-01.json",
};

/** Problems of one built body (not an alert rule) against its api-version's definition of the whole request body. */
function bodyProblems(kind: Exclude<ResourceKind, "alert-rule">, body: unknown, apiVersion = apiVersionOf(kind)): string[] {
  const document = openApiDocument(BODY_OPENAPI[kind]);
  expect(document.info.version, `${kind} bodies are sent at the api-version their definition describes`).toBe(apiVersion);
  const validate = validatorOf(BODY_OPENAPI[kind], document, document["x-bodies"]["body"] as string);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

describe("other built bodies against the pinned api-versions' OpenAPI definitions", () => {
  let built: BuiltResource[] = [];
  beforeAll(async () => {
    built = await repositoryResources();
  });

  it.each(Object.keys(BODY_OPENAPI) as Exclude<ResourceKind, "alert-rule">[])("every %s of the repository", (kind) => {
    const resources = built.filter((r) => r.kind === kind);
    expect(resources.length, `the repository builds at least one ${kind}`).toBeGreaterThan(0);
    const problems = resources.map((r) => [r.key, bodyProblems(kind, r.body, r.apiVersion)] as const).filter(([, found]) => found.length > 0);
    expect(Object.fromEntries(problems)).toEqual({});
  });

  // Each case adds one thing the pinned version refuses to a real built body, so the check is shown to bite.
  it.each([
    ["watchlist", (b: Body) => ({ ...b, properties: { ...b.properties, labels: [{ name: "x" }] } }), '/properties/labels/0 must be string {"type":"string"}'],
    ["watchlist", (b: Body) => ({ ...b, properties: { ...b.properties, itemsSearchKey: undefined } }), '/properties must have required property \'itemsSearchKey\' {"missingProperty":"itemsSearchKey"}'],
    ["parser", (b: Body) => ({ ...b, properties: { ...b.properties, version: "2" } }), '/properties/version must be integer {"type":"integer"}'],
    ["hunting-query", (b: Body) => ({ ...b, properties: { ...b.properties, tags: [{ name: "tactics" }] } }), '/properties/tags/0 must have required property \'value\' {"missingProperty":"value"}'],
    ["table", (b: Body) => ({ ...b, properties: { ...b.properties, retentionInDays: 1000 } }), '/properties/retentionInDays must be <= 730 {"comparison":"<=","limit":730}'],
    ["table", (b: Body) => ({ ...b, properties: { ...b.properties, plan: "Auxiliary" } }), '/properties/plan must be equal to one of the allowed values {"allowedValues":["Basic","Analytics"]}'],
    ["dcr", (b: Body) => ({ ...b, properties: { ...b.properties, dataFlows: [{ streams: ["Custom-X"], outputStreams: "Custom-Y_CL" }] } }), '/properties/dataFlows/0 must NOT have additional properties {"additionalProperty":"outputStreams"}'],
    ["dcr", (b: Body) => ({ ...b, location: undefined }), '/ must have required property \'location\' {"missingProperty":"location"}'],
    ["workbook", (b: Body) => ({ ...b, kind: "user" }), '/kind must be equal to one of the allowed values {"allowedValues":["shared"]}'],
    ["workbook", (b: Body) => ({ ...b, properties: { ...b.properties, timeModified: "2026-01-01T00:00:00Z" } }), '/properties must NOT have additional properties {"additionalProperty":"timeModified"}'],
  ] as const)("a %s body the version refuses: %#", (kind, tamper, problem) => {
    const resource = built.find((r) => r.kind === kind) as BuiltResource;
    const tampered = JSON.parse(JSON.stringify(tamper(resource.body as Body))) as unknown;
    expect(bodyProblems(kind, tampered)).toContain(problem);
  });

  it("extensible enums stay open: a DCR of kind Direct with Custom- streams passes", () => {
    const resource = built.find((r) => r.kind === "dcr") as BuiltResource;
    expect(resource.body["kind"]).toBe("Direct");
    expect(bodyProblems("dcr", resource.body)).toEqual([]);
  });
});

type Body = Record<string, unknown> & { properties: Record<string, unknown> };
