/**
 * The one redaction layer: every log line, diagnostic, error, report and state write of deploy and the collectors
 * passes through `redact` before it is printed, cut short or written. It knows every secret the process holds
 * (registered as they are read: API keys, access tokens, client secrets from the environment) and the common
 * shapes of tokens (bearer headers, JWTs, OpenAI keys, SAS signatures, `key=value` secrets) it was never told about.
 */

/** What a removed secret is replaced with. */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are not registered: replacing a short common string would garble every message. */
export const MIN_SECRET_LENGTH = 8;

/** Environment variables whose values are secrets wherever they are set. */
export const SECRET_ENV_VARS = [
  "COMPLIANCE_API_KEY",
  "OPENAI_ADMIN_KEY",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_PASSWORD",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
] as const;

/** Token shapes redacted even when the process was never told the value (every pattern is linear: no nested quantifiers). */
const TOKEN_SHAPES: readonly [RegExp, string][] = [
  [/\b(Bearer)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1 ${REDACTED}`],
  // Basic credentials are base64 of user:password, which has a digit or padding: "Basic authentication" stays readable.
  [/\b(Basic)\s+(?=[A-Za-z+/]{0,200}[0-9=])[A-Za-z0-9+/]{8,}=*/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/([?&](?:sig|code|token|access_token)=)[^&\s"'<>]+/gi, `$1${REDACTED}`],
  [/\b(client_secret|clientSecret|password|api[_-]?key|access_token|refresh_token|AccountKey|SharedAccessKey)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]{4,}/gi, `$1$2${REDACTED}`],
];

/** A set of known secrets plus the token shapes; `redact` removes both from any text. */
export class Redactor {
  readonly #secrets = new Set<string>();
  /** The secrets longest first (a secret inside a longer one must not break it up), sorted when one is added. */
  #longestFirst: string[] = [];

  /** Registers a secret the process holds (its URL-encoded and JSON-escaped forms too); short values are ignored. */
  add(secret: string | undefined): void {
    const value = secret?.trim();
    if (!value || value.length < MIN_SECRET_LENGTH) return;
    for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) this.#secrets.add(form);
    this.#longestFirst = [...this.#secrets].sort((a, b) => b.length - a.length);
  }

  /** Registers the values of the secret environment variables that are set. */
  addFromEnvironment(env: NodeJS.ProcessEnv): void {
    for (const name of SECRET_ENV_VARS) this.add(env[name]);
  }

  /** The text with every registered secret (longest first) and every token shape replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#longestFirst) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const [shape, replacement] of TOKEN_SHAPES) out = out.replace(shape, replacement);
    return out;
  }
}

/** The process-wide redactor every output of deploy and the collectors goes through. */
export const processRedactor = new Redactor();

/** Registers a secret with the process-wide redactor. */
export function registerSecret(secret: string | undefined): void {
  processRedactor.add(secret);
}

/** Redacts `text` with the process-wide redactor. */
export function redact(text: string): string {
  return processRedactor.redact(text);
}

/** Redacts, then cuts to `max` characters (with an ellipsis): never the other way round, so no part of a secret survives the cut. */
export function redactAndTruncate(text: string, max: number): string {
  const clean = redact(text);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** A write function whose every text is redacted first. */
export function redactingWrite(write: (text: string) => unknown): (text: string) => void {
  return (text) => void write(redact(text));
}

/** Anything with `getToken` (an Azure TokenCredential) whose answer carries a `token`. */
export interface TokenSource {
  getToken(...args: never[]): Promise<{ token: string } | null>;
}

/** The credential, wrapped so that every access token it hands out is registered as a secret before anyone sees it. */
export function registeringTokens<T extends TokenSource>(credential: T): T {
  const wrapped = Object.create(credential) as T;
  const getToken = async (...args: never[]) => {
    const token = await credential.getToken(...args);
    registerSecret(token?.token);
    return token;
  };
  Object.defineProperty(wrapped, "getToken", { value: getToken });
  return wrapped;
}
