export { makeDiagnostic, hasFailures, sortDiagnostics, causeText, messageWithCause, MAX_FINDINGS_PER_CODE_AND_FILE } from "./diagnostic.ts";
export type { Diagnostic, Severity, Position, Location } from "./diagnostic.ts";
export { CODES, codeInfo } from "./codes.ts";
export type { DiagnosticCode, CodeInfo } from "./codes.ts";
export { InternalError, ExitError, assertNever } from "./errors.ts";
