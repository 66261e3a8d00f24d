import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { locateInScalar, type LoadedFile } from "../load/index.ts";
import { transformQueries } from "./query-sites.ts";
import { unsupportedTransformFeatures, type UnsupportedFeature } from "./transform-features.ts";

const CODE_OF = { operator: "SC3035", function: "SC3036", "dynamic-literal": "SC3037" } as const;

/**
 * SC3035–SC3037: a DCR's transformKql uses only the KQL Azure Monitor transformations support (Microsoft's documented
 * allow-list). `featuresOf` finds a query's unsupported features (a cached lookup may stand in for the parse).
 */
export function transformFeatureFindings(file: LoadedFile, featuresOf: (query: string) => UnsupportedFeature[] = unsupportedTransformFeatures): Diagnostic[] {
  return transformQueries(file).flatMap(({ kql, index }) => {
    const path = ["dataFlows", index, "transformKql"];
    return featuresOf(kql).map((feature) => {
      const start = locateInScalar(file, path, feature.start);
      const what = feature.kind === "operator" ? `the ${feature.name} operator` : feature.kind === "function" ? `the function ${feature.name}()` : "a dynamic(...) literal";
      return makeDiagnostic(CODE_OF[feature.kind], { file: file.path, start }, `${what} is not supported in an Azure Monitor transformation`);
    });
  });
}
