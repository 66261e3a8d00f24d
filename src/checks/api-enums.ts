import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const OPENAPI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../data/openapi");

/** The vendored, trimmed OpenAPI document of the alertRules api-version a rule kind deploys with (data/openapi/SOURCE.md). */
export const ALERT_RULE_OPENAPI: Readonly<Record<"Scheduled" | "NRT", string>> = {
  Scheduled: "securityinsights-alertrules-2025-09-01.json",
  NRT: "securityinsights-alertrules-2023-02-01-preview.json",
};

/** A trimmed OpenAPI 2.0 document: its definitions and, per rule kind, the definition of the body's `properties`. */
export interface OpenApiDocument {
  info: { version: string };
  "x-bodies": Record<string, string>;
  definitions: Record<string, Record<string, unknown>>;
}

const cache = new Map<string, OpenApiDocument>();

/** Reads one vendored OpenAPI document (once per process). */
export function openApiDocument(file: string): OpenApiDocument {
  let document = cache.get(file);
  if (!document) {
    document = JSON.parse(readFileSync(path.join(OPENAPI_DIR, file), "utf8")) as OpenApiDocument;
    cache.set(file, document);
  }
  return document;
}

/** The values of an enum definition of the api-version a rule kind deploys with. */
export function apiEnum(kind: "Scheduled" | "NRT", definition: string): readonly string[] {
  const values = openApiDocument(ALERT_RULE_OPENAPI[kind]).definitions[definition]?.["enum"];
  return Array.isArray(values) ? (values as string[]) : [];
}
