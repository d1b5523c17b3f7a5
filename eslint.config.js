// Lint rules the whole tree follows. Syntax-only (no type information) so `npm run lint`
// stays a few seconds; `tsc` does the type checking. The import boundaries below are the
// developers' guide in rule form: the domain is plain TypeScript (no React, no React
// Router, nothing from the server), and the browser-facing code never reaches into
// `server/`. tests/unit/lint-boundaries.test.ts proves a violation fails the lint.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// `server/` reached by any relative path (`../server/env`, `../../../server/chat/events`).
const SERVER_BY_PATH = {
  regex: "^(\\.{1,2}/)+server(/|$)",
  message: "app/ code does not import server/: move what both need under app/ (app/utils for configuration, app/domain for shared contracts).",
};

const REACT_AND_ROUTER = [
  { name: "react", message: "The domain is plain TypeScript: no React under app/domain/." },
  { name: "react-dom", message: "The domain is plain TypeScript: no React under app/domain/." },
  { name: "react-router", message: "The domain speaks no HTTP: cookies, redirects and responses live in app/utils or the routes." },
];

export default tseslint.config(
  {
    ignores: ["app/generated/**", "build/**", ".react-router/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a handler's signature, a rest sibling).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      // Prisma's raw rows, test helpers and socket payloads are sometimes `any` on purpose; tsc stays strict.
      "@typescript-eslint/no-explicit-any": "off",
      // `interface AppLoadContext extends PortalLoadContext {}` is how React Router's context type is merged.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    files: ["**/*.tsx", "app/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      // Markup as a string only from the escaping `markup` tag (app/components/markup.ts, decision 0008).
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "JSXAttribute[name.name='dangerouslySetInnerHTML'] Property[key.name='__html']:not([value.type='MemberExpression'][value.property.name='html'])",
          message: "dangerouslySetInnerHTML takes `Markup.html` from the markup tag (app/components/markup.ts), which escapes every value.",
        },
      ],
    },
  },
  // Boundaries. ESLint keeps only the last matching `no-restricted-imports`, so each block
  // states the full list for its files, narrowest last.
  {
    files: ["app/**/*.{ts,tsx,js,mjs}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [SERVER_BY_PATH] }],
    },
  },
  {
    files: ["app/routes/**/*.{ts,tsx}", "app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { ...SERVER_BY_PATH, message: "Routes and components do not import server/: the route calls the domain; shared contracts live under app/." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/domain/**/*.{ts,tsx,js,mjs}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: REACT_AND_ROUTER,
          patterns: [
            { group: ["react/*", "react-dom/*", "react-router/*", "@react-router/*"], message: "The domain is free of React and React Router." },
            { ...SERVER_BY_PATH, message: "The domain does not import server/: it takes parsed, typed input from its callers." },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
