import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { locateInScalar, type LoadedFile } from "../load/index.ts";
import { asList, asRecord } from "../checks/fields.ts";
import { unsupportedTransformFeatures } from "./transform-features.ts";

const CODE_OF = { operator: "SC3035", function: "SC3036", "dynamic-literal": "SC3037" } as const;

/** SC3035–SC3037: a DCR's transformKql uses only the KQL Azure Monitor transformations support (Microsoft's documented allow-list). */
export function transformFeatureFindings(file: LoadedFile): Diagnostic[] {
  if (file.kind !== "ingestion-mapping") return [];
  return asList(asRecord(file.data).dataFlows).flatMap((flow, index) => {
    const kql = asRecord(flow).transformKql;
    if (typeof kql !== "string") return [];
    const path = ["dataFlows", index, "transformKql"];
    return unsupportedTransformFeatures(kql).map((feature) => {
      const start = locateInScalar(file, path, feature.start);
      const what = feature.kind === "operator" ? `the ${feature.name} operator` : feature.kind === "function" ? `the function ${feature.name}()` : "a dynamic(...) literal";
      return makeDiagnostic(CODE_OF[feature.kind], { file: file.path, start }, `${what} is not supported in an Azure Monitor transformation`);
    });
  });
}
