/** IPv4 and IPv6 functions: parsing, masks, ranges, comparison and address search in text. */
import type { JsonValue, Value } from "../values.ts";
import { argLong, argString, dynamicElementString } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

/** An IPv4 address (32-bit unsigned) and its prefix length (32 when the text had none). */
interface Ipv4 {
  address: number;
  prefix: number;
}

/** An IPv6 address (128-bit) and its prefix length; IPv4 addresses map to ::ffff:a.b.c.d with prefix + 96. */
interface Ipv6 {
  address: bigint;
  prefix: number;
}

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4Address(text: string): number | null {
  const m = V4_RE.exec(text);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return null;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

/** Parses `a.b.c.d[/n]`; null when not a valid IPv4 address. */
export function parseIpv4(text: string): Ipv4 | null {
  const [addr = "", suffix, extra] = text.trim().split("/");
  if (extra !== undefined) return null;
  const address = parseV4Address(addr);
  if (address === null) return null;
  if (suffix === undefined) return { address, prefix: 32 };
  if (!/^\d{1,2}$/.test(suffix) || Number(suffix) > 32) return null;
  return { address, prefix: Number(suffix) };
}

function maskV4(address: number, prefix: number): number {
  if (prefix <= 0) return 0;
  if (prefix >= 32) return address;
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  return (address & mask) >>> 0;
}

function formatV4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

function parseV6Address(text: string): bigint | null {
  let head = text;
  let tailV4: number | null = null;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    tailV4 = parseV4Address(text.slice(lastColon + 1));
    if (tailV4 === null) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string): string[] => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0] ?? "");
  const right = halves.length === 2 ? groups(halves[1] ?? "") : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const all = [...left, ...Array<string>(Math.max(missing, 0)).fill("0"), ...right];
  if (all.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return null;
  let value = all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tailV4 !== null) value = (value & ~0xffffffffn) | BigInt(tailV4);
  return value;
}

/** Parses an IPv6 address or an IPv4 address (as IPv4-mapped IPv6), with an optional `/n` prefix. */
export function parseIpv6(text: string): Ipv6 | null {
  const trimmed = text.trim();
  // "::a.b.c.d[/n]" is read as the IPv4 address a.b.c.d (its prefix counted in IPv4 bits), as Kusto does.
  const v4 = parseIpv4(trimmed.startsWith("::") && trimmed.includes(".") && !trimmed.slice(2).includes(":") ? trimmed.slice(2) : trimmed);
  if (v4 !== null) return { address: 0xffff00000000n | BigInt(v4.address), prefix: v4.prefix + 96 };
  const [addr = "", suffix, extra] = trimmed.split("/");
  if (extra !== undefined) return null;
  const address = parseV6Address(addr);
  if (address === null) return null;
  if (suffix === undefined) return { address, prefix: 128 };
  if (!/^\d{1,3}$/.test(suffix) || Number(suffix) > 128) return null;
  return { address, prefix: Number(suffix) };
}

function maskV6(address: bigint, prefix: number): bigint {
  if (prefix <= 0) return 0n;
  if (prefix >= 128) return address;
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(128 - prefix);
  return address & mask;
}

function formatV6Full(address: bigint): string {
  return Array.from({ length: 8 }, (_, i) => ((address >> BigInt(112 - 16 * i)) & 0xffffn).toString(16).padStart(4, "0")).join(":");
}

function v4Arg(args: readonly Value[], ctx: CallContext, i: number): Ipv4 | null {
  const v = args[i] ?? null;
  if (typeof v === "number" && ctx.argTypes[i] !== "string") {
    return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? { address: v, prefix: 32 } : null;
  }
  return parseIpv4(argString(args, ctx, i));
}

function v6Arg(args: readonly Value[], ctx: CallContext, i: number): Ipv6 | null {
  return parseIpv6(argString(args, ctx, i));
}

/** The optional explicit prefix argument `i`, or `fallback`; null when present but invalid. */
function prefixArg(args: readonly Value[], ctx: CallContext, i: number, max: number, fallback: number): number | null {
  const p = argLong(args, ctx, i, fallback);
  return p === null || p < 0 || p > max ? null : p;
}

