import type { Document, LineCounter } from "yaml";
import type { ContentKind } from "../content/kinds.ts";

/** A content file that parsed cleanly: its text, YAML document (with source ranges) and plain data. */
export interface LoadedFile {
  /** Repo-relative POSIX path (or the absolute POSIX path for files outside the root). */
  path: string;
  absolutePath: string;
  kind: ContentKind;
  text: string;
  doc: Document.Parsed;
  /** The document as plain JavaScript values (what the schema and checks see). */
  data: unknown;
  lineCounter: LineCounter;
}
