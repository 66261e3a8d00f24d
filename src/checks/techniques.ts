import { asList, asRecord } from "./fields.ts";

/** The ATT&CK technique ids of a rule or hunting query (relevantTechniques and the older `techniques`), with their paths. */
export function techniqueEntries(data: unknown): { value: string; path: (string | number)[] }[] {
  const record = asRecord(data);
  return (["relevantTechniques", "techniques"] as const).flatMap((key) =>
    asList(record[key]).flatMap((item, index) => (typeof item === "string" ? [{ value: item.trim(), path: [key, index] }] : [])),
  );
}
