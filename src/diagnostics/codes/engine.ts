import type { CodeInfo } from "./code-info.ts";

/** SC4xxx: the offline KQL engine (unsupported KQL, runtime and data errors). */
export const ENGINE_CODES = {
  SC4001: { severity: "error", title: "KQL not supported by the offline engine", hint: "Rewrite the query without this construct, or run the test against a workspace." },
  SC4002: { severity: "error", title: "Function not supported by the offline engine", hint: "Use a supported function (docs/kql-engine.md lists them), or run the test against a workspace." },
  SC4003: { severity: "error", title: "Query does not analyze", hint: "Fix the KQL error reported by Kusto's analyzer." },
  SC4004: { severity: "error", title: "Run-time error in query", hint: "The query failed while running on the sample rows." },
  SC4005: { severity: "error", title: "Row limit exceeded", hint: "The query produced more rows than the engine's row cap; narrow the query or raise limits.maxRows." },
  SC4006: { severity: "error", title: "Recursion limit exceeded", hint: "Function calls or nested expressions are too deep; simplify the query." },
  SC4007: { severity: "error", title: "Memory limit exceeded", hint: "The query holds more cells than the engine's cap, or grew the heap past its memory budget; narrow the query or raise limits.maxCells / limits.maxMemoryMb (--memory-budget)." },
  SC4008: { severity: "error", title: "Regular expression RE2 rejects", hint: "Kusto runs regexes on RE2, which has no look-around, back-references, possessive quantifiers or atomic groups; rewrite the pattern." },
  SC4009: { severity: "error", title: "Bad table data", hint: "Fix the fixture row: each value must convert to its column's type, and each column must exist in the table." },
  SC4010: { severity: "error", title: "Unknown table or function", hint: "Give the table's rows as a fixture, or define the function in parsers/." },
  SC4011: { severity: "error", title: "Bad engine options", hint: "Pass a valid ISO-8601 UTC instant as now." },
  SC4012: { severity: "error", title: "Query the Kusto service rejects", hint: "Kusto.Language accepts this query but the service's documented rules do not; fix it as the message says." },
  SC4020: { severity: "error", title: "Value the offline engine cannot compute exactly", hint: "Kusto's result for this type or value is not documented or not reproducible offline (docs/kql-engine.md lists each refusal); rewrite the query or run the test against a workspace." },
  SC4013: { severity: "error", title: "Time budget exceeded", hint: "The query ran longer than its time budget; narrow the query or raise limits.maxMilliseconds (--time-budget)." },
} as const satisfies Record<`SC4${string}`, CodeInfo>;
