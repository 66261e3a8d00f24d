import { describe, expect, it } from "vitest";
import { createWorkspaceVerifier, existingIdsQuery } from "./verifier.ts";

describe("in-doubt verification", () => {
  it("builds a KQL query with the ids as string literals", () => {
    expect(existingIdsQuery(["A_CL", "B_CL"], "EventId", ["x", 'q"uote'])).toBe(
      'union isfuzzy=true A_CL, B_CL | where EventId in (dynamic(["x", "q\\"uote"])) | distinct EventId',
    );
  });

  it("polls while ids are missing, until all arrive", async () => {
    const arrivals = [["a"], ["b"], ["c"]];
    let t = 0;
    const queries: string[] = [];
    const verifier = createWorkspaceVerifier({
      query: async (kql) => {
        queries.push(kql);
        return arrivals.shift() ?? [];
      },
      tables: ["T_CL"],
      idColumn: "EventId",
      waitMs: 10_000,
      pollMs: 1_000,
      sleep: async (ms) => void (t += ms),
      now: () => t,
    });
    expect([...(await verifier.existingIds(["a", "b", "c"]))].sort()).toEqual(["a", "b", "c"]);
    expect(queries).toHaveLength(3);
    expect(queries[1]).toContain('dynamic(["b", "c"])');
    expect(t).toBe(2_000);
  });

  it("gives up at the deadline and returns what it found", async () => {
    let t = 0;
    const verifier = createWorkspaceVerifier({
      query: async () => ["a"],
      tables: ["T_CL"],
      idColumn: "EventId",
      waitMs: 3_000,
      pollMs: 1_000,
      sleep: async (ms) => void (t += ms),
      now: () => t,
    });
    expect([...(await verifier.existingIds(["a", "b"]))]).toEqual(["a"]);
    expect(t).toBe(3_000);
  });

  it("asks in chunks of 500 ids", async () => {
    const sizes: number[] = [];
    const ids = Array.from({ length: 1_200 }, (_, i) => `id-${i}`);
    const verifier = createWorkspaceVerifier({
      query: async (kql) => {
        const list = JSON.parse(`[${/dynamic\(\[(.*)\]\)/.exec(kql)![1]}]`) as string[];
        sizes.push(list.length);
        return list;
      },
      tables: ["T_CL"],
      idColumn: "EventId",
      waitMs: 0,
      pollMs: 0,
    });
    expect((await verifier.existingIds(ids)).size).toBe(1_200);
    expect(sizes).toEqual([500, 500, 200]);
  });
});
