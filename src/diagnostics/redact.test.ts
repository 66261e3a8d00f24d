import { describe, expect, it } from "vitest";
import { REDACTED, Redactor, redactAndTruncate, registerSecret, registeringTokens } from "./redact.ts";

describe("Redactor", () => {
  it.each([
    ["a registered secret", "key=abcd1234efgh5678 in the body", "abcd1234efgh5678"],
    ["its URL-encoded form", "url ?k=s%2Fecret%2Bvalue%3D1", "s%2Fecret%2Bvalue%3D1"],
    ["a bearer header never registered", "invalid credentials: Bearer eyJhbGciOi.J9xyzxyzxy.signature", "eyJhbGciOi"],
    ["a JWT", "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig_sig-sig", "eyJzdWIiOiIxMjM0NTY3ODkwIn0"],
    ["an OpenAI key shape", "key sk-admin-0123456789abcdefghij rejected", "sk-admin-0123456789abcdefghij"],
    ["a SAS signature", "https://x.blob.core.windows.net/f?sv=1&sig=AbC%2Bdef123&se=2", "AbC%2Bdef123"],
    ["a client secret field", '{"client_secret": "Qq8~verysecretvalue"}', "Qq8~verysecretvalue"],
  ])("removes %s", (_label, text, secret) => {
    const redactor = new Redactor();
    redactor.add("abcd1234efgh5678");
    redactor.add("s/ecret+value=1");
    const out = redactor.redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it("redacts Basic credentials but leaves the words of a message", () => {
    expect(new Redactor().redact("Basic dXNlcjpwYXNzd29yZA== was refused")).toBe(`Basic ${REDACTED} was refused`);
    expect(new Redactor().redact("Basic authentication failed")).toBe("Basic authentication failed");
  });

  it("ignores values too short to be secrets (they would garble every message)", () => {
    const redactor = new Redactor();
    redactor.add("abc");
    expect(redactor.redact("abc def")).toBe("abc def");
  });

  it("redacts before it truncates, so no prefix of a secret survives the cut", () => {
    const secret = "K".repeat(20) + "0123456789abcdefghij";
    registerSecret(secret);
    const out = redactAndTruncate(`${"x".repeat(290)}${secret}`, 300);
    expect(out).not.toContain("KKKKKKKKKK");
  });

  it("registers every token a wrapped credential hands out", async () => {
    const credential = registeringTokens({ getToken: async () => ({ token: "tok-registered-by-wrapper-1", expiresOnTimestamp: 0 }) });
    await credential.getToken();
    expect(redactAndTruncate("echo tok-registered-by-wrapper-1", 100)).toBe(`echo ${REDACTED}`);
  });
});
