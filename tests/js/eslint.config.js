// ESLint for the site's browser code: run from the repository's root (scripts/test.sh),
//   tests/js/node_modules/.bin/eslint --config tests/js/eslint.config.js
// Patterns are relative to the root. Material's former inline scripts (material/) are Material's.
import js from "@eslint/js";
import globals from "globals";

const ASSETS = "site_templates/theme/assets/sopkb";

// Browser globals that read like local variables: a missing declaration must not become one of these.
const CONFUSING = ["event", "name", "status", "length", "parent", "top", "self", "origin", "close", "open", "find", "print", "stop"];

// What a pure module may use: the language, and the encoders, base64 and timers both browsers and Node have.
const PURE_GLOBALS = { TextEncoder: "readonly", TextDecoder: "readonly", atob: "readonly", btoa: "readonly" };

const RULES = {
  ...js.configs.recommended.rules,
  eqeqeq: "error",
  "no-var": "error",
  "prefer-const": "error",
  "no-unused-vars": ["error", { args: "after-used", caughtErrors: "all" }],
  "no-eval": "error",
  "no-implied-eval": "error",
  "no-new-func": "error",
  "no-script-url": "error",
};

export default [
  { ignores: [`${ASSETS}/material/**`, "tests/js/node_modules/**"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  {
    files: [`${ASSETS}/**/*.js`],
    ignores: [`${ASSETS}/pure/**`],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
    rules: { ...RULES, "no-restricted-globals": ["error", ...CONFUSING] },
  },
  {
    // Node imports these as they are (tests/js): no DOM, nothing from outside pure/.
    files: [`${ASSETS}/pure/**/*.js`],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: PURE_GLOBALS },
    rules: { ...RULES, "no-restricted-imports": ["error", { patterns: ["../*"] }] },
  },
  {
    files: ["tests/js/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
    rules: RULES,
  },
];
