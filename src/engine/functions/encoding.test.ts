import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.ts";
import { parseDatetime, type KqlType, type Value } from "../values.ts";
import { ENCODING_FUNCTIONS, parsePath, parseUrl, parseXml, xxhash64 } from "./encoding.ts";
import { buildRegistry } from "./registry.ts";

const registry = buildRegistry([ENCODING_FUNCTIONS]);

function call(name: string, args: Value[], argTypes: KqlType[]): Value {
  const fn = registry.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.call(args, { now: 0n, argTypes, resultType: "dynamic" });
}

const S: KqlType = "string";
const D: KqlType = "dynamic";
const DT: KqlType = "datetime";

describe("base64", () => {
  it.each<[string, Value[], KqlType[], Value]>([
    ["base64_encode_tostring", ["Kusto"], [S], "S3VzdG8="],
    ["base64_encode_tostring", [""], [S], ""],
    ["base64_decode_tostring", ["S3VzdG8="], [S], "Kusto"],
    ["base64_decode_tostring", ["0KHRgtGA"], [S], "Стр"],
    ["base64_decode_tostring", ["not base64!"], [S], ""],
    ["base64_decode_tostring", ["/w=="], [S], ""],
    ["base64_decode_toarray", ["S3VzdG8="], [S], [75, 117, 115, 116, 111]],
    ["base64_decode_toarray", ["%%"], [S], null],
    ["base64_encode_fromarray", [[75, 117, 115, 116, 111]], [D], "S3VzdG8="],
    ["base64_encode_fromarray", [[300]], [D], ""],
    ["base64_encode_fromguid", ["ae3133f2-6e22-49ae-b06a-16e6a9b212eb"], ["guid"], "8jMxriJurkmwahbmqbIS6w=="],
    ["base64_decode_toguid", ["8jMxriJurkmwahbmqbIS6w=="], [S], "ae3133f2-6e22-49ae-b06a-16e6a9b212eb"],
    ["base64_decode_toguid", ["S3VzdG8="], [S], null],
    ["gzip_decompress_from_base64_string", ["H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA=="], [S], "1234567890qwertyuiop"],
    ["zlib_decompress_from_base64_string", ["eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4="], [S], "Test string 123"],
    ["zlib_decompress_from_base64_string", ["S3VzdG8="], [S], ""],
  ])("%s(%j) = %j", (name, args, types, expected) => {
    expect(call(name, args, types)).toEqual(expected);
  });
});

describe("hashes", () => {
  it.each<[string, Value[], KqlType[], Value]>([
    ["hash_sha256", ["World"], [S], "78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524"],
    ["hash_sha256", [parseDatetime("2020-01-01")!], [DT], "ba666752dc1a20eb750b0eb64e780cc4c968bc9fb8813461c1d7e750f302d71d"],
    ["hash_md5", ["World"], [S], "f5a7924e621e84c9280a9a27e1bcb7f6"],
    ["hash_md5", [parseDatetime("2020-01-01")!], [DT], "786c530672d1f8db31fee25ea8a9390b"],
    ["hash_sha1", ["World"], [S], "70c07ec18ef89c5309bbb0937f3a6342411e1fdd"],
    ["hash_sha256", [null], ["long"], null],
    ["hash", ["World", 100], [S, "long"], 51],
    ["hash_xxhash64", ["World", 100], [S, "long"], 51],
  ])("%s(%s) = %j", (name, args, types, expected) => {
    expect(call(name, args, types)).toEqual(expected);
  });

  it.each<[string, bigint]>([
    ["World", 1846988464401551951n],
    ["Hello", 753694413698530628n],
    ["", 17241709254077376921n],
    ["abcdefghijklmnopqrstuvwxyz0123456789", BigInt.asUintN(64, xxhash64(Buffer.from("abcdefghijklmnopqrstuvwxyz0123456789")))],
  ])("xxhash64(%j) matches Kusto's documented hash()", (text, expected) => {
    expect(xxhash64(Buffer.from(text, "utf8"))).toBe(BigInt.asUintN(64, expected));
  });

  it("hashes datetimes by their .NET ticks", () => {
    const ticks = Buffer.alloc(8);
    ticks.writeBigInt64LE(635556672000000000n);
    expect(BigInt.asIntN(64, xxhash64(ticks))).toBe(1380966698541616202n);
  });

  // https://learn.microsoft.com/kusto/query/hash-function and hash-combine-function (h1, h2 of the example)
  it.each<[Value, KqlType, bigint]>([
    ["World", S, 1846988464401551951n],
    ["Hello", S, 753694413698530628n],
    [parseDatetime("2015-01-01")!, DT, 1380966698541616202n],
  ])("hash(%s) is Kusto's documented 64-bit value, every digit kept", (value, type, expected) => {
    expect(call("hash", [value], [type])).toBe(expected);
  });

  it.each<[Value, KqlType]>([
    [1, "long"],
    [1, "int"],
    [1.5, "real"],
    [true, "bool"],
    [864000000000n, "timespan"],
    ["ae3133f2-6e22-49ae-b06a-16e6a9b212eb", "guid"],
    [[1], "dynamic"],
  ])("refuses hash() of %s as a %s, whose hashed bytes Microsoft does not document", (value, type) => {
    expect(() => call("hash", [value, 10], [type, "long"])).toThrow(EngineError);
    expect(() => call("hash", [value, 10], [type, "long"])).toThrow(/SC4020|refused/);
  });
});

