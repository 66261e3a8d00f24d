import { describe, expect, it } from "vitest";
import type { KqlType, Value } from "../values.ts";
import { IP_FUNCTIONS, ipv4Tokens } from "./ip.ts";
import { buildRegistry } from "./registry.ts";

const registry = buildRegistry([IP_FUNCTIONS]);

function call(name: string, args: Value[], argTypes?: KqlType[]): Value {
  const fn = registry.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.call(args, { now: 0n, argTypes: argTypes ?? args.map((a) => (typeof a === "number" ? "long" : Array.isArray(a) ? "dynamic" : "string")), resultType: "dynamic" });
}

describe("IPv4 functions", () => {
  it.each<[string, Value[], Value]>([
    ["parse_ipv4", ["127.0.0.1"], 2130706433],
    ["parse_ipv4", ["192.1.168.1"], 3221334017],
    ["parse_ipv4", ["192.1.168.1/24"], 3221334016],
    ["parse_ipv4", ["256.1.1.1"], null],
    ["parse_ipv4", ["1.2.3"], null],
    ["parse_ipv4", [""], null],
    ["parse_ipv4_mask", ["192.168.255.255", 32], 3232301055],
    ["parse_ipv4_mask", ["192.168.255.255/24", 30], 3232300800],
    ["parse_ipv4_mask", ["255.255.255.255", 24], 4294967040],
    ["parse_ipv4_mask", ["1.2.3.4", 33], null],
    ["ipv4_is_private", ["10.1.2.3"], true],
    ["ipv4_is_private", ["192.168.1.1/24"], true],
    ["ipv4_is_private", ["172.31.255.255"], true],
    ["ipv4_is_private", ["172.32.0.1"], false],
    ["ipv4_is_private", ["127.0.0.1"], false],
    ["ipv4_is_private", ["x"], null],
    ["ipv4_is_in_range", ["192.168.1.1", "192.168.1.1"], true],
    ["ipv4_is_in_range", ["192.168.1.1", "192.168.1.255/24"], true],
    ["ipv4_is_in_range", ["192.168.1.6", "192.168.1.1/24"], true],
    ["ipv4_is_in_range", ["192.168.2.6", "192.168.1.1/24"], false],
    ["ipv4_is_in_range", ["bad", "192.168.1.1/24"], null],
    ["ipv4_is_in_any_range", ["192.168.1.6", "192.168.1.1/24", "10.0.0.1/8", "127.1.0.1/16"], true],
    ["ipv4_is_in_any_range", ["1.1.1.1", ["192.168.1.1/16", "127.0.0.1/8", "10.0.0.1/8"]], false],
    ["ipv4_is_in_any_range", ["10.1.2.3", ["192.168.1.1/16", "127.0.0.1/8", "10.0.0.1/8"]], true],
    ["ipv4_is_match", ["192.168.1.0", "192.168.1.0"], true],
    ["ipv4_is_match", ["192.168.1.1/24", "192.168.1.255"], true],
    ["ipv4_is_match", ["192.168.1.1/30", "192.168.1.255/24"], true],
    ["ipv4_is_match", ["192.168.1.1", "192.168.1.255", 24], true],
    ["ipv4_is_match", ["192.168.1.1", "192.168.1.255"], false],
    ["ipv4_compare", ["127.0.0.1", "127.0.0.1"], 0],
    ["ipv4_compare", ["192.168.1.1", "192.168.1.255"], -1],
    ["ipv4_compare", ["192.168.1.255", "192.168.1.1"], 1],
    ["ipv4_compare", ["192.168.1.1", "192.168.1.0", 31], 0],
    ["ipv4_compare", ["192.168.1.1/24", "192.168.1.255", 31], 0],
    ["ipv4_compare", ["192.168.1.1/24", "192.168.1.255/24"], 0],
    ["ipv4_compare", ["x", "192.168.1.255/24"], null],
    ["ipv4_netmask_suffix", ["192.168.1.1/24"], 24],
    ["ipv4_netmask_suffix", ["192.168.1.1"], 32],
    ["ipv4_netmask_suffix", ["192.168.1.1/33"], null],
    ["format_ipv4", ["192.168.1.255", 24], "192.168.1.0"],
    ["format_ipv4", [3232236031, 24], "192.168.1.0"],
    ["format_ipv4", ["abc", 24], ""],
    ["format_ipv4_mask", ["192.168.1.255", 24], "192.168.1.0/24"],
    ["format_ipv4_mask", [3232236031], "192.168.1.255/32"],
    ["ipv4_range_to_cidr_list", ["1.1.128.0", "1.1.140.255"], ["1.1.128.0/21", "1.1.136.0/22", "1.1.140.0/24"]],
  ])("%s(%j) = %j", (name, args, expected) => {
    expect(call(name, args)).toEqual(expected);
  });
});

