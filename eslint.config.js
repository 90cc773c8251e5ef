// ESLint 9 flat config (decision 015): typescript-eslint, React, React hooks and jsx-a11y. Formatting is
// Prettier's business (npm run format), so no stylistic rules here.
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      "public/build/",
      "bench/trivial/build/",
      "bench/trivial/public/",
      "node_modules/",
      "test-results/",
      "reports/",
      ".stryker-tmp/",
      "data/",
      "backups/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2022, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Refusing control characters in input is deliberate (names, CSV cells, redirect targets).
      "no-control-regex": "off",
    },
  },
  {
    // Frozen migrations take Kysely<any> by design (they must not follow today's schema types), and the
    // database driver wraps an untyped one.
    files: ["db/migrations/**", "db/resilient-driver.ts", "db/portable.ts", "test/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The page script and the service worker run in the browser (decision 025); a failed storage call is
    // deliberately ignored there (private mode, full quota).
    files: ["app/reach/browser/**/*.js"],
    languageOptions: { globals: { ...globals.browser, ...globals.serviceworker } },
    rules: { "no-empty": ["error", { allowEmptyCatch: true }] },
  },
  {
    files: ["app/**/*.tsx"],
    ...react.configs.flat.recommended,
    ...jsxA11y.flatConfigs.recommended,
    plugins: { react, "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    languageOptions: { globals: { ...globals.browser, ...globals.node }, parserOptions: { ecmaFeatures: { jsx: true } } },
    settings: { react: { version: "18.3" } },
    rules: {
      ...react.configs.flat.recommended.rules,
      ...react.configs.flat["jsx-runtime"].rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      ...reactHooks.configs.recommended.rules,
    },
  },
);
