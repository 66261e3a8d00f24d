/** Longest glob accepted in a layout (a bound on the compiled expression). */
export const MAX_GLOB_LENGTH = 512;

/** A compiled glob, or why the text is not one. */
export type GlobResult = { ok: true; regex: RegExp } | { ok: false; reason: string };

/**
 * Compiles a path glob over repo-relative POSIX paths: `**` any number of whole segments (also none), `*` any
 * characters but `/`, `?` one such character, `{a,b}` alternatives (not nested). Everything else is literal.
 */
export function compileGlob(glob: string): GlobResult {
  if (glob === "") return { ok: false, reason: "the glob is empty" };
  if (glob.length > MAX_GLOB_LENGTH) return { ok: false, reason: `the glob is longer than ${MAX_GLOB_LENGTH} characters` };
  if (glob.startsWith("/") || glob.split("/").includes("..")) return { ok: false, reason: "the glob must be relative to the repository root (no leading / or ..)" };
  let source = "";
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (glob.startsWith("**", i)) {
      const wholeSegment = (i === 0 || glob[i - 1] === "/") && (i + 2 === glob.length || glob[i + 2] === "/");
      if (!wholeSegment) return { ok: false, reason: "** must be a whole path segment" };
      // "**/" matches zero or more leading segments; a final "**" matches everything below
      source += i + 2 === glob.length ? ".*" : "(?:[^/]+/)*";
      i += i + 2 === glob.length ? 1 : 2;
    } else if (char === "*") {
      source += "[^/]*";
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "{") {
      if (inBraces) return { ok: false, reason: "{…} alternatives cannot be nested" };
      inBraces = true;
      source += "(?:";
    } else if (char === "}" && inBraces) {
      inBraces = false;
      source += ")";
    } else if (char === "," && inBraces) {
      source += "|";
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  if (inBraces) return { ok: false, reason: "a { has no closing }" };
  // dotAll: a final "**" covers every character a file name may hold, newlines included
  return { ok: true, regex: new RegExp(`^${source}$`, "s") };
}

/** The literal folders a glob starts with (`Solutions` for `Solutions/{A,B}/Analytic Rules/**`), or "" when it starts with a wildcard. */
export function literalPrefix(glob: string): string {
  const segments = glob.split("/");
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?{]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join("/");
}