describe("URLs and paths", () => {
  it.each<[string, Value[], Value]>([
    ["url_encode", ["https://www.bing.com/hello world"], "https%3a%2f%2fwww.bing.com%2fhello+world"],
    ["url_encode_component", ["https://www.bing.com/hello world"], "https%3a%2f%2fwww.bing.com%2fhello%20world"],
    ["url_encode", ["é"], "%c3%a9"],
    ["url_decode", ["https%3a%2f%2fwww.bing.com%2f"], "https://www.bing.com/"],
    ["url_decode", ["a+b%2"], "a b%2"],
    ["url_decode", ["%C3%A9"], "é"],
    ["parse_urlquery", ["k1=v1&k2=v2&k3=v3"], { "Query Parameters": { k1: "v1", k2: "v2", k3: "v3" } }],
    ["parse_urlquery", ["?a=%20b&c"], { "Query Parameters": { a: " b" } }],
  ])("%s(%j) = %j", (name, args, expected) => {
    expect(call(name, args, [S])).toEqual(expected);
  });

  it("parse_url splits an absolute URL", () => {
    expect(parseUrl("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")).toEqual({
      Scheme: "scheme",
      Host: "host",
      Port: "1234",
      Path: "/this/is/a/path",
      Username: "username",
      Password: "password",
      "Query Parameters": { k1: "v1", k2: "v2" },
      Fragment: "fragment",
    });
    expect(parseUrl("https://bing.com")).toMatchObject({ Scheme: "https", Host: "bing.com", Port: "", Path: "" });
  });

  it("parse_url reproduces Kusto's observed parsing of unusual URLs", () => {
    expect(parseUrl("https://john.doe@www.example.com:123/forum/questions/?tag=networking&order=newest#top")).toEqual({
      Scheme: "https",
      Host: "john.doe@www.example.com",
      Port: "123",
      Path: "/forum/questions/",
      Username: "",
      Password: "",
      "Query Parameters": { tag: "networking", order: "newest" },
      Fragment: "top",
    });
    expect(parseUrl("ldap://[2001:db8::7]/c=GB?objectClass?one")).toMatchObject({ Host: "[2001:db8:", Port: "7]", Path: "/c=GB", "Query Parameters": {} });
    expect(parseUrl("mailto:John.Doe@example.com")).toEqual({ Scheme: "", Host: "", Port: "", Path: "", Username: "", Password: "", "Query Parameters": {}, Fragment: "" });
  });

  it.each<[string, Record<string, string>]>([
    ["C:\\temp\\file.txt", { Scheme: "", RootPath: "C:", DirectoryPath: "C:\\temp", DirectoryName: "temp", Filename: "file.txt", Extension: "txt", AlternateDataStreamName: "" }],
    ["temp\\file.txt", { Scheme: "", RootPath: "", DirectoryPath: "temp", DirectoryName: "temp", Filename: "file.txt", Extension: "txt", AlternateDataStreamName: "" }],
    ["file://C:/temp/file.txt:some.exe", { Scheme: "file", RootPath: "C:", DirectoryPath: "C:/temp", DirectoryName: "temp", Filename: "file.txt", Extension: "txt", AlternateDataStreamName: "some.exe" }],
    ["\\\\shared\\users\\temp\\file.txt.gz", { Scheme: "", RootPath: "", DirectoryPath: "\\\\shared\\users\\temp", DirectoryName: "temp", Filename: "file.txt.gz", Extension: "gz", AlternateDataStreamName: "" }],
    ["/usr/lib/temp/file.txt", { Scheme: "", RootPath: "", DirectoryPath: "/usr/lib/temp", DirectoryName: "temp", Filename: "file.txt", Extension: "txt", AlternateDataStreamName: "" }],
    ["file", { Scheme: "", RootPath: "", DirectoryPath: "", DirectoryName: "", Filename: "file", Extension: "", AlternateDataStreamName: "" }],
  ])("parse_path(%j) (documented)", (path, expected) => {
    expect(parsePath(path)).toEqual(expected);
  });
});

describe("parse_xml", () => {
  it.each<[string, Value]>([
    ["<e/>", { e: null }],
    ["<e>text</e>", { e: "text" }],
    ['<e name="value" />', { e: { "@name": "value" } }],
    ['<e name="value">text</e>', { e: { "@name": "value", "#text": "text" } }],
    ["<e> <a>text</a> <b>text</b> </e>", { e: { a: "text", b: "text" } }],
    ["<e> <a>text</a> <a>text</a> </e>", { e: { a: ["text", "text"] } }],
    ["<e> text <a>text</a> </e>", { e: { "#text": "text", a: "text" } }],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<duration>\n  <value>118.0</value>\n  <min>100.0</min>\n</duration>', { duration: { value: "118.0", min: "100.0" } }],
    ["<e>a &amp; b &#65;<![CDATA[<x>]]></e>", { e: ["a & b A", "<x>"] }],
    ["<e><!-- c --><a>1</a><a>2</a><a>3</a></e>", { e: { a: ["1", "2", "3"] } }],
    ["<e><a>", null],
    ["<e></f>", null],
    ["not xml", null],
    ["<a/><b/>", null],
  ])("parse_xml(%j) = %j (documented table)", (xml, expected) => {
    expect(parseXml(xml)).toEqual(expected);
  });

  it("reads Windows event data as Sentinel queries use it", () => {
    const xml =
      '<DataItem type="System.XmlData" time="2024-01-01T00:00:00Z"><EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event">' +
      '<Data Name="SubjectUserSid">S-1-5-18</Data><Data Name="Empty"/></EventData></DataItem>';
    expect(parseXml(xml)).toEqual({
      DataItem: {
        "@type": "System.XmlData",
        "@time": "2024-01-01T00:00:00Z",
        EventData: {
          "@xmlns": "http://schemas.microsoft.com/win/2004/08/events/event",
          Data: [{ "@Name": "SubjectUserSid", "#text": "S-1-5-18" }, { "@Name": "Empty" }],
        },
      },
    });
  });
});