describe("IPv6 functions", () => {
  it.each<[string, Value[], Value]>([
    ["parse_ipv6", ["192.168.255.255"], "0000:0000:0000:0000:0000:ffff:c0a8:ffff"],
    ["parse_ipv6", ["192.168.255.255/24"], "0000:0000:0000:0000:0000:ffff:c0a8:ff00"],
    ["parse_ipv6", ["fe80::85d:e82c:9446:7994/120"], "fe80:0000:0000:0000:085d:e82c:9446:7900"],
    ["parse_ipv6_mask", ["::192.168.255.255", 128], "0000:0000:0000:0000:0000:ffff:c0a8:ffff"],
    ["parse_ipv6_mask", ["::192.168.255.255/24", 128], "0000:0000:0000:0000:0000:ffff:c0a8:ff00"],
    ["parse_ipv6", ["::ffff:192.168.1.1"], "0000:0000:0000:0000:0000:ffff:c0a8:0101"],
    ["parse_ipv6", ["::1"], "0000:0000:0000:0000:0000:0000:0000:0001"],
    ["parse_ipv6", ["1::2::3"], null],
    ["parse_ipv6", ["12345::"], null],
    ["parse_ipv6_mask", ["192.168.255.255", 120], "0000:0000:0000:0000:0000:ffff:c0a8:ff00"],
    ["parse_ipv6_mask", ["192.168.255.255/24", 124], "0000:0000:0000:0000:0000:ffff:c0a8:ff00"],
    ["parse_ipv6_mask", ["fe80::85d:e82c:9446:7994", 120], "fe80:0000:0000:0000:085d:e82c:9446:7900"],
    ["ipv6_compare", ["::ffff:7f00:1", "127.0.0.1"], 0],
    ["ipv6_compare", ["fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995"], -1],
    ["ipv6_compare", ["fe80::85d:e82c:9446:7994/127", "fe80::85d:e82c:9446:7995/127"], 0],
    ["ipv6_compare", ["fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995", 127], 0],
    ["ipv6_is_match", ["fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995"], false],
    ["ipv6_is_match", ["fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995", 127], true],
    ["ipv6_is_match", ["192.168.1.1/24", "192.168.1.255"], true],
    ["ipv6_is_in_range", ["a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", "a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112"], true],
    ["ipv6_is_in_range", ["a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", "0:0:0:0:0:ffff:c0a8:ac/60"], false],
    ["ipv6_is_in_any_range", ["a5e:f127:8a9d:146d:e102:b5d3:c755:abcd", "0:0:0:0:0:ffff:c0a8:ac/60", "a5e:f127::/32"], true],
  ])("%s(%j) = %j", (name, args, expected) => {
    expect(call(name, args)).toEqual(expected);
  });
});

describe("IPv4 search in text", () => {
  it.each<[string, Value[], boolean]>([
    ["has_ipv4", ["05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0.0.1"], true],
    ["has_ipv4", ["05:04:54127.0.0.1 GET /favicon.ico 404", "127.0.0.1"], false],
    ["has_ipv4", ["Source address is 10.1.2.3.", "10.1.2.3"], true],
    ["has_ipv4", ["x10.1.2.3", "10.1.2.3"], false],
    ["has_ipv4_prefix", ["05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0."], true],
    ["has_ipv4_prefix", ["05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0"], false],
    ["has_ipv4_prefix", ["05:04:54127.0.0.1 GET /favicon.ico 404", "127.0."], false],
    ["has_any_ipv4", ["05:04:54 127.0.0.1 GET /favicon.ico 404", "127.0.0.1", "127.0.0.2"], true],
    ["has_any_ipv4", ["05:04:54 127.0.0.256 GET /favicon.ico 404", ["127.0.0.256", "192.168.1.1"]], false],
    ["has_any_ipv4", ["Source address is 10.1.2.3:1234", ["10.1.2.3", "127.0.0.1"]], true],
    ["has_any_ipv4_prefix", ["05:04:54 127.0.0.1 GET /favicon.ico 404", ["127.0.", "192.168."]], true],
    ["has_any_ipv4_prefix", ["05:04:54127.0.0.1 GET /favicon.ico 404", "127.0.", "192."], false],
  ])("%s(%j) = %s", (name, args, expected) => {
    expect(call(name, args)).toBe(expected);
  });

  it("extracts only valid, delimited addresses", () => {
    expect(ipv4Tokens("a 1.2.3.4, 999.1.1.1 5.6.7.8x 9.9.9.9")).toEqual(["1.2.3.4", "9.9.9.9"]);
  });
});
