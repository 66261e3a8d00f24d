import { createHash } from "node:crypto";

/** The RFC 4122 namespace of the toolkit's version-5 GUIDs (workbook names); the Terraform target writes the same names with uuidv5(). */
export const NAMESPACE = "5f1d3c2a-8b7e-4e0a-9c6d-2a4b6e8f0c13";

/** A deterministic version-5 GUID of `name` (same input, same GUID: idempotent workbook resource names). */
export function deterministicGuid(name: string): string {
  const namespace = Buffer.from(NAMESPACE.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(namespace).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Short SHA-256 of a text, used as a content fingerprint where the API does not return what was sent. */
export function contentHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}
