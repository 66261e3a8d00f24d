/** What a pusher posts to `Custom-OpenAIAuditLogs_CL` (Microsoft's stream declaration). */
export interface OpenAIAuditStreamRow {
  id: unknown;
  type: unknown;
  effective_at: unknown;
  project: unknown;
  actor: unknown;
  EventDetails: unknown;
  friendlyName: string;
}

/**
 * Turns one OpenAI audit-log API object into the stream row Microsoft's DCR expects: the payload stored
 * under the key named like the event type (e.g. `"api_key.created": {…}`) becomes `EventDetails`, and
 * `friendlyName` names the connection (Microsoft's poller does this server-side).
 */
export function prepareOpenAIAuditEvent(event: Record<string, unknown>, friendlyName: string): OpenAIAuditStreamRow {
  const type = event.type;
  const details = typeof type === "string" && Object.hasOwn(event, type) ? event[type] : null;
  return {
    id: event.id ?? null,
    type: type ?? null,
    effective_at: event.effective_at ?? null,
    project: event.project ?? null,
    actor: event.actor ?? null,
    EventDetails: details ?? null,
    friendlyName,
  };
}
