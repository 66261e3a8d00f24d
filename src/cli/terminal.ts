import util from "node:util";

/** ANSI styles a terminal understands, by the names the reports use. */
type StyleName = "green" | "red" | "dim" | "bold";

/** Whether to colour output written to `stream`: a terminal, unless NO_COLOR is set; FORCE_COLOR (not 0) forces it. */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "") return env.FORCE_COLOR !== "0";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true;
}

/** A styler for `stream`: Node's util.styleText when colour is on, plain text otherwise (or where styleText is missing). */
export function styler(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): (style: StyleName, text: string) => string {
  const styleText = (util as { styleText?: (format: StyleName, text: string, options?: { validateStream?: boolean }) => string }).styleText;
  if (!styleText || !colourEnabled(stream, env)) return (_style, text) => text;
  // validateStream: false, as the decision above already looked at the stream and the environment
  return (style, text) => styleText(style, text, { validateStream: false });
}

/** A progress line on a terminal (`12/40 cases`), rewritten in place and cleared at the end; silent elsewhere. */
export class ProgressLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream | { isTTY?: boolean; write(text: string): boolean }) {}

  /** Rewrites the line. */
  update(text: string): void {
    if (this.stream.isTTY !== true) return;
    this.stream.write(`\r\u001b[2K${text}`);
    this.shown = true;
  }

  /** Removes the line. */
  clear(): void {
    if (this.shown) this.stream.write("\r\u001b[2K");
    this.shown = false;
  }
}
