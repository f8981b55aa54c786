/**
 * Test projects:
 * - unit: the resource graph with mocks, validation, quoting;
 * - render: golden files, the seed's text, and each rendered file checked by its real tool;
 * - host: the remote scripts run for real on this machine (root; loop devices, namespaces).
 */
const common = {
  preset: "ts-jest",
  testEnvironment: "node",
};

module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
    { ...common, displayName: "render", testMatch: ["<rootDir>/tests/render/**/*.test.ts"] },
    { ...common, displayName: "host", testMatch: ["<rootDir>/tests/host/**/*.test.ts"] },
  ],
};
