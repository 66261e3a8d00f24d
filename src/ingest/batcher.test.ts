import { describe, expect, it } from "vitest";
import { Batch, FIELD_LIMIT_CHARS, arrayBytes, fitRow, rowBytes } from "./batcher.ts";

describe("batches", () => {
  it("counts the JSON array exactly as it is sent", () => {
    const rows = [{ a: 1 }, { b: "é" }];
    const batch = new Batch<number>(1_000);
    for (const [i, r] of rows.entries()) batch.add(r, rowBytes(r), i);
    expect(batch.bytes).toBe(Buffer.byteLength(JSON.stringify(rows)));
    expect(arrayBytes(rows.map(rowBytes))).toBe(batch.bytes);
    expect(arrayBytes([])).toBe(2);
  });

  it("refuses a row that would pass the limit", () => {
    const batch = new Batch<number>(20);
    const row = { k: "12345" };
    expect(batch.fits(rowBytes(row))).toBe(true);
    batch.add(row, rowBytes(row), 0);
    expect(batch.bytes).toBe(15);
    expect(batch.fits(4)).toBe(true);
    expect(batch.fits(5)).toBe(false);
  });

  it("leaves rows that fit alone and cuts long strings of rows that do not", () => {
    const small = { event_id: "a", v: "x" };
    expect(fitRow(small, 100)).toEqual({ row: small, shrunk: false });
    const big = { event_id: "b", nested: { text: "y".repeat(200_000) }, list: ["z".repeat(70_000)] };
    const fitted = fitRow(big, 150_000);
    expect(fitted?.shrunk).toBe(true);
    expect((fitted?.row.nested as { text: string }).text).toHaveLength(FIELD_LIMIT_CHARS);
    expect((fitted?.row.list as string[])[0]).toHaveLength(FIELD_LIMIT_CHARS);
    expect(fitRow({ many: Array.from({ length: 30 }, () => "w".repeat(60_000)) }, 1_000_000)).toBeUndefined();
  });
});
