import { CODES, type DiagnosticCode } from "./codes.ts";

/** Where the page lives in the repository, and the anchor of each code on it (lower case, as links are written). */
export const CODES_PAGE = "docs/diagnostics.md";

/** The anchor of a code on the codes page, e.g. `sc2103`. */
export function codeAnchor(code: DiagnosticCode): string {
  return code.toLowerCase();
}

/** The ranges of the catalog, in order: the first digit of a code names its stage. */
const STAGES: readonly [string, string][] = [
  ["1", "SC1xxx: loading files"],
  ["2", "SC2xxx: schemas and content checks"],
  ["3", "SC3xxx: KQL analysis"],
  ["4", "SC4xxx: offline engine"],
  ["5", "SC5xxx: tests"],
  ["6", "SC6xxx: build"],
  ["7", "SC7xxx: deploy"],
  ["8", "SC8xxx: ingestion and the collector"],
  ["9", "SC9xxx: suppressions, baselines and internal errors"],
];

/** docs/diagnostics.md: every code of the catalog, by stage, each with its anchor, severity, title and hint. */
export function renderCodesPage(): string {
  const codes = (Object.keys(CODES) as DiagnosticCode[]).sort();
  const out = [
    "# Diagnostic codes",
    "",
    "Every finding of `sentinel-content` carries one of these codes. The page is generated from the catalog",
    "(`src/diagnostics/codes/*.ts`) by `npm run docs:schemas`; SARIF results link here (`helpUri`). A finding",
    "can be silenced in place with `# sentinel-content-disable <code>: <reason>` (docs/validate.md).",
    "",
  ];
  for (const [digit, title] of STAGES) {
    const inStage = codes.filter((code) => code[2] === digit);
    if (inStage.length === 0) continue;
    out.push(`## ${title}`, "");
    for (const code of inStage) {
      const info = CODES[code] as { severity: string; title: string; hint?: string };
      out.push(`<a id="${codeAnchor(code)}"></a>`, `### ${code}: ${info.title}`, "", `Severity: ${info.severity}.${info.hint ? ` ${info.hint}` : ""}`, "");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}
