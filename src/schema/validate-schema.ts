import { makeDiagnostic, MAX_FINDINGS_PER_CODE_AND_FILE, type Diagnostic } from "../diagnostics/index.ts";
import { locate, locateKey, type LoadedFile } from "../load/index.ts";
import { describeError, relevantErrors } from "./ajv-errors.ts";
import { validateExtensions } from "./extensions.ts";
import { SchemaRegistry } from "./schema-registry.ts";

let defaultRegistry: SchemaRegistry | undefined;

/**
 * Validates a loaded file against `schemas/<kind>.schema.json`, then its extension blocks (x-<name>) against the
 * enabled extensions' schemas; each violation is a finding at the offending node.
 */
export function validateSchema(file: LoadedFile, registry: SchemaRegistry = (defaultRegistry ??= new SchemaRegistry())): Diagnostic[] {
  const compiled = registry.get(file.kind);
  if (!compiled) return [];
  if (compiled.validate(file.data)) return validateExtensions(file);
  // only the first findings of a code are listed (validate counts the rest), so only they get a suggestion
  let unknownKeys = 0;
  return relevantErrors(compiled.validate.errors ?? []).map((error) => {
    const suggest = error.keyword !== "additionalProperties" || unknownKeys++ < MAX_FINDINGS_PER_CODE_AND_FILE;
    const finding = describeError(error, file.data, suggest);
    const at = finding.atKey ? locateKey(file, finding.path) : locate(file, finding.path);
    return makeDiagnostic(finding.code, at, finding.message, finding.hint ? { hint: finding.hint } : {});
  });
}
