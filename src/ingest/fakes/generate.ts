import type { FakeLogFile } from "./compliance-platform.ts";

/** One AUDIT_LOG-shaped event (the documented envelope), number `n` overall and `e` of `perFile` in a file ending at `endMs`. */
function auditEvent(input: { eventType: string; prefix: string; n: number; e: number; perFile: number; endMs: number }): string {
  const { n, e, perFile, endMs } = input;
  return JSON.stringify({
    event_id: `${input.prefix}-${String(n).padStart(8, "0")}`,
    type: input.eventType,
    timestamp: new Date(endMs - 60_000 + Math.floor((e * 60_000) / Math.max(1, perFile))).toISOString(),
    principal: { id: "be545252-ad04-4cfa-9ca5-deca58416151", type: "CHATGPT_WORKSPACE" },
    actor: { type: "ACCOUNT_USER", user_id: `user-${n % 97}`, user_email: `user${n % 97}@example.com` },
    action: "WORKSPACE_TOGGLE_FEATURE",
    action_result: "SUCCESS",
    action_privilege: "ADMIN",
    request_metadata: {
      client_ip: "89.160.20.112",
      client_ip_details: { country: "SE", city: "Linkoping", asn: "AS29518", latitude: "58.4167", longitude: "15.6167" },
      client_user_agent: "Mozilla/5.0",
    },
    action_data: { feature: "gpt_sharing", value: n % 2 === 0 },
    undeclared_key: "dropped before upload",
  });
}

/** Builds AUDIT_LOG-shaped events (the documented envelope) spread over log files, for fakes and benchmarks. */
export function generateLogFiles(input: {
  eventType: string;
  files: number;
  eventsPerFile: number;
  /** End time of the first file; each next file ends one minute later. */
  start: string;
  idPrefix?: string;
}): FakeLogFile[] {
  const files: FakeLogFile[] = [];
  const startMs = Date.parse(input.start);
  const prefix = input.idPrefix ?? input.eventType.toLowerCase();
  for (let f = 0; f < input.files; f++) {
    const endMs = startMs + f * 60_000;
    const lines: string[] = [];
    for (let e = 0; e < input.eventsPerFile; e++) {
      lines.push(auditEvent({ eventType: input.eventType, prefix, n: f * input.eventsPerFile + e, e, perFile: input.eventsPerFile, endMs }));
    }
    files.push({ id: `file-${prefix}-${String(f).padStart(4, "0")}`, eventType: input.eventType, endTime: new Date(endMs).toISOString(), lines });
  }
  return files;
}

/**
 * The body of one large log file of `events` events, produced chunk by chunk (about 64 KB each) so that
 * serving it holds only one chunk: for benchmarks of files too large to keep as lines.
 */
export function* generateLogBody(input: { eventType: string; events: number; end: string; idPrefix?: string }): Generator<Uint8Array> {
  const endMs = Date.parse(input.end);
  const prefix = input.idPrefix ?? input.eventType.toLowerCase();
  let pending: string[] = [];
  let size = 0;
  for (let n = 0; n < input.events; n++) {
    const line = `${auditEvent({ eventType: input.eventType, prefix, n, e: n, perFile: input.events, endMs })}\n`;
    pending.push(line);
    size += line.length;
    if (size >= 65_536) {
      yield Buffer.from(pending.join(""), "utf8");
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(""), "utf8");
}
