import { describe, expect, it } from "vitest";
import { loadText } from "./load-file.ts";
import type { LoadedFile } from "./loaded-file.ts";
import { locate, locateInScalar, locateKey } from "./source-map.ts";

function load(text: string): LoadedFile {
  const { file, diagnostics } = loadText(text, "rule.yaml", "analytic-rule");
  if (!file) throw new Error(JSON.stringify(diagnostics));
  return file;
}

/** 1-based line:col of the first occurrence of `needle` in `text`. */
function where(text: string, needle: string, nth = 0): string {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
  const before = text.slice(0, at);
  return `${before.split("\n").length}:${at - before.lastIndexOf("\n")}`;
}

describe("locateInScalar", () => {
  // Each case: YAML text with the marker XYZ once inside the value of `q`; the marker must map to its source spot.
  it.each([
    ["literal", "q: |\n  let a = 1;\n  T | where XYZ > 1\n"],
    ["literal strip", "q: |-\n  T\n  | where XYZ\n"],
    ["literal keep", "q: |+\n  a\n  XYZ\n\n\nb: 1\n"],
    ["literal with indentation indicator", "q: |2\n    indented\n   XYZ\n"],
    ["literal indicator and chomp", "q: |2-\n    x\n     y XYZ\n"],
    ["literal chomp then indicator", "q: |-2\n    x\n   XYZ\n"],
    ["literal nested in a sequence", "a:\n  - q: x\n  - q: |\n      T\n      | XYZ\n"],
    ["literal with blank lines inside", "q: |\n  T\n\n\n  | where XYZ\n"],
    ["literal with comment in header", "q: | # the query\n  T | XYZ\n"],
    ["literal, CRLF", "q: |\r\n  let a = 1;\r\n  T | where XYZ > 1\r\n"],
    ["literal indicator, CRLF", "q: |2-\r\n    x\r\n     y XYZ\r\n"],
    ["folded", "q: >\n  first line\n  T | where XYZ\n"],
    ["folded strip with blank line", "q: >-\n  first line\n\n  T | where XYZ\n"],
    ["folded with more-indented lines", "q: >\n  a\n    b\n  c XYZ\n"],
    ["folded, CRLF", "q: >-\r\n  first\r\n  second XYZ\r\n"],
    ["plain", "q: T | where XYZ > 1\n"],
    ["plain multi-line", "q: plain\n  multi\n   XYZ\n"],
    ["plain multi-line with empty line", "q: plain\n\n  XYZ\n"],
    ["single-quoted", "q: 'it''s a ''XYZ'''\n"],
    ["single-quoted multi-line", "q: 'one\n  two   \n  XYZ'\n"],
    ["double-quoted with escapes", 'q: "a\\tb\\n\\"c\\" \\u00e9 XYZ"\n'],
    ["double-quoted with 8-digit escape", 'q: "\\U0001F600 XYZ"\n'],
    ["double-quoted multi-line", 'q: "one\n  two\n\n  XYZ"\n'],
    ["double-quoted escaped line break", 'q: "line one \\\n   XYZ"\n'],
    ["double-quoted, CRLF", 'q: "one\r\n  XYZ"\r\n'],
  ])("%s", (_name, text) => {
    const file = load(text);
    const value = (file.data as { q?: string; a?: { q: string }[] }).q ?? (file.data as { a: { q: string }[] }).a[1]!.q;
    const path = text.startsWith("a:") ? ["a", 1, "q"] : ["q"];
    const position = locateInScalar(file, path, value.indexOf("XYZ"));
    expect(`${position.line}:${position.col}`).toBe(where(text, "XYZ"));
  });

  it("maps every character of a literal query, not just one", () => {
    const text = "id: x\nquery: |\n  T\n  | where A == 1\n  | project B\n";
    const file = load(text);
    const value = (file.data as { query: string }).query;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === "\n") continue;
      const p = locateInScalar(file, ["query"], i);
      const line = text.split("\n")[p.line - 1]!;
      expect(line[p.col - 1]).toBe(value[i]);
    }
  });

  it("maps the end of the value just after its last character", () => {
    const file = load("q: abc\n");
    expect(locateInScalar(file, ["q"], 3)).toEqual({ line: 1, col: 7 });
  });

  it("falls back to the scalar start for a non-string scalar", () => {
    const file = load("a: 1\nq: 12345\n");
    expect(locateInScalar(file, ["q"], 3)).toEqual({ line: 2, col: 4 });
  });

  it("falls back to the nearest parent when the path is missing", () => {
    const file = load("a:\n  b: 1\n");
    expect(locateInScalar(file, ["a", "missing"], 0)).toEqual({ line: 2, col: 3 });
  });
});

