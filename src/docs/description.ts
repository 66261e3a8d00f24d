/** The analyst-facing sections of a rule description ("What happened: ...", "Why it matters: ...", ...). */
export interface DescriptionSections {
  what: string;
  why: string;
  investigate: string;
  tune: string;
  catalog: string;
  /** Text before the first known label (descriptions that do not follow the template). */
  other: string;
}

const LABELS: readonly [keyof DescriptionSections, string][] = [
  ["what", "What happened:"],
  ["why", "Why it matters:"],
  ["investigate", "How to investigate:"],
  ["tune", "How to tune:"],
  ["catalog", "Catalog:"],
];

/** Splits a rule description into its labelled sections; unlabelled text goes to `other`. */
export function splitDescription(description: string): DescriptionSections {
  const sections: DescriptionSections = { what: "", why: "", investigate: "", tune: "", catalog: "", other: "" };
  let current: keyof DescriptionSections = "other";
  for (const rawLine of description.split("\n")) {
    const line = rawLine.trimEnd();
    const label = LABELS.find(([, prefix]) => line.startsWith(prefix));
    if (label) {
      current = label[0];
      sections[current] = line.slice(label[1].length).trim();
      continue;
    }
    sections[current] = sections[current] === "" ? line.trim() : `${sections[current]}\n${line}`;
  }
  for (const key of Object.keys(sections) as (keyof DescriptionSections)[]) sections[key] = sections[key].trim();
  return sections;
}
