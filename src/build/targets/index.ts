import { armTemplate, sourceLookup } from "./arm.ts";
import { buildBicepTarget } from "./bicep.ts";
import { buildContentHubTarget, type SolutionOptions } from "./content-hub.ts";
import { buildDefenderTarget, type ResultColumnsOf } from "./defender.ts";
import { buildRepositoriesTarget } from "./repositories.ts";
import { jsonText, type BuildTarget, type TargetInput, type TargetOutput } from "./target.ts";
import { buildTerraformTarget } from "./terraform.ts";
import { assertNever } from "../../diagnostics/index.ts";

export { BUILD_TARGETS, type BuildTarget, type TargetInput, type TargetOutput, type Skipped, type SourceItem } from "./target.ts";
export { SYMBOLIC_WORKSPACE } from "./symbolic.ts";
export type { SolutionOptions } from "./content-hub.ts";
export type { ResultColumnsOf } from "./defender.ts";

/** What some targets need besides the content: result columns (defender) and the publisher (content-hub). */
export interface TargetDependencies {
  columnsOf: ResultColumnsOf;
  solution: SolutionOptions;
}

/** Builds one target's files from resources built against SYMBOLIC_WORKSPACE. */
export function buildTarget(target: BuildTarget, input: TargetInput, dependencies: TargetDependencies): TargetOutput {
  switch (target) {
    case "arm":
      return { files: new Map([["azuredeploy.json", jsonText(armTemplate(input.resources, sourceLookup(input)))]]), built: input.resources.length, skipped: [] };
    case "repositories":
      return buildRepositoriesTarget(input);
    case "bicep":
      return buildBicepTarget(input);
    case "terraform":
      return buildTerraformTarget(input);
    case "defender":
      return buildDefenderTarget(input, dependencies.columnsOf);
    case "content-hub":
      return buildContentHubTarget(input, dependencies.solution);
    default:
      return assertNever(target, "build target");
  }
}
