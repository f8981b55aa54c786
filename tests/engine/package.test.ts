/**
 * The library as a package: `npm run build` emits dist/ with typings, `npm pack` ships
 * only the library, and the example consumer in examples/consumer imports it by name,
 * type-checks, and previews with the real engine.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../render/tools";
import { REPO, pulumi, resourcesOf } from "./cli";

jest.setTimeout(600_000);

const run = (command: string, args: string[]) =>
  spawnSync(command, args, { cwd: REPO, encoding: "utf8", timeout: 300_000 });
const EXAMPLE = path.join(REPO, "examples", "consumer");

beforeAll(() => {
  const built = run("npm", ["run", "build"]);
  expect(built.status).toBe(0);
});

test("npm run build emits the library with typings", () => {
  for (const f of [
    "components/index.js",
    "components/index.d.ts",
    "stacks/index.d.ts",
    "components/drbd/drbd-resource.d.ts",
  ]) {
    expect(fs.existsSync(path.join(REPO, "dist", f))).toBe(true);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
  expect(pkg.main).toBe("dist/components/index.js");
  expect(pkg.types).toBe("dist/components/index.d.ts");
  expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining([".", "./stacks"]));
});

test("the package's API is the six components, their arguments, Host and the stack class", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require(path.join(REPO, "dist", "components"));
  expect(Object.keys(lib).sort()).toEqual([
    "DrbdResource",
    "GnbdExport",
    "HeartbeatPair",
    "LvmVolume",
    "Ocfs2Client",
    "RhcsCluster",
  ]);
  const exported = fs
    .readFileSync(path.join(REPO, "dist", "components", "index.d.ts"), "utf8")
    .replace(/\/\*\*[\s\S]*?\*\//g, "");
  for (const type of ["Host", "LvmVolumeArgs", "DrbdResourceArgs", "RhcsClusterArgs", "HeartbeatPairArgs"])
    expect(exported).toContain(type);
  expect(exported).not.toMatch(/Step|RemoteFile|Checker|render|Script/);
});

test("the typings stand alone: internal declarations are stripped, and nothing public refers to one", () => {
  expect(fs.readFileSync(path.join(REPO, "dist", "components", "core", "shell.d.ts"), "utf8")).not.toContain(
    "shq",
  );
  const consumer = path.join(tempDir(), "consumer.ts");
  fs.writeFileSync(
    consumer,
    [
      `import * as lib from ${JSON.stringify(path.join(REPO, "dist", "components"))};`,
      `import * as stacks from ${JSON.stringify(path.join(REPO, "dist", "stacks"))};`,
      "export const used = [lib, stacks];",
    ].join("\n"),
  );
  const args = ["tsc", "--noEmit", "--strict", "--skipLibCheck", "false", "--types", "node", consumer];
  const typed = run("npx", [...args, "--esModuleInterop"]);
  expect(typed.stdout + typed.stderr).toBe("");
});

test("npm pack holds the library and nothing else: no tests, lab, tools, stacks' config or state", () => {
  const packed = run("npm", ["pack", "--dry-run", "--json"]);
  expect(packed.status).toBe(0);
  const files: string[] = JSON.parse(packed.stdout)[0].files.map((f: { path: string }) => f.path);
  expect(files).toContain("dist/components/index.js");
  expect(files).toContain("dist/components/index.d.ts");
  for (const f of files)
    expect(f).toMatch(/^(dist\/(components|stacks)\/.*\.(js|d\.ts)|README\.md|package\.json)$/);
});

test("the example consumer imports the package by name, type-checks and previews", () => {
  expect(fs.readFileSync(path.join(EXAMPLE, "index.ts"), "utf8")).toMatch(/from "@xenamo\/xen-storage"/);
  const typed = run("npx", ["tsc", "-p", EXAMPLE]);
  expect(typed.stdout + typed.stderr).toBe("");
  const env = { PULUMI_CONFIG_PASSPHRASE: "xenstorage-dev-only" };
  const stack = ["--stack", "preview", "--cwd", EXAMPLE, "--non-interactive"];
  pulumi(["stack", "select", "--create", ...stack], { env });
  const r = pulumi(["preview", "--json", ...stack], { env });
  expect(r.status).toBe(0);
  const planned = resourcesOf(JSON.parse(r.stdout));
  expect(planned).toEqual(
    expect.arrayContaining([
      "xenstorage:drbd:DrbdResource::vmstore",
      "xenstorage:ocfs2:Ocfs2Client::hv1",
      "xenstorage:ocfs2:Ocfs2Client::hv2",
    ]),
  );
  expect(planned.filter((p) => p.startsWith("command:remote:Command::")).length).toBeGreaterThan(15);
});
