import { describe, expect, it } from "vitest";
import { clockPinner, pinClock, reachedFunctions, serviceQuery } from "./live-query.ts";

const AT = Date.UTC(2026, 10, 20, 23, 30);
const PINNED = "datetime(2026-11-20T23:30:00Z)";

describe("pinClock", () => {
  it.each([
    ["now()", "T | where X <= now()", `T | where X <= ${PINNED}`],
    ["now(offset)", "T | where X <= now(-5m)", `T | where X <= (${PINNED} + (-5m))`],
    ["ago(span)", "T | where X > ago(1h)", `T | where X > (${PINNED} - (1h))`],
    ["ago of an expression", "let w = 1h; T | where X > ago(2 * w)", `let w = 1h; T | where X > (${PINNED} - (2 * w))`],
    ["a call nested in ago()", "print ago(now() - datetime(2026-01-01))", `print (${PINNED} - (${PINNED} - datetime(2026-01-01)))`],
    ["calls inside a let function", "let F = () { T | where X > ago(1d) }; F()", `let F = () { T | where X > (${PINNED} - (1d)) }; F()`],
    ["words that only look like calls: strings, comments, columns", 'T // ago(1h)\n| where Note == "now()" | project ago_count = 1', 'T // ago(1h)\n| where Note == "now()" | project ago_count = 1'],
  ])("%s", (_name, query, pinned) => {
    expect(pinClock(query, AT)).toBe(pinned);
  });
});

describe("clockPinner", () => {
  it("pins one parsed query to each instant it is given", () => {
    const pin = clockPinner("T | where X between (ago(1h) .. now()) | extend Age = now() - X");
    const later = AT + 3_600_000;
    expect(pin(AT)).toBe(`T | where X between ((${PINNED} - (1h)) .. ${PINNED}) | extend Age = ${PINNED} - X`);
    expect(pin(later)).toBe(pinClock("T | where X between (ago(1h) .. now()) | extend Age = now() - X", later));
    expect(pin(later)).toContain("datetime(2026-11-21T00:30:00Z)");
  });

  it("leaves a query without clock calls as it is", () => {
    expect(clockPinner("T | take 1")(AT)).toBe("T | take 1");
  });
});

const parsers = [
  { name: "Outer", parameters: [], body: "Inner | where X > ago(1d)" },
  { name: "Inner", parameters: [{ name: "n", type: "long", default: "1" }], body: "T | take n" },
  { name: "Unused", parameters: [], body: "U" },
];

describe("serviceQuery", () => {
  it("carries the parsers the query reaches, callees first, and only the watchlists it names", () => {
    expect(reachedFunctions("Outer | count", parsers).map((f) => f.name)).toEqual(["Inner", "Outer"]);
    const watchlists = new Map([
      ["admins", { alias: "Admins", columns: ["Upn"], rows: [["alice@contoso.com"]] }],
      ["other", { alias: "Other", columns: ["X"], rows: [] }],
    ]);
    const query = serviceQuery("let a = _GetWatchlist('Admins'); Outer | where Who in (a)", parsers, watchlists);
    expect(query.indexOf("let Inner = (n:long=1)")).toBeLessThan(query.indexOf("let Outer = ()"));
    expect(query).toContain('"alice@contoso.com"');
    expect(query).not.toContain("Other");
    expect(query).not.toContain("Unused");
    expect(query.endsWith("let a = _GetWatchlist('Admins'); Outer | where Who in (a)")).toBe(true);
  });
});
