import { describe, expect, it } from "vitest";
import { runDeployCampaign } from "./emulator/fault-campaign.ts";

describe("deploy fault campaign (seeded kills, 429/5xx, lost responses → 409/412, portal edits → 412)", () => {
  it("20 killed plan+apply --prune runs converge: the workspace matches the repository and nothing unowned is deleted", async () => {
    const result = await runDeployCampaign({ seed: 20261207, kills: 20, rules: 12 });
    expect(result.kills).toBeGreaterThanOrEqual(20);
    expect(result.faults.lostResponses).toBeGreaterThan(0);
    expect(result.conflictsAfterLostResponse).toBeGreaterThan(0);
    expect(result.changesLeft).toBe(0);
    expect(result.orphansLeft).toBe(0);
    expect(result.unownedDeleted).toBe(0);
  });
});