/** What the comparison and range functions need from one IP version, so IPv4 and IPv6 share them. */
interface IpVersion<A extends number | bigint> {
  /** The address width in bits (the default and largest prefix). */
  bits: number;
  arg(args: readonly Value[], ctx: CallContext, i: number): { address: A; prefix: number } | null;
  parse(text: string): { address: A; prefix: number } | null;
  mask(address: A, prefix: number): A;
}

const V4: IpVersion<number> = { bits: 32, arg: v4Arg, parse: parseIpv4, mask: maskV4 };
const V6: IpVersion<bigint> = { bits: 128, arg: v6Arg, parse: parseIpv6, mask: maskV6 };

/** ipv4_compare / ipv6_compare: -1, 0 or 1 after masking both to the smallest prefix (theirs or argument 2). */
function compareOf<A extends number | bigint>(v: IpVersion<A>): (args: readonly Value[], ctx: CallContext) => number | null {
  return (args, ctx) => {
    const a = v.arg(args, ctx, 0);
    const b = v.arg(args, ctx, 1);
    const p = prefixArg(args, ctx, 2, v.bits, v.bits);
    if (a === null || b === null || p === null) return null;
    const prefix = Math.min(a.prefix, b.prefix, p);
    const x = v.mask(a.address, prefix);
    const y = v.mask(b.address, prefix);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

function inRange<A extends number | bigint>(v: IpVersion<A>, ip: { address: A }, range: { address: A; prefix: number }): boolean {
  return v.mask(ip.address, range.prefix) === v.mask(range.address, range.prefix);
}

/** The *_is_match, *_is_in_range and *_is_in_any_range functions of one IP version. */
function matchAndRangeFunctions<A extends number | bigint>(name: "ipv4" | "ipv6", v: IpVersion<A>): ScalarFunction[] {
  const compare = compareOf(v);
  return [
    {
      name: `${name}_is_match`,
      call: (args, ctx) => {
        const c = compare(args, ctx);
        return c === null ? null : c === 0;
      },
    },
    {
      name: `${name}_is_in_range`,
      call: (args, ctx) => {
        const ip = v.arg(args, ctx, 0);
        const range = v.arg(args, ctx, 1);
        return ip === null || range === null ? null : inRange(v, ip, range);
      },
    },
    {
      name: `${name}_is_in_any_range`,
      call: (args, ctx) => {
        const ip = v.arg(args, ctx, 0);
        if (ip === null) return null;
        const ranges = rangeTexts(args, ctx).map(v.parse);
        if (ranges.some((r) => r === null)) return null;
        return ranges.some((r) => inRange(v, ip, r!));
      },
    },
  ];
}

/** The range arguments from index 1 on: either separate strings or one dynamic array. */
function rangeTexts(args: readonly Value[], ctx: CallContext): string[] {
  const first = args[1] ?? null;
  if (args.length === 2 && Array.isArray(first)) return first.map((v: JsonValue) => dynamicElementString(v));
  return args.slice(1).map((_, i) => argString(args, ctx, i + 1));
}

const IP_TOKEN_RE = /[0-9.]+/g;

/** The valid IPv4 addresses that appear in `text` delimited by non-alphanumeric characters. */
export function ipv4Tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IP_TOKEN_RE)) {
    const before = text[m.index - 1];
    const after = text[m.index + m[0].length];
    if ((before !== undefined && /[A-Za-z0-9_]/.test(before)) || (after !== undefined && /[A-Za-z0-9_]/.test(after))) continue;
    const token = m[0].replace(/^\.+|\.+$/g, "");
    if (parseV4Address(token) !== null) out.push(token);
  }
  return out;
}

function sameV4(a: string, b: string): boolean {
  const x = parseV4Address(a);
  return x !== null && x === parseV4Address(b);
}

function validPrefix(prefix: string): boolean {
  return parseV4Address(prefix) !== null || (/^(\d{1,3}\.){1,3}$/.test(prefix) && prefix.split(".").slice(0, -1).every((o) => Number(o) <= 255));
}

function hasIpv4(text: string, lookups: string[]): boolean {
  const tokens = ipv4Tokens(text);
  return lookups.some((ip) => tokens.some((t) => sameV4(t, ip.trim())));
}

function hasIpv4Prefix(text: string, prefixes: string[]): boolean {
  const tokens = ipv4Tokens(text);
  return prefixes.some((p) => validPrefix(p.trim()) && tokens.some((t) => t.startsWith(p.trim()) && (p.trim().endsWith(".") || t === p.trim())));
}

