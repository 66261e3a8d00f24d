import { redact, redactAndTruncate } from "../diagnostics/redact.ts";

/** An ARM call that failed, with ARM's error code and message turned into one clear sentence. */
export class ArmError extends Error {
  override name = "ArmError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly armMessage: string,
    readonly method: string,
    readonly resourceId: string,
  ) {
    super(`${method} ${resourceId} failed: HTTP ${status} ${code}: ${armMessage}`);
  }
}

/** Reads ARM's error envelope (`{error:{code,message,details[]}}`, also the older `{code,message}`) from a response body. */
export function armErrorOf(status: number, bodyText: string, method: string, resourceId: string): ArmError {
  let code = `Http${status}`;
  let message = redactAndTruncate(bodyText.trim(), 500) || "no error body";
  try {
    const parsed = JSON.parse(bodyText) as Record<string, unknown>;
    const error = (parsed["error"] ?? parsed) as Record<string, unknown>;
    if (typeof error["code"] === "string") code = error["code"];
    if (typeof error["message"] === "string") message = redact(error["message"]);
    const details = Array.isArray(error["details"]) ? (error["details"] as Record<string, unknown>[]) : [];
    const extra = details.map((d) => (typeof d?.["message"] === "string" ? redact(d["message"]) : "")).filter(Boolean);
    if (extra.length > 0) message = `${message} (${extra.join("; ")})`;
  } catch {
    // not JSON: keep the text
  }
  return new ArmError(status, code, message, method, resourceId);
}
