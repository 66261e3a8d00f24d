/** Duration-valued keys of a rule, as document paths. */
export const RULE_DURATION_PATHS: readonly (readonly string[])[] = [
  ["queryFrequency"],
  ["queryPeriod"],
  ["suppressionDuration"],
  ["incidentConfiguration", "groupingConfiguration", "lookbackDuration"],
];
