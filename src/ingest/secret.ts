import { readFile } from "node:fs/promises";
import { REDACTED, redact, registerSecret } from "../diagnostics/redact.ts";

/** The environment variable the ChatGPT Compliance API key is read from. */
export const COMPLIANCE_KEY_ENV = "COMPLIANCE_API_KEY";

/** The environment variable the OpenAI Admin API key is read from. */
export const OPENAI_ADMIN_KEY_ENV = "OPENAI_ADMIN_KEY";

/** A secret that never prints itself: String(), JSON and util.inspect all show "[redacted]". */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    registerSecret(value);
  }
  /** The raw value, for the one place that sends it (an Authorization header). */
  reveal(): string {
    return this.#value;
  }
  /** Replaces every occurrence of the secret (and any token shape) in `text`, for messages built from server answers. */
  scrub(text: string): string {
    return redact(this.#value === "" ? text : text.split(this.#value).join(REDACTED));
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return REDACTED;
  }
}

/** Where the key came from, for messages (never the key itself). */
export type SecretSource = { kind: "env"; name: string } | { kind: "file"; path: string };

/**
 * Reads an API key from a file (first line, trimmed) when `file` is given, else from the environment
 * variable `envName`. Returns undefined when neither holds a key.
 */
export async function readApiKey(
  file: string | undefined,
  envName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ secret: Secret; source: SecretSource } | undefined> {
  if (file !== undefined) {
    const text = await readFile(file, "utf8");
    const value = (text.split(/\r?\n/)[0] ?? "").trim();
    return value === "" ? undefined : { secret: new Secret(value), source: { kind: "file", path: file } };
  }
  const value = env[envName]?.trim();
  return value ? { secret: new Secret(value), source: { kind: "env", name: envName } } : undefined;
}
