// Lint configuration (flat config): ESLint's and typescript-eslint's recommended rules over the sources,
// scripts and tests; the compiled dist/ and generated folders are not linted.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** The Node.js globals the plain JavaScript files (bin/, scripts/*.mjs, worker shims) use. */
const nodeGlobals = Object.fromEntries(["process", "console", "URL", "performance", "Buffer", "setTimeout", "clearTimeout"].map((name) => [name, "readonly"]));

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "out/", ".cache/", "coverage/", "src/content/generated/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["**/*.js", "**/*.mjs"], languageOptions: { globals: nodeGlobals } },
  // CommonJS scripts (the warm-start snapshot builder may require only Node's own modules)
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs", globals: { ...nodeGlobals, require: "readonly" } }, rules: { "@typescript-eslint/no-require-imports": "off" } },
  {
    rules: {
      // decoders, escapers and report writers match control characters on purpose (NUL, C0 controls)
      "no-control-regex": "off",
      // a leading underscore marks a value deliberately unused (an omitted key, a loop counter)
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
);
