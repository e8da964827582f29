// CommonJS so that a test can load it synchronously (test/eslint-config.test.ts).
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");

const path = require("node:path");

/** Imports run one way: a folder imports only from the folders before it. */
const LAYERS = ["components", "stacks", "synth", "policy", "tools"];
const ORDER = LAYERS.join(" ← ");
const MOCKS = path.join("synth", "mocks.ts");
const layerOf = (file) => LAYERS.indexOf(path.relative(__dirname, file).split(path.sep)[0]);

/**
 * Every relative import of a layer's file, resolved: `import`, `export … from`, `import()`,
 * `require()`, `import x = require()` and `typeof import()`. A later layer, anything outside the
 * layers (the program entry, tests, examples) or, from the shipped mocks, anything of ours is
 * refused.
 */
const importOrder = {
  meta: { type: "problem", schema: [] },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    const mocks = path.relative(__dirname, file) === MOCKS;
    const check = (node, spec) => {
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = layerOf(target);
      const entry =
        target === __dirname || /^index(\.[cm]?[jt]s)?$/.test(path.relative(__dirname, target));
      const message = mocks
        ? "synth/mocks.ts imports nothing of ours."
        : entry
          ? "nothing imports the program entry; import the module it imports"
          : to < 0
            ? `${LAYERS[from]}/ imports only from the layers (${ORDER}), not ${path.relative(__dirname, target)}.`
            : to > from
              ? `${LAYERS[from]}/ may not import from ${LAYERS[to]}/: imports run ${ORDER}.`
              : undefined;
      if (message) context.report({ node, message });
    };
    const literal = (n) =>
      n && n.type === "Literal"
        ? n.value
        : n && n.type === "TemplateLiteral" && n.expressions.length === 0
          ? n.quasis[0].value.cooked
          : undefined;
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => check(n, literal(n.source)),
      TSImportType: (n) =>
        check(n, literal(n.source ?? (n.argument && (n.argument.literal ?? n.argument)))),
      TSImportEqualsDeclaration: (n) =>
        n.moduleReference.type === "TSExternalModuleReference" &&
        check(n, literal(n.moduleReference.expression)),
      CallExpression: (n) =>
        n.callee.type === "Identifier" &&
        n.callee.name === "require" &&
        check(n, literal(n.arguments[0])),
    };
  },
};

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
  // No rule here reads JSDoc: not parsing it is an eighth of the lint's CPU.
  { languageOptions: { parserOptions: { jsDocParsingMode: "none" } } },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-new": "off",
    },
  },
  {
    // Imports run one way; the mocks ship to consumers as eks-blueprint/testing and stand alone.
    files: LAYERS.map((layer) => `${layer}/**/*.{ts,cts,mts,js,cjs,mjs}`),
    plugins: { layers: { rules: { "import-order": importOrder } } },
    rules: { "layers/import-order": "error" },
  },
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
    // Plain CommonJS that Node loads before any TypeScript can (tools/run/register.cjs).
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        process: "readonly",
        console: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
