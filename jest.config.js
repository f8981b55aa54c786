/** Test projects: `unit` (resource graph with mocks, scripts, validation) and `render` (golden files + real tools). */
const common = {
  preset: "ts-jest",
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
};

module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    { ...common, displayName: "render", testMatch: ["<rootDir>/tests/render/**/*.test.ts"] },
  ],
};
