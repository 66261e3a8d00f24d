/** What the catalog says of one diagnostic code. */
export interface CodeInfo {
  severity: "error" | "warning" | "info";
  /** A short title, used in docs and SARIF rule metadata. */
  title: string;
  /** Default advice printed under the message. */
  hint?: string;
}
