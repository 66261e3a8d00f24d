import { describe, expect, it } from "vitest";
import { parseRowFile, rowFileFormat } from "./row-file.ts";

/** Rows as "line: values" and problems as "line:col message", for compact expectations. */
function read(text: string, format: "jsonl" | "json" | "csv") {
  const { rows, problems } = parseRowFile(text, format);
  return { rows: rows.map((r) => [r.line, r.values]), problems: problems.map((p) => `${p.line}:${p.col} ${p.message}`) };
}

describe("rowFileFormat", () => {
  it.each([
    [".jsonl", "jsonl"],
    [".NDJSON", "jsonl"],
    [".json", "json"],
    [".csv", "csv"],
    [".txt", undefined],
  ])("%s is %s", (extension, format) => expect(rowFileFormat(extension)).toBe(format));
});

describe("CSV", () => {
  it("reads quotes, doubled quotes, newlines inside quotes and every line ending, with each record's first line", () => {
    expect(read('a,b\r\n"x,1","say ""hi""\nthere"\r\n3,4\n\n5,\r6,7', "csv")).toEqual({
      rows: [
        [2, { a: "x,1", b: 'say "hi"\nthere' }],
        [4, { a: "3", b: "4" }],
        [6, { a: "5", b: null }],
        [7, { a: "6", b: "7" }],
      ],
      problems: [],
    });
  });

  it("skips a byte-order mark and trims header names", () => {
    expect(read("\uFEFF a ,b\n1,2\n", "csv").rows).toEqual([[2, { a: "1", b: "2" }]]);
  });

  it("reports a record with the wrong number of fields and keeps the others", () => {
    expect(read("a,b\n1\n2,3\n", "csv")).toEqual({ rows: [[3, { a: "2", b: "3" }]], problems: ["2:1 record has 1 fields, the header has 2"] });
  });

  it("reports an unclosed quote with its line", () => {
    const { rows, problems } = read('a\n"x', "csv");
    expect(rows).toEqual([]);
    expect(problems).toEqual([expect.stringMatching(/^2:1 not valid CSV: .*quote/i)]);
  });

  it("locates a value's column", () => {
    const [row] = parseRowFile("Name,Count\nalice,3\n", "csv").rows;
    expect([row?.positionOf("Name"), row?.positionOf("Count")]).toEqual([{ line: 2, col: 1 }, { line: 2, col: 7 }]);
  });
});

describe("JSON lines", () => {
  it("keeps longs beyond 2^53 exact, skips blank lines and reports bad lines by number", () => {
    expect(read('{"id": 9007199254740993}\n\nnot json\n[1]\n{"a": "b"}\r\n', "jsonl")).toEqual({
      rows: [
        [1, { id: 9007199254740993n }],
        [5, { a: "b" }],
      ],
      problems: [expect.stringMatching(/^3:1 line 3 is not JSON/), "4:1 line 4 must be a JSON object (one row)"],
    });
  });

  it("locates a value's column by its key", () => {
    const [row] = parseRowFile('{"a": 1, "Caller": "x"}', "jsonl").rows;
    expect(row?.positionOf("Caller")).toEqual({ line: 1, col: 10 });
  });
});

describe("JSON array", () => {
  it("reads row objects with their lines and reports other elements", () => {
    expect(read('[\n  {"a": 1, "d": {"n": [2]}},\n  2,\n  {"a": 12345678901234567890}\n]', "json")).toEqual({
      rows: [
        [2, { a: 1, d: { n: [2] } }],
        [4, { a: 12345678901234567890n }],
      ],
      problems: ["3:3 element 2 must be a row object"],
    });
  });

  it("locates a value by its key's own line and column", () => {
    const [row] = parseRowFile('[\n  {\n    "a": 1,\n    "Caller": "x"\n  }\n]', "json").rows;
    expect([row?.line, row?.positionOf("Caller"), row?.positionOf("Missing")]).toEqual([2, { line: 4, col: 5 }, { line: 2, col: 3 }]);
  });

  it.each([
    ['{"a": 1}', "1:1 a .json data file must be an array of row objects"],
    ["[{", expect.stringMatching(/^1:\d+ not valid JSON/)],
  ])("refuses %j", (text, problem) => {
    expect(read(text, "json").problems).toEqual([problem]);
  });
});
