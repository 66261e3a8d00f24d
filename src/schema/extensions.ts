import { readFileSync } from "node:fs";
import path from "node:path";
import type { ValidateFunction } from "ajv/dist/2020.js";
import type { ContentKind } from "../content/kinds.ts";
import { activeLayout, EXTENSIONS, type ExtensionName } from "../content/layout.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { locate, locateKey, type LoadedFile } from "../load/index.ts";
import { describeError, relevantErrors } from "./ajv-errors.ts";
import { createAjv, SCHEMAS_DIR } from "./schema-registry.ts";

/** The kinds each extension's block may appear in. */
export const EXTENSION_KINDS: Readonly<Record<ExtensionName, readonly ContentKind[]>> = {
  "x-genai": ["analytic-rule", "hunting-query", "workbook"],
};

const compiled = new Map<ExtensionName, ValidateFunction>();

/** The validator of a file holding the extension's block: `schemas/extensions/<name>.schema.json` under the block's key. */
function validatorOf(name: ExtensionName, dir: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const block = JSON.parse(readFileSync(path.join(dir, "extensions", `${name}.schema.json`), "utf8")) as Record<string, unknown>;
    const { $schema: _draft, title: _title, ...schema } = block;
    validate = createAjv().compile({ type: "object", properties: { [name]: schema } });
    compiled.set(name, validate);
  }
  return validate;
}

/**
 * Checks the extension blocks (top-level `x-<name>` keys) of a schema-valid file: a block of an extension the
 * layout does not enable, or in a kind the extension does not apply to, is SC1034; an enabled block is
 * validated against its schema (SC2xxx findings like the kind's own schema's).
 */
export function validateExtensions(file: LoadedFile, enabled: readonly ExtensionName[] = activeLayout().extensions, dir = SCHEMAS_DIR): Diagnostic[] {
  const data = file.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return [];
  const diagnostics: Diagnostic[] = [];
  for (const key of Object.keys(data).filter((k) => k.startsWith("x-"))) {
    const name = (EXTENSIONS as readonly string[]).includes(key) ? (key as ExtensionName) : undefined;
    if (!name || !enabled.includes(name) || !EXTENSION_KINDS[name].includes(file.kind)) {
      const why = !name ? "no extension of that name exists" : !enabled.includes(name) ? "sentinel-content.config.yaml does not enable it" : `it does not apply to ${file.kind} files`;
      diagnostics.push(makeDiagnostic("SC1034", locateKey(file, [key]), `the '${key}' block is not allowed here: ${why}`));
      continue;
    }
    const validate = validatorOf(name, dir);
    if (validate(data)) continue;
    for (const error of relevantErrors(validate.errors ?? [])) {
      const finding = describeError(error, data);
      const at = finding.atKey ? locateKey(file, finding.path) : locate(file, finding.path);
      diagnostics.push(makeDiagnostic(finding.code, at, finding.message, finding.hint ? { hint: finding.hint } : {}));
    }
  }
  return diagnostics;
}
