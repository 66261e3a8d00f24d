import { randomUUID } from "node:crypto";

// A JSON string token or a number token; strings are matched whole so digits inside them are left alone.
const TOKEN_RE = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * JSON.parse that keeps every digit of integers beyond ±(2^53 − 1): such a number becomes a bigint
 * (so a fixture's long column gets the exact value); every other value parses as JSON.parse gives it.
 * Throws JSON.parse's SyntaxError for invalid JSON.
 */
export function parseJsonExact(text: string): unknown {
  let nonce: string | undefined;
  const marked = text.replace(TOKEN_RE, (token) => {
    if (token.startsWith('"') || /[.eE]/.test(token) || Number.isSafeInteger(Number(token))) return token;
    nonce ??= randomUUID();
    return `"${nonce}:${token}"`;
  });
  if (nonce === undefined) return JSON.parse(text);
  const prefix = `${nonce}:`;
  return JSON.parse(marked, (_key, value: unknown) => (typeof value === "string" && value.startsWith(prefix) ? BigInt(value.slice(prefix.length)) : value));
}
