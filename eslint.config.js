// ESLint: typescript-eslint's recommended type-aware rules plus Pulumi's rules against
// Outputs inside template literals (build commands with pulumi.interpolate or inside apply).
const tseslint = require("typescript-eslint");
const pulumi = require("@pulumi/eslint-plugin");

module.exports = tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      ".engine/",
      ".pulumi/",
      "jest.config.js",
      "eslint.config.js",
      "tests/golden/",
      ".lab/",
      ".bench/",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: {
        project: ["./tsconfig.json", "./examples/*/tsconfig.json"],
        tsconfigRootDir: __dirname,
      },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
