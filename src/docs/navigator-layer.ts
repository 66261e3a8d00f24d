import type { TechniqueCoverage } from "./coverage.ts";

const TESTED_COLOR = "#31a354";
const MAPPED_COLOR = "#fdae6b";

/** Builds an ATT&CK Navigator layer (format 4.5): tested techniques scored 2 (green), mapped-only 1 (orange). */
export function buildNavigatorLayer(coverage: readonly TechniqueCoverage[], attackVersion: string): Record<string, unknown> {
  return {
    name: "Generative AI content pack",
    versions: { attack: attackVersion.split(".")[0], navigator: "5.1.0", layer: "4.5" },
    domain: "enterprise-attack",
    description:
      "Techniques mapped by the pack's analytic rules. Score 2 (green): tested - a rule mapping it has a passing must-alert case with a recorded alert snapshot. Score 1 (orange): mapped only.",
    sorting: 3,
    hideDisabled: false,
    techniques: coverage.map((t) => ({
      techniqueID: t.id,
      score: t.testedBy.length > 0 ? 2 : 1,
      color: t.testedBy.length > 0 ? TESTED_COLOR : MAPPED_COLOR,
      comment: t.testedBy.length > 0 ? `Tested by: ${t.testedBy.join("; ")}` : `Mapped by: ${t.mappedBy.join("; ")} (no passing alert case)`,
      enabled: true,
      showSubtechniques: false,
    })),
    gradient: { colors: [MAPPED_COLOR, TESTED_COLOR], minValue: 1, maxValue: 2 },
    legendItems: [
      { label: "tested (passing alert case)", color: TESTED_COLOR },
      { label: "mapped only", color: MAPPED_COLOR },
    ],
    showTacticRowBackground: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
  };
}
