import type { CodeInfo } from "./codes/code-info.ts";
import { LOAD_CODES } from "./codes/load.ts";
import { CONFIG_CODES } from "./codes/config.ts";
import { SCHEMA_CODES } from "./codes/schema.ts";
import { KQL_CODES } from "./codes/kql.ts";
import { ENGINE_CODES } from "./codes/engine.ts";
import { TESTING_CODES } from "./codes/testing.ts";
import { BUILD_CODES } from "./codes/build.ts";
import { DEPLOY_CODES } from "./codes/deploy.ts";
import { ECOSYSTEM_CODES } from "./codes/ecosystem.ts";
import { INGEST_CODES } from "./codes/ingest.ts";
import { INTERNAL_CODES } from "./codes/internal.ts";
import { AZURE_LIMIT_CODES } from "./codes/azure-limits.ts";
import { BUILD_API_CODES } from "./codes/build-api.ts";
import { HOSTILE_INPUT_CODES } from "./codes/hostile-input.ts";
import { GATE_CODES } from "./codes/gate.ts";
import { TRANSFORM_CODES } from "./codes/transform.ts";
import { REPLAY_CODES } from "./codes/replay.ts";
import { REPLAY_LIVE_CODES } from "./codes/replay-live.ts";

export type { CodeInfo } from "./codes/code-info.ts";

/** The one catalog of diagnostic codes: each code defined once, by range (see codes/<area>.ts). */
export const CODES = {
  ...LOAD_CODES,
  ...CONFIG_CODES,
  ...SCHEMA_CODES,
  ...KQL_CODES,
  ...ENGINE_CODES,
  ...TESTING_CODES,
  ...BUILD_CODES,
  ...DEPLOY_CODES,
  ...ECOSYSTEM_CODES,
  ...INGEST_CODES,
  ...INTERNAL_CODES,
  ...AZURE_LIMIT_CODES,
  ...BUILD_API_CODES,
  ...HOSTILE_INPUT_CODES,
  ...GATE_CODES,
  ...TRANSFORM_CODES,
  ...REPLAY_CODES,
  ...REPLAY_LIVE_CODES,
} as const;

/** Every code the toolkit can report. */
export type DiagnosticCode = keyof typeof CODES;

/** Looks up the catalog entry of a code. */
export function codeInfo(code: DiagnosticCode): CodeInfo {
  return CODES[code];
}
