/**
 * Test projects:
 * - unit: the resource graph with mocks, validation, quoting;
 * - render: golden files, the seed's text, and each rendered file checked by its real tool;
 * - host: the remote scripts run for real on this machine (root; loop devices, namespaces);
 * - engine: the real Pulumi engine (`npm run engine` first): previews, and up/destroy
 *   against a real sshd (`npm run test:engine`, not part of `npm test`);
 * - lab: the whole backend on real Debian guests under QEMU (`npm run test:lab`);
 * - drill: failover drills with real faults in that lab (`npm run test:drill`);
 * - fencing: the pair handed to Pacemaker with watchdog fencing, then partitions and a paused
 *   primary in that lab (`npm run test:fencing`, after the drills);
 * - destroy: destroy and redeploy in that lab, keeping the data (`npm run test:lab:destroy`).
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
    { ...common, displayName: "lab", testMatch: ["<rootDir>/tests/lab/**/*.test.ts"] },
    { ...common, displayName: "drill", testMatch: ["<rootDir>/tests/drill/**/*.test.ts"] },
    { ...common, displayName: "fencing", testMatch: ["<rootDir>/tests/fencing/**/*.test.ts"] },
    { ...common, displayName: "destroy", testMatch: ["<rootDir>/tests/destroy/**/*.test.ts"] },
    {
      ...common,
      displayName: "engine",
      testMatch: ["<rootDir>/tests/engine/**/*.test.ts"],
    },
  ],
};
