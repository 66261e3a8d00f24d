import { describe, expect, it } from "vitest";
import { jsonOutcome as run } from "../test-helpers.ts";

const EVENTS = `let Events = datatable(Ts: timespan, Event: string)[0m,"A", 1m,"Start", 2m,"B", 3m,"D", 4m,"Stop", 6m,"C", 8m,"Start", 11m,"E", 12m,"Stop"];`;
const SESSIONS = `let Events = datatable(Ts: timespan, Event: string)[0m,"A", 1m,"A", 2m,"B", 3m,"D", 32m,"B", 36m,"C", 38m,"D", 41m,"E", 75m,"A"];`;

describe("scan (the documented examples and state-machine cases)", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      "cumulative sum: a step reads its own previous record; no match_id column without with_match_id",
      "range x from 1 to 5 step 1 | scan declare (c:long=0) with (step s1: true => c = x + s1.c;)",
      { columns: ["x:long", "c:long"], rows: [[1, 1], [2, 3], [3, 6], [4, 10], [5, 15]] },
    ],
    [
      "cumulative sums with a reset condition",
      "range x from 1 to 5 step 1 | extend y = 2 * x | scan declare (cx:long=0, cy:long=0) with (step s1: true => cx = iff(s1.cx >= 10, x, x + s1.cx), cy = iff(s1.cy >= 10, y, y + s1.cy);)",
      { columns: ["x:long", "y:long", "cx:long", "cy:long"], rows: [[1, 2, 1, 2], [2, 4, 3, 6], [3, 6, 6, 12], [4, 8, 10, 8], [5, 10, 5, 18]] },
    ],
    [
      "sessions: output=none moves the sequence on, after which the first step starts a new match id",
      `${SESSIONS} Events | sort by Ts asc | scan with_match_id=sid declare (start: timespan) with (step inS: true => start = iff(isnull(inS.start), Ts, inS.start); step endS output=none: Ts - inS.start > 30m;) | project Ts, start, sid`,
      {
        columns: ["Ts:timespan", "start:timespan", "sid:long"],
        rows: [["00:00:00", "00:00:00", 0], ["00:01:00", "00:00:00", 0], ["00:02:00", "00:00:00", 0], ["00:03:00", "00:00:00", 0], ["00:32:00", "00:32:00", 1], ["00:36:00", "00:32:00", 1], ["00:38:00", "00:32:00", 1], ["00:41:00", "00:32:00", 1], ["01:15:00", "01:15:00", 2]],
      },
    ],
    [
      "events between Start and Stop: rows matching no step are dropped; the walkthrough's output",
      `${EVENTS} Events | sort by Ts asc | scan with_match_id=m with (step s1: Event == "Start"; step s2: Event != "Start" and Event != "Stop" and Ts - s1.Ts <= 5m; step s3: Event == "Stop" and Ts - s1.Ts <= 5m;)`,
      {
        columns: ["Ts:timespan", "Event:string", "m:long"],
        rows: [["00:01:00", "Start", 0], ["00:02:00", "B", 0], ["00:03:00", "D", 0], ["00:04:00", "Stop", 0], ["00:08:00", "Start", 1], ["00:11:00", "E", 1], ["00:12:00", "Stop", 1]],
      },
    ],
    [
      "a row matching several steps is output once per step, last step first; unassigned declared columns take their default",
      "range x from 1 to 3 step 1 | scan with_match_id=m declare (a:long=-1, b:string) with (step s1: true => a = x; step s2: x >= 2 => b = strcat('s2@', tostring(s1.a));)",
      {
        columns: ["x:long", "a:long", "b:string", "m:long"],
        rows: [[1, 1, "", 0], [2, -1, "s2@1", 0], [2, 2, "", 1], [3, -1, "s2@2", 1], [3, 3, "", 2]],
      },
    ],
    [
      "a step before its sequence reaches it reads defaults (null, '' for strings)",
      "range x from 1 to 2 step 1 | extend s = 'v' | scan declare (d:long, t:string='t0') with (step s1: true => d = s2.d, t = strcat(s2.s, '|', s2.t); step s2: false;)",
      { columns: ["x:long", "s:string", "d:long", "t:string"], rows: [[1, "v", null, "|t0"], [2, "v", null, "|t0"]] },
    ],
    [
      "no row matching the first step gives an empty result",
      "range x from 1 to 3 step 1 | scan with (step s1: x > 10;)",
      { columns: ["x:long"], rows: [] },
    ],
    [
      "the implicit match_id is dropped from the result even after other operators",
      "range x from 1 to 3 step 1 | scan declare (c:long=0) with (step s1: true => c = s1.c + 1;) | where c > 1 | extend z = c * 10 | project-away x",
      { columns: ["c:long", "z:long"], rows: [[2, 20], [3, 30]] },
    ],
  ])("%s", (_what, query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it.each<[string, string]>([
    ["serialize", "datatable(x:long)[2, 1] | serialize | scan with (step s1: true;)"],
    ["sort, then where, extend and project", "datatable(x:long)[2, 1] | sort by x asc | where x > 0 | extend y = x | project x | scan with (step s1: true;)"],
    ["top", "datatable(x:long)[2, 1] | top 2 by x | scan with (step s1: true;)"],
    ["a parenthesized sorted input", "(datatable(x:long)[2, 1] | order by x) | scan with (step s1: true;)"],
  ])("accepts serialized input: %s", (_what, query) => {
    expect(run(query)).toMatchObject({ columns: ["x:long"] });
  });

  it.each<[string, string, RegExp]>([
    ["unserialized input at the start of a partition subquery", "range x from 1 to 3 step 1 | partition by x (scan with (step s1: true;))", /^SC4001 .*not serialized/],
    ["unserialized input (no sort)", "datatable(x:long)[2, 1] | scan with (step s1: true;)", /^SC4001 1:27 scan over rows that are not serialized/],
    ["unserialized input after summarize", "range x from 1 to 3 step 1 | summarize by x | scan with (step s1: true;)", /^SC4001 .*not serialized/],
    ["output=last, whose order the docs leave open", "range x from 1 to 3 step 1 | scan with (step s1 output=last: true;)", /^SC4001 .*output=last/],
    ["a duplicated step name", "range x from 1 to 3 step 1 | scan with (step s1: true; step s1: true;)", /^SC4012 .*step name 's1' is used twice/],
    ["a condition that is not a bool", "range x from 1 to 3 step 1 | scan with (step s1: x;)", /^SC4012 .*condition of scan step 's1' is a long, not a bool/],
    ["an assignment to an input column", "range x from 1 to 3 step 1 | scan declare (c:long) with (step s1: true => x = 1;)", /^SC4012 .*assigns 'x', which is not a declared column/],
    ["an assignment of the wrong type", 'range x from 1 to 3 step 1 | scan declare (c:long) with (step s1: true => c = "a";)', /^SC4001 .*assigning a string to the long column 'c'/],
    ["a default of the wrong type", 'range x from 1 to 3 step 1 | scan declare (c:datetime="x") with (step s1: true;)', /^SC4001 .*default '"x"' for the datetime column 'c'/],
    ["declaring a column the input has", "range x from 1 to 3 step 1 | scan declare (x:long) with (step s1: true;)", /^SC4001 .*declaring the column 'x', which its input already has/],
    ["a bare declared column in a step", "range x from 1 to 3 step 1 | scan declare (c:long=0) with (step s1: c == 0 => c = 1;)", /^SC4001 .*bare name of the declared column 'c'/],
    ["reading the implicit match_id", "range x from 1 to 3 step 1 | scan with (step s1: true;) | project match_id", /^SC4001 .*the column 'match_id', which Kusto.Language adds/],
    ["an operator laying out the implicit match_id", "range x from 1 to 3 step 1 | scan with (step s1: true;) | getschema", /^SC4001 .*after a scan without with_match_id=/],
    ["pack_all over the implicit match_id", "range x from 1 to 3 step 1 | scan with (step s1: true;) | extend b = pack_all()", /^SC4001 .*after a scan without with_match_id=/],
    ["an undeclared assignment target (Kusto.Language's error)", "range x from 1 to 3 step 1 | scan with (step s1: true => y = 1;)", /^SC4003 .*'y'/],
  ])("refuses %s", (_what, query, message) => {
    expect(run(query)).toMatch(message);
  });
});
