import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";

/** Largest content file accepted, in bytes (workbook sources are the biggest legitimate files). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The text of a file, or the one load finding explaining why it has none. */
export type DecodeResult = { text: string; diagnostic?: undefined } | { text?: undefined; diagnostic: Diagnostic };

/** Turns raw bytes into text: rejects oversized, binary, UTF-16 and invalid UTF-8 input with a positioned finding. */
export function decodeContent(bytes: Uint8Array, file: string, maxBytes = MAX_FILE_BYTES): DecodeResult {
  if (bytes.length > maxBytes) return { diagnostic: oversizeDiagnostic(file, bytes.length, maxBytes) };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { diagnostic: makeDiagnostic("SC1005", { file }, "file is UTF-16 encoded (byte order mark found); content files must be UTF-8") };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const message = `binary content: NUL byte at byte offset ${nul}`;
    return { diagnostic: makeDiagnostic("SC1004", { file, start: positionOfByte(bytes, nul) }, message) };
  }
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== undefined) {
    const byte = (bytes[invalid] ?? 0).toString(16).padStart(2, "0");
    const message = `invalid UTF-8 byte 0x${byte} at byte offset ${invalid}`;
    return { diagnostic: makeDiagnostic("SC1005", { file, start: positionOfByte(bytes, invalid) }, message) };
  }
  const text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes);
  const control = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/u.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(2, "0");
    const start = positionOfChar(text, control.index);
    return { diagnostic: makeDiagnostic("SC1004", { file, start }, `binary content: control character U+00${code.toUpperCase()}`) };
  }
  return { text };
}

/** The finding for a file of `size` bytes over the `maxBytes` limit. */
export function oversizeDiagnostic(file: string, size: number, maxBytes: number): Diagnostic {
  const message = `file is ${formatBytes(size)}, larger than the ${formatBytes(maxBytes)} limit for content files`;
  return makeDiagnostic("SC1003", { file }, message);
}

/** Byte offset of the first byte that breaks UTF-8 (WHATWG rules: no overlongs, surrogates or > U+10FFFF), or undefined. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(b);
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1] as number;
    const [low, high] = secondByteRange(b);
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const c = bytes[i + k] as number;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return undefined;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/** 1-based line and column (in characters) of a byte offset whose preceding bytes are valid UTF-8. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; col: number } {
  const before = new TextDecoder("utf-8").decode(bytes.subarray(0, offset));
  return positionOfChar(before, before.length);
}

/** 1-based line and column of a character index. */
function positionOfChar(text: string, index: number): { line: number; col: number } {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, col: index - lineStart + 1 };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