/** The smallest CIDR blocks covering [start, end]. */
function cidrList(start: number, end: number): string[] {
  const out: string[] = [];
  let cur = start;
  while (cur <= end) {
    let size = 32;
    while (size > 0) {
      const block = 2 ** (33 - size);
      if (cur % block !== 0 || cur + block - 1 > end) break;
      size--;
    }
    out.push(`${formatV4(cur)}/${size}`);
    cur += 2 ** (32 - size);
  }
  return out;
}

const PRIVATE_V4 = [parseIpv4("10.0.0.0/8"), parseIpv4("172.16.0.0/12"), parseIpv4("192.168.0.0/16")] as Ipv4[];

/** The IP family. */
export const IP_FUNCTIONS: readonly ScalarFunction[] = [
  {
    name: "parse_ipv4",
    call: (args, ctx) => {
      const ip = v4Arg(args, ctx, 0);
      return ip === null ? null : maskV4(ip.address, ip.prefix);
    },
  },
  {
    name: "parse_ipv4_mask",
    call: (args, ctx) => {
      const ip = v4Arg(args, ctx, 0);
      const p = prefixArg(args, ctx, 1, 32, 32);
      return ip === null || p === null ? null : maskV4(ip.address, Math.min(ip.prefix, p));
    },
  },
  {
    name: "ipv4_is_private",
    call: (args, ctx) => {
      const ip = v4Arg(args, ctx, 0);
      return ip === null ? null : PRIVATE_V4.some((r) => inRange(V4, ip, r));
    },
  },
  { name: "ipv4_compare", call: compareOf(V4) },
  ...matchAndRangeFunctions("ipv4", V4),
  {
    name: "ipv4_netmask_suffix",
    call: (args, ctx) => parseIpv4(argString(args, ctx, 0))?.prefix ?? null,
  },
  {
    name: "format_ipv4",
    call: (args, ctx) => {
      const ip = v4Arg(args, ctx, 0);
      const p = prefixArg(args, ctx, 1, 32, 32);
      return ip === null || p === null ? "" : formatV4(maskV4(ip.address, Math.min(ip.prefix, p)));
    },
  },
  {
    name: "format_ipv4_mask",
    call: (args, ctx) => {
      const ip = v4Arg(args, ctx, 0);
      const p = prefixArg(args, ctx, 1, 32, 32);
      if (ip === null || p === null) return "";
      const prefix = Math.min(ip.prefix, p);
      return `${formatV4(maskV4(ip.address, prefix))}/${prefix}`;
    },
  },
  {
    name: "ipv4_range_to_cidr_list",
    call: (args, ctx) => {
      const a = v4Arg(args, ctx, 0);
      const b = v4Arg(args, ctx, 1);
      if (a === null || b === null || a.address > b.address) return null;
      return cidrList(a.address, b.address);
    },
  },
  {
    name: "parse_ipv6",
    call: (args, ctx) => {
      const ip = v6Arg(args, ctx, 0);
      return ip === null ? null : formatV6Full(maskV6(ip.address, ip.prefix));
    },
  },
  {
    name: "parse_ipv6_mask",
    call: (args, ctx) => {
      const ip = v6Arg(args, ctx, 0);
      const p = prefixArg(args, ctx, 1, 128, 128);
      return ip === null || p === null ? null : formatV6Full(maskV6(ip.address, Math.min(ip.prefix, p)));
    },
  },
  { name: "ipv6_compare", call: compareOf(V6) },
  ...matchAndRangeFunctions("ipv6", V6),
  { name: "has_ipv4", call: (args, ctx) => hasIpv4(argString(args, ctx, 0), [argString(args, ctx, 1)]) },
  { name: "has_ipv4_prefix", call: (args, ctx) => hasIpv4Prefix(argString(args, ctx, 0), [argString(args, ctx, 1)]) },
  { name: "has_any_ipv4", call: (args, ctx) => hasIpv4(argString(args, ctx, 0), rangeTexts(args, ctx)) },
  { name: "has_any_ipv4_prefix", call: (args, ctx) => hasIpv4Prefix(argString(args, ctx, 0), rangeTexts(args, ctx)) },
];
