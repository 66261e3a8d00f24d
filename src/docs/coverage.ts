import type { RuleDoc } from "./content.ts";

/** One technique (ATT&CK or ATLAS) with the rules that map it and the rules that test it. */
export interface TechniqueCoverage {
  id: string;
  mappedBy: string[];
  testedBy: string[];
}

/**
 * Technique coverage of the rules: a technique is mapped by every rule listing it, and tested by those of
 * them that have a passing must-alert case (a recorded alert snapshot, which the test suite checks).
 */
export function techniqueCoverage(rules: readonly RuleDoc[], techniquesOf: (rule: RuleDoc) => readonly string[]): TechniqueCoverage[] {
  const byId = new Map<string, TechniqueCoverage>();
  for (const rule of rules) {
    for (const id of techniquesOf(rule)) {
      const entry = byId.get(id) ?? { id, mappedBy: [], testedBy: [] };
      entry.mappedBy.push(rule.name);
      if (rule.tested) entry.testedBy.push(rule.name);
      byId.set(id, entry);
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
}
