// CommonJS so that a test can load it synchronously (test/eslint-config.test.ts).
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");

/** Imports run one way: a folder imports only from the folders before it. */
const LAYERS = ["components", "stacks", "synth", "policy", "tools"];
const ORDER = LAYERS.join(" ← ");

/** For each layer and folder depth, the relative imports that would reach a later layer. */
const layerBlocks = LAYERS.slice(0, -1).flatMap((layer, i) => {
  const later = LAYERS.slice(i + 1);
  return [1, 2, 3, 4].map((depth) => ({
    files: [`${layer}/${"*/".repeat(depth - 1)}*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^(\\.\\./){${depth}}(${later.join("|")})(/|$)`,
              message: `${layer}/ may not import from ${later.join("/, ")}/: imports run ${ORDER}.`,
            },
          ],
        },
      ],
    },
  }));
});

module.exports = tseslint.config(
  {
    ignores: [
      "dist/**",
      "out/**",
      "node_modules/**",
      "coverage/**",
      "docs/api/**",
      "examples/**/node_modules/**",
      "examples/**/dist/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-new": "off",
    },
  },
  ...layerBlocks,
  {
    // A file over 350 lines holds more than one concept: split it.
    files: LAYERS.map((layer) => `${layer}/**/*.ts`),
    rules: { "max-lines": ["error", { max: 350 }] },
  },
  {
    // The library and the stacks say what they mean to the type checker: no `!`, no `as`.
    files: ["components/**/*.ts", "stacks/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/consistent-type-assertions": ["error", { assertionStyle: "never" }],
    },
  },
  {
    // The realistic mocks ship to consumers (eks-blueprint/testing) and stand alone.
    files: ["synth/mocks.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^\\.", message: "synth/mocks.ts imports nothing of ours." }] },
      ],
    },
  },
  {
    // Plain CommonJS that Node loads before any TypeScript can (tools/run/register.cjs).
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        process: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
