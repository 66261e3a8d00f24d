/** Encoding, hashing and URL/path parsing: base64_*, hash*, url_encode/decode, parse_url, parse_path, parse_urlquery. */
import { createHash } from "node:crypto";
import { gunzipSync, inflateSync } from "node:zlib";
import { EngineError } from "../errors.ts";
import { normalizeLong, type JsonValue, type Value } from "../values.ts";
import { EPOCH_TICKS, argArray, argLong, argString, argType, toGuid } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

type Bag = { [key: string]: JsonValue };

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes base64 text to bytes; null when the text is not base64. */
function decodeBase64(text: string): Buffer | null {
  const t = text.trim();
  if (!BASE64_RE.test(t) || t.length % 4 === 1) return null;
  return Buffer.from(t, "base64");
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function bytesFromArray(arr: JsonValue[]): Buffer | null {
  if (arr.some((b) => typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255)) return null;
  return Buffer.from(arr as number[]);
}

/** The 16 bytes of a guid in .NET's Guid.ToByteArray order (first three groups little-endian). */
function guidBytes(guid: string): Buffer {
  const hex = guid.replaceAll("-", "");
  const b = Buffer.from(hex, "hex");
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

function guidFromBytes(bytes: Buffer): string {
  const ordered = Buffer.concat([Buffer.from(bytes.subarray(0, 4)).reverse(), Buffer.from(bytes.subarray(4, 6)).reverse(), Buffer.from(bytes.subarray(6, 8)).reverse(), bytes.subarray(8)]);
  return toGuid(ordered.toString("hex"), "string") ?? "";
}

// ---------------------------------------------------------------- xxhash64

const MASK = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

function rotl(x: bigint, r: number): bigint {
  return ((x << BigInt(r)) | (x >> BigInt(64 - r))) & MASK;
}

function xxRound(acc: bigint, input: bigint): bigint {
  return (rotl((acc + input * P2) & MASK, 31) * P1) & MASK;
}

function xxMerge(acc: bigint, value: bigint): bigint {
  return (((acc ^ xxRound(0n, value)) * P1) + P4) & MASK;
}

/** XXH64 (seed 0) of `bytes`, as an unsigned 64-bit integer. */
export function xxhash64(bytes: Buffer): bigint {
  const len = bytes.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (MASK + 1n - P1) & MASK;
    for (; i + 32 <= len; i += 32) {
      v1 = xxRound(v1, bytes.readBigUInt64LE(i));
      v2 = xxRound(v2, bytes.readBigUInt64LE(i + 8));
      v3 = xxRound(v3, bytes.readBigUInt64LE(i + 16));
      v4 = xxRound(v4, bytes.readBigUInt64LE(i + 24));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) & MASK;
    for (const v of [v1, v2, v3, v4]) h = xxMerge(h, v);
  } else {
    h = P5;
  }
  h = (h + BigInt(len)) & MASK;
  for (; i + 8 <= len; i += 8) h = ((rotl(h ^ xxRound(0n, bytes.readBigUInt64LE(i)), 27) * P1) + P4) & MASK;
  if (i + 4 <= len) {
    h = ((rotl(h ^ ((BigInt(bytes.readUInt32LE(i)) * P1) & MASK), 23) * P2) + P3) & MASK;
    i += 4;
  }
  for (; i < len; i++) h = (rotl(h ^ ((BigInt(bytes[i] ?? 0) * P5) & MASK), 11) * P1) & MASK;
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  return h ^ (h >> 32n);
}

/** The bytes Kusto's hash() feeds to xxhash64: UTF-8 for strings, .NET ticks (little-endian) for datetimes. */
function hashInput(value: Value, ctx: CallContext): Buffer {
  const type = argType(ctx, 0);
  if (type === "string") return Buffer.from(value as string, "utf8");
  if (type === "datetime" && typeof value === "bigint") {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(value + EPOCH_TICKS);
    return b;
  }
  throw new EngineError("SC4020", `hash() of a ${type} value is refused: Microsoft documents hash() outputs only for strings and datetimes, so the bytes Kusto hashes for a ${type} are not known`);
}

function hashFn(name: string): ScalarFunction {
  return {
    name,
    call: (args, ctx) => {
      const value = args[0] ?? null;
      if (value === null) return null;
      const h = xxhash64(hashInput(value, ctx));
      if (args.length < 2) return normalizeLong(BigInt.asIntN(64, h));
      const mod = argLong(args, ctx, 1);
      if (mod === null || mod <= 0) return null;
      return Number(h % BigInt(mod));
    },
  };
}

function digest(name: string, algorithm: string): ScalarFunction {
  return {
    name,
    call: (args, ctx) => {
      const value = args[0] ?? null;
      if (value === null) return null;
      return createHash(algorithm).update(argString(args, ctx, 0), "utf8").digest("hex");
    },
  };
}

// ---------------------------------------------------------------- URLs and paths

const URL_SAFE = /[A-Za-z0-9\-_.!*()]/;

/** HttpUtility.UrlEncode: UTF-8 percent-encoding with lower-case hex, space as `+` (or `%20` for components). */
export function urlEncode(text: string, spaceAsPlus: boolean): string {
  let out = "";
  for (const ch of text) {
    if (URL_SAFE.test(ch)) out += ch;
    else if (ch === " " && spaceAsPlus) out += "+";
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/** HttpUtility.UrlDecode: `+` is a space, `%xx` bytes are UTF-8; malformed escapes stay as they are. */
export function urlDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const hex = text.slice(i + 1, i + 3);
    if (c === "%" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === "+") bytes.push(0x20);
    else bytes.push(...Buffer.from(c, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The `key=value` pairs of a query string, URL-decoded; pairs without `=` are dropped, as Kusto does. */
function queryParameters(query: string): Bag {
  const params: Bag = {};
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    params[urlDecode(pair.slice(0, eq))] = urlDecode(pair.slice(eq + 1));
  }
  return params;
}

const URL_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

function emptyUrl(): Bag {
  return { Scheme: "", Host: "", Port: "", Path: "", Username: "", Password: "", "Query Parameters": {}, Fragment: "" };
}

/**
 * parse_url: the parts of an absolute URL as a bag (all parts "" when the text is not one). Mirrors
 * Kusto's parser as observed: user and password are recognised only as `user:password@`, the port
 * is whatever follows the authority's last colon, and query pairs without `=` are dropped.
 */
export function parseUrl(url: string): Bag {
  const m = URL_RE.exec(url.trim());
  if (!m) return emptyUrl();
  let authority = m[2] ?? "";
  let username = "";
  let password = "";
  const at = authority.lastIndexOf("@");
  const userinfo = at < 0 ? "" : authority.slice(0, at);
  if (userinfo.includes(":")) {
    username = userinfo.slice(0, userinfo.indexOf(":"));
    password = userinfo.slice(userinfo.indexOf(":") + 1);
    authority = authority.slice(at + 1);
  }
  const colon = authority.lastIndexOf(":");
  return {
    Scheme: m[1] ?? "",
    Host: colon < 0 ? authority : authority.slice(0, colon),
    Port: colon < 0 ? "" : authority.slice(colon + 1),
    Path: m[3] ?? "",
    Username: username,
    Password: password,
    "Query Parameters": queryParameters(m[4] ?? ""),
    Fragment: m[5] ?? "",
  };
}

/** parse_path: scheme, root, directory, file name, extension and alternate data stream of a file path. */
export function parsePath(path: string): Bag {
  let rest = path;
  let scheme = "";
  const s = /^([A-Za-z][A-Za-z0-9+.-]+):\/\//.exec(rest);
  if (s) {
    scheme = s[1] ?? "";
    rest = rest.slice(s[0].length);
  }
  const root = /^[A-Za-z]:/.exec(rest)?.[0] ?? "";
  const cut = Math.max(rest.lastIndexOf("/"), rest.lastIndexOf("\\"));
  const directoryPath = cut < 0 ? "" : rest.slice(0, cut);
  let filename = cut < 0 ? rest.slice(root.length) : rest.slice(cut + 1);
  let stream = "";
  const colon = filename.indexOf(":");
  if (colon >= 0) {
    stream = filename.slice(colon + 1);
    filename = filename.slice(0, colon);
  }
  const dot = filename.lastIndexOf(".");
  const dirCut = Math.max(directoryPath.lastIndexOf("/"), directoryPath.lastIndexOf("\\"));
  return {
    Scheme: scheme,
    RootPath: root,
    DirectoryPath: directoryPath,
    DirectoryName: directoryPath.slice(dirCut + 1) === root ? "" : directoryPath.slice(dirCut + 1),
    Filename: filename,
    Extension: dot < 0 ? "" : filename.slice(dot + 1),
    AlternateDataStreamName: stream,
  };
}

/** Decompresses base64 text with `inflate` (gzip or zlib framing) into UTF-8; "" when any step fails. */
function decompress(text: string, inflate: (b: Buffer) => Buffer): string {
  const bytes = decodeBase64(text);
  if (bytes === null) return "";
  try {
    return decodeUtf8(inflate(bytes)) ?? "";
  } catch {
    return "";
  }
}

// ---------------------------------------------------------------- XML

const MAX_XML_BYTES = 1_048_576;
const XML_NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

class XmlError extends Error {}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#\d+|[A-Za-z]+);/g, (whole, name: string) => {
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const known = ENTITIES[name];
    if (known === undefined) throw new XmlError(`unknown entity ${whole}`);
    return known;
  });
}

/** A small XML reader producing parse_xml's JSON: attributes as "@name", text as "#text", repeated children as arrays. */
class XmlReader {
  private pos = 0;
  constructor(private readonly src: string) {}

  document(): Bag {
    this.misc();
    const [name, value] = this.element();
    this.misc();
    if (this.pos < this.src.length) throw new XmlError("content after the root element");
    return { [name]: value };
  }

  /** Skips whitespace, comments, processing instructions and the doctype. */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.src.startsWith("<?", this.pos)) this.skipTo("?>");
      else if (this.src.startsWith("<!--", this.pos)) this.skipTo("-->");
      else if (this.src.startsWith("<!DOCTYPE", this.pos)) this.skipTo(">");
      else return;
    }
  }

  private skipSpace(): void {
    while (/\s/.test(this.src[this.pos] ?? "")) this.pos++;
  }

  private skipTo(end: string): void {
    const at = this.src.indexOf(end, this.pos);
    if (at < 0) throw new XmlError(`missing ${end}`);
    this.pos = at + end.length;
  }

  private name(): string {
    XML_NAME.lastIndex = this.pos;
    const m = XML_NAME.exec(this.src);
    if (!m) throw new XmlError(`name expected at ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  private element(): [string, JsonValue] {
    if (this.src[this.pos] !== "<") throw new XmlError(`element expected at ${this.pos}`);
    this.pos++;
    const name = this.name();
    const node: Bag = {};
    for (;;) {
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === "/" && this.src[this.pos + 1] === ">") {
        this.pos += 2;
        return [name, Object.keys(node).length === 0 ? null : node];
      }
      if (c === ">") {
        this.pos++;
        break;
      }
      const attr = this.name();
      this.skipSpace();
      if (this.src[this.pos] !== "=") throw new XmlError("= expected");
      this.pos++;
      this.skipSpace();
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") throw new XmlError("attribute value expected");
      const end = this.src.indexOf(quote, this.pos + 1);
      if (end < 0) throw new XmlError("unterminated attribute");
      node[`@${attr}`] = decodeEntities(this.src.slice(this.pos + 1, end));
      this.pos = end + 1;
    }
    const texts: string[] = [];
    for (;;) {
      if (this.pos >= this.src.length) throw new XmlError(`missing </${name}>`);
      if (this.src.startsWith("</", this.pos)) {
        this.pos += 2;
        if (this.name() !== name) throw new XmlError(`mismatched </${name}>`);
        this.skipSpace();
        if (this.src[this.pos] !== ">") throw new XmlError("> expected");
        this.pos++;
        break;
      }
      if (this.src.startsWith("<!--", this.pos) || this.src.startsWith("<?", this.pos)) {
        this.skipTo(this.src.startsWith("<!--", this.pos) ? "-->" : "?>");
      } else if (this.src.startsWith("<![CDATA[", this.pos)) {
        const end = this.src.indexOf("]]>", this.pos);
        if (end < 0) throw new XmlError("unterminated CDATA");
        texts.push(this.src.slice(this.pos + 9, end));
        this.pos = end + 3;
      } else if (this.src[this.pos] === "<") {
        const [child, value] = this.element();
        const existing = node[child];
        if (existing === undefined) node[child] = value;
        else if (Array.isArray(existing) && this.repeated.has(existing)) existing.push(value);
        else {
          const list = [existing, value];
          this.repeated.add(list);
          node[child] = list;
        }
      } else {
        const next = this.src.indexOf("<", this.pos);
        const raw = this.src.slice(this.pos, next < 0 ? this.src.length : next);
        this.pos = next < 0 ? this.src.length : next;
        const text = decodeEntities(raw).trim();
        if (text !== "") texts.push(text);
      }
    }
    const keys = Object.keys(node);
    if (keys.length === 0) return [name, texts.length === 0 ? null : texts.length === 1 ? (texts[0] ?? "") : texts];
    if (texts.length > 0) node["#text"] = texts.length === 1 ? (texts[0] ?? "") : texts;
    return [name, node];
  }

  private readonly repeated = new WeakSet<JsonValue[]>();
}

/** parse_xml: XML text as dynamic (see XmlReader); null when the text is not well-formed XML or exceeds 1 MB. */
export function parseXml(text: string): JsonValue {
  if (Buffer.byteLength(text, "utf8") > MAX_XML_BYTES) return null;
  try {
    return new XmlReader(text).document();
  } catch (error) {
    if (error instanceof XmlError || error instanceof RangeError) return null;
    throw error;
  }
}

function stringFn(name: string, f: (s: string) => Value, aliases: string[] = []): ScalarFunction {
  return { name, aliases, call: (args, ctx) => f(argString(args, ctx, 0)) };
}

/** The encoding family. */
export const ENCODING_FUNCTIONS: readonly ScalarFunction[] = [
  stringFn("base64_encode_tostring", (s) => Buffer.from(s, "utf8").toString("base64"), ["base64_encodestring"]),
  stringFn("base64_decode_tostring", (s) => {
    const bytes = decodeBase64(s);
    return bytes === null ? "" : (decodeUtf8(bytes) ?? "");
  }, ["base64_decodestring"]),
  stringFn("base64_decode_toarray", (s) => {
    const bytes = decodeBase64(s);
    return bytes === null ? null : [...bytes];
  }),
  {
    name: "base64_encode_fromarray",
    call: (args) => {
      const arr = argArray(args, 0);
      const bytes = arr === null ? null : bytesFromArray(arr);
      return bytes === null ? "" : bytes.toString("base64");
    },
  },
  {
    name: "base64_encode_fromguid",
    call: (args) => (typeof args[0] === "string" ? guidBytes(args[0]).toString("base64") : ""),
  },
  stringFn("base64_decode_toguid", (s) => {
    const bytes = decodeBase64(s);
    return bytes === null || bytes.length !== 16 ? null : guidFromBytes(bytes);
  }),
  hashFn("hash"),
  hashFn("hash_xxhash64"),
  digest("hash_sha256", "sha256"),
  digest("hash_sha1", "sha1"),
  digest("hash_md5", "md5"),
  stringFn("url_encode", (s) => urlEncode(s, true)),
  stringFn("url_encode_component", (s) => urlEncode(s, false)),
  stringFn("url_decode", urlDecode),
  stringFn("parse_url", parseUrl, ["parseurl"]),
  stringFn("parse_urlquery", (s) => ({ "Query Parameters": queryParameters(s.startsWith("?") ? s.slice(1) : s) }), ["parseurlquery"]),
  stringFn("parse_path", parsePath),
  stringFn("parse_xml", parseXml),
  stringFn("gzip_decompress_from_base64_string", (s) => decompress(s, (b) => gunzipSync(b))),
  stringFn("zlib_decompress_from_base64_string", (s) => decompress(s, (b) => inflateSync(b))),
];
