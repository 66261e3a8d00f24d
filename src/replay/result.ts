// The result of a replay: what every rule would have raised over a time range of raw vendor logs. This is the
// contract between the replay run (which produces it, and writes it as `--format json`) and the reports that
// render it (table, HTML). Every value is plain JSON, so a saved result can be rendered again later.

/** A cell of a row behind an alert, as plain JSON (datetimes as ISO strings, longs as numbers or strings). */
export type ReplayCell = null | string | number | boolean | ReplayCell[] | { [key: string]: ReplayCell };

/** One entity of an alert, as Sentinel maps it: its type and the identifiers that had values. */
export interface ReplayEntity {
  type: string;
  identifiers: Record<string, ReplayCell>;
}

/** One alert the scheduler would have raised. */
export interface ReplayAlert {
  /** The rule's id (GUID) and display name, and its file relative to the repository root. */
  ruleId: string;
  ruleName: string;
  ruleFile: string;
  /** The scheduled run that raised it (ISO), and the ingestion-time window that run looked at. */
  runTime: string;
  windowStart: string;
  windowEnd: string;
  /** Title and description after the alert-details override, as the analyst sees them. */
  title: string;
  description: string;
  severity: "High" | "Medium" | "Low" | "Informational";
  tactics: string[];
  techniques: string[];
  entities: ReplayEntity[];
  customDetails: Record<string, ReplayCell[]>;
  /** The incident this alert was grouped into (an index into ReplayResult.incidents), or null when no incident. */
  incident: number | null;
  /** The query's result rows behind the alert (at most `rowLimit` of them), and how many there were in all. */
  rows: Array<Record<string, ReplayCell>>;
  rowCount: number;
}

/** One incident, as the rule's incident settings and alert grouping would have created it. */
export interface ReplayIncident {
  ruleId: string;
  title: string;
  severity: ReplayAlert["severity"];
  firstAlert: string;
  lastAlert: string;
  alerts: number;
}

/** What replay did with one rule. */
export interface ReplayRuleSummary {
  ruleId: string;
  ruleName: string;
  ruleFile: string;
  kind: "Scheduled" | "NRT";
  /** Catalog id from x-genai.useCase, when the rule has one. */
  useCase?: string;
  runs: number;
  alerts: number;
  incidents: number;
  /** Why the rule was not run (a refusal of the offline engine, a missing table), when it was not. */
  skipped?: string;
  /** `replay --live`: how many of its runs the service failed, the first failure, and whether its remaining runs were dropped. */
  failed?: string;
}

/** One input file and what it was recognised as. */
export interface ReplayInput {
  file: string;
  /** The source (a profile name such as `AzureActivity` or `ChatGPTComplianceLogs`) and the table its rows went to. */
  source: string;
  table: string;
  /** How the source was decided: from the file's content, or from an explicit `--map`. */
  recognisedBy: "content" | "explicit";
  events: number;
  rows: number;
}

/** Figures of the run, for the report's footer and the benchmark. */
export interface ReplayStats {
  events: number;
  rows: number;
  runs: number;
  elapsedMs: number;
  /** Peak resident memory: of the process, or with jobs the sum of every process's peak (the memory they need together). */
  peakRssBytes: number;
  /** CPU time (user + system) of every process of the replay. */
  cpuMs?: number;
  /** How many processes replayed the rules (`--jobs`, at most one per group of rules). */
  jobs?: number;
}

/** Everything a replay produced, in the order the reports show it. */
export interface ReplayResult {
  /** The replayed range (ISO). */
  from: string;
  to: string;
  inputs: ReplayInput[];
  rules: ReplayRuleSummary[];
  /** Alerts in run-time order, then rule file order. */
  alerts: ReplayAlert[];
  incidents: ReplayIncident[];
  stats: ReplayStats;
  /** `replay --live`: where the queries ran, and how many were sent and failed. */
  live?: ReplayLive;
}

/** Where a live replay's queries ran (a workspace or a cluster and database), and how many were sent and failed. */
export interface ReplayLive {
  target: string;
  queries: number;
  failedQueries: number;
}
