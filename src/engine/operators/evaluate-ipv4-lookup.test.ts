import { describe, expect, it } from "vitest";
import { namedOutcome as run } from "../test-helpers.ts";

// Microsoft's examples: https://learn.microsoft.com/kusto/query/ipv4-lookup-plugin
const IP_DATA = `let IP_Data = datatable(network:string, continent_code:string ,continent_name:string, country_iso_code:string, country_name:string)
[
  "111.68.128.0/17","AS","Asia","JP","Japan",
  "5.8.0.0/19","EU","Europe","RU","Russia",
  "223.255.254.0/24","AS","Asia","SG","Singapore",
  "46.36.200.51/32","OC","Oceania","CK","Cook Islands",
  "2.20.183.0/24","EU","Europe","GB","United Kingdom",
];
let IPs = datatable(ip:string) ['2.20.183.12', '5.8.1.2', '192.165.12.17'];
`;
const COLUMNS = ["ip", "network", "continent_code", "continent_name", "country_iso_code", "country_name"];
const UK = ["2.20.183.12", "2.20.183.0/24", "EU", "Europe", "GB", "United Kingdom"];
const RU = ["5.8.1.2", "5.8.0.0/19", "EU", "Europe", "RU", "Russia"];

describe("evaluate ipv4_lookup", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] } | RegExp]>([
    ["matching rows only (Microsoft's example)", `${IP_DATA}IPs | evaluate ipv4_lookup(IP_Data, ip, network)`, { columns: COLUMNS, rows: [UK, RU] }],
    [
      "return_unmatched = true keeps unmatched rows, filled with nulls (Microsoft's example)",
      `${IP_DATA}IPs | evaluate ipv4_lookup(IP_Data, ip, network, return_unmatched = true)`,
      { columns: COLUMNS, rows: [UK, RU, ["192.165.12.17", null, null, null, null, null]] },
    ],
    ["return_unmatched given by position", `${IP_DATA}IPs | evaluate ipv4_lookup(IP_Data, ip, network, false)`, { columns: COLUMNS, rows: [UK, RU] }],
    [
      "a /32 range matches its one address",
      `${IP_DATA}datatable(ip:string)['46.36.200.51', '46.36.200.52'] | evaluate ipv4_lookup(IP_Data, ip, network)`,
      { columns: COLUMNS, rows: [["46.36.200.51", "46.36.200.51/32", "OC", "Oceania", "CK", "Cook Islands"]] },
    ],
    [
      "extra keys must be equal too; the lookup table's copy of them is dropped, as lookup does",
      `let L = datatable(net:string, site:string, owner:string)["10.0.0.0/8", "a", "ops", "10.0.0.0/8", "b", "dev"];
datatable(ip:string, site:string)['10.1.2.3', 'b', '10.1.2.4', 'c'] | evaluate ipv4_lookup(L, ip, net, site, return_unmatched = true)`,
      { columns: ["ip", "site", "net", "owner"], rows: [["10.1.2.3", "b", "10.0.0.0/8", "dev"], ["10.1.2.4", "c", null, null]] },
    ],
    [
      "values that are not IPv4 addresses match nothing",
      `let L = datatable(net:string, v:long)["10.0.0.0/8", 1, "not an ip", 2];
datatable(ip:string)['10.1.2.3', 'x', ''] | evaluate ipv4_lookup(L, ip, net)`,
      { columns: ["ip", "net", "v"], rows: [["10.1.2.3", "10.0.0.0/8", 1]] },
    ],
    [
      "an address in overlapping ranges is refused: which range Kusto returns is not documented",
      `let L = datatable(net:string)["10.0.0.0/8", "10.1.0.0/16"]; datatable(ip:string)['10.1.2.3'] | evaluate ipv4_lookup(L, ip, net)`,
      /SC4020.*2 ranges/,
    ],
    [
      "a source value with a prefix shorter than /32 is refused: how a range matches is not documented",
      `let L = datatable(net:string)["10.0.0.0/8"]; datatable(ip:string)['10.1.0.0/16'] | evaluate ipv4_lookup(L, ip, net)`,
      /SC4020.*is a range/,
    ],
    [
      "a source value written with /32 is its one address",
      `let L = datatable(net:string)["10.0.0.0/8"]; datatable(ip:string)['10.1.2.3/32'] | evaluate ipv4_lookup(L, ip, net)`,
      { columns: ["ip", "net"], rows: [["10.1.2.3/32", "10.0.0.0/8"]] },
    ],
    ["a computed return_unmatched is rejected (Kusto.Language requires a literal)", `${IP_DATA}IPs | evaluate ipv4_lookup(IP_Data, ip, network, return_unmatched = not(false))`, /SC4003.*literal/],
    ["a key missing from the lookup table is refused", `${IP_DATA}IPs | evaluate ipv4_lookup(IP_Data, ip, nope)`, /SC400[13]/],
  ])("%s", (_what, query, expected) => {
    if (expected instanceof RegExp) expect(run(query)).toMatch(expected);
    else expect(run(query)).toEqual(expected);
  });
});
