import { CODES, type DiagnosticCode } from "../codes.ts";
import { messageWithCause, type Diagnostic, type Severity } from "../diagnostic.ts";
import { codeAnchor } from "../codes-page.ts";

/** Options of the SARIF formatter. */
export interface SarifOptions {
  toolVersion: string;
  informationUri?: string;
  /** Absolute URI of docs/diagnostics.md; each rule's helpUri is it plus the code's anchor. */
  codesPageUri?: string;
}

const LEVELS: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** SARIF 2.1.0 for GitHub code scanning: one run, the catalog entry of every reported code as a rule, each finding with its region. */
export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort() as DiagnosticCode[];
  const index = new Map(codes.map((code, i) => [code, i]));
  const rules = codes.map((code) => {
    const info = CODES[code];
    return {
      id: code,
      name: pascal(info.title),
      shortDescription: { text: info.title },
      ...("hint" in info && info.hint ? { help: { text: info.hint } } : {}),
      ...(options.codesPageUri ? { helpUri: `${options.codesPageUri}#${codeAnchor(code)}` } : {}),
      defaultConfiguration: { level: LEVELS[info.severity] },
    };
  });
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: index.get(d.code) ?? 0,
    level: LEVELS[d.severity],
    message: { text: d.hint ? `${messageWithCause(d)}\n${d.hint}` : messageWithCause(d) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(d.file), uriBaseId: "%SRCROOT%" },
          region: {
            startLine: d.line,
            startColumn: d.col,
            ...(d.endLine !== undefined && d.endCol !== undefined ? { endLine: d.endLine, endColumn: d.endCol } : {}),
          },
        },
      },
    ],
  }));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "sentinel-content",
            version: options.toolVersion,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules,
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function pascal(title: string): string {
  return title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : "")).replace(/^./, (c) => c.toUpperCase());
}