describe("locate and locateKey", () => {
  const text = "id: 1\nentityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: Name\n        columnName: User\n";
  it.each([
    [["id"], "1:5"],
    [["entityMappings", 0, "entityType"], "3:17"],
    [["entityMappings", 0, "fieldMappings", 0, "columnName"], "6:21"],
    [["entityMappings", 0, "nope"], "3:5"],
    [["entityMappings", 7], "3:3"],
    [[], "1:1"],
  ] as const)("locate %j", (path, expected) => {
    const { start } = locate(load(text), path);
    expect(`${start?.line}:${start?.col}`).toBe(expected);
  });

  it.each([
    [["entityMappings", 0, "fieldMappings", 0, "columnName"], "6:9"],
    [["id"], "1:1"],
    [["entityMappings", 0, "nope"], "3:5"],
  ] as const)("locateKey %j", (path, expected) => {
    const { start } = locateKey(load(text), path);
    expect(`${start?.line}:${start?.col}`).toBe(expected);
  });

  it("follows aliases", () => {
    const file = load("base: &b\n  x: 1\nuse: *b\n");
    expect(locate(file, ["use", "x"]).start).toEqual({ line: 2, col: 6 });
  });
});

describe("locateInScalar over generated values", () => {
  // Deterministic generator of query-like text with the characters that make scalar styles hard.
  const alphabet = ["T", "|", " ", " ", "where", "x", "==", '"', "'", "\\", "\t", "\n", "\n\n", "é", "😀", "{", "}", "#", ":", "-", "  "];
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const values = Array.from({ length: 60 }, () => Array.from({ length: 3 + Math.floor(next() * 25) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""));
  const styles = ["PLAIN", "QUOTE_SINGLE", "QUOTE_DOUBLE", "BLOCK_LITERAL", "BLOCK_FOLDED"] as const;
  const eols = ["\n", "\r\n"];

  it.each(styles.flatMap((style) => eols.map((eol) => [style, eol === "\n" ? "LF" : "CRLF", eol] as const)))(
    "%s (%s): every character maps to itself in the source",
    async (style, _name, eol) => {
      const { Document, Scalar } = await import("yaml");
      for (const value of values) {
        const doc = new Document({ id: 1, nested: { q: "" } });
        const scalar = new Scalar(value);
        scalar.type = style;
        doc.setIn(["nested", "q"], scalar);
        const text = doc.toString({ lineWidth: 40, minContentWidth: 10 }).replace(/\n/g, eol);
        const file = load(text);
        expect((file.data as { nested: { q: string } }).nested.q).toBe(value);
        for (let i = 0; i < value.length; i++) {
          const char = value[i]!;
          if (/\s/.test(char) || char === "\\" || char === '"' || char === "'" || /[\ud800-\udfff]/.test(char)) continue;
          const p = locateInScalar(file, ["nested", "q"], i);
          const line = text.split(/\r?\n/)[p.line - 1] ?? "";
          expect(`${JSON.stringify(value)}[${i}] → ${line[p.col - 1]}`).toBe(`${JSON.stringify(value)}[${i}] → ${char}`);
        }
      }
    },
  );
});
