import type { FakeLogFile } from "./compliance-platform.ts";

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
      const n = f * input.eventsPerFile + e;
      lines.push(
        JSON.stringify({
          event_id: `${prefix}-${String(n).padStart(8, "0")}`,
          type: input.eventType,
          timestamp: new Date(endMs - 60_000 + Math.floor((e * 60_000) / Math.max(1, input.eventsPerFile))).toISOString(),
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
        }),
      );
    }
    files.push({ id: `file-${prefix}-${String(f).padStart(4, "0")}`, eventType: input.eventType, endTime: new Date(endMs).toISOString(), lines });
  }
  return files;
}
