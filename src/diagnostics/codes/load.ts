import type { CodeInfo } from "./code-info.ts";

/** SC1xxx: loading files (YAML syntax, encoding, size). */
export const LOAD_CODES = {
  SC1001: { severity: "error", title: "YAML syntax error", hint: "Fix the YAML at this position; an editor with the YAML extension shows the error while typing." },
  SC1002: { severity: "error", title: "Duplicate key", hint: "A key may appear only once in a mapping; remove or rename the repeated key." },
  SC1003: { severity: "error", title: "File too large", hint: "Content files are small text files; split the file or move data into a fixture file." },
  SC1004: { severity: "error", title: "Binary content", hint: "The file contains NUL bytes or other binary data; content files must be UTF-8 text." },
  SC1005: { severity: "error", title: "Invalid UTF-8", hint: "Save the file as UTF-8 (without a BOM is preferred)." },
  SC1006: { severity: "error", title: "Empty file", hint: "The file has no YAML content; delete it or fill it in (copy the kind's _template.yaml)." },
  SC1007: { severity: "error", title: "Too many YAML aliases", hint: "Aliases (*name) expanding this much indicate an alias bomb; write the values out instead." },
  SC1008: { severity: "error", title: "Unreadable file", hint: "Check that the path exists and is a readable file." },
  SC1009: { severity: "warning", title: "YAML warning", hint: "The YAML parser accepted this but it is probably not what was meant." },
  SC1010: { severity: "error", title: "Not a content file", hint: "Content lives in analytics-rules/, hunting-queries/, parsers/, workbooks/, watchlists/ or ingestion/; use --kind to force a kind for other paths." },
} as const satisfies Record<`SC1${string}`, CodeInfo>;
