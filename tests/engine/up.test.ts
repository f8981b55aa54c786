/**
 * `pulumi up`, a no-op `up`, updates and `destroy` with the real engine and Pulumi's own
 * command and random providers, running the library's RemoteFile and Step against a real
 * sshd on loopback: what the VM lab does on five guests, here on one host in seconds.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../render/tools";
import { CliResult, REPO, pulumi } from "./cli";
import { Sshd, startSshd } from "./sshd";

const FIXTURE = path.join(REPO, "tests", "engine", "fixture");
const env = { PULUMI_CONFIG_PASSPHRASE: "engine-test-only" };
const stack = ["--stack", "engine-test", "--cwd", FIXTURE, "--non-interactive"];
const run = (...args: string[]): CliResult => pulumi([...args, ...stack], { env });
const setConfig = (key: string, value: string, secret = false) =>
  expect(
    pulumi(["config", "set", ...(secret ? ["--secret"] : []), ...stack, key, "--", value], { env }).status,
  ).toBe(0);

jest.setTimeout(600_000);

let sshd: Sshd;
let dir: string;

beforeAll(async () => {
  sshd = await startSshd();
  dir = tempDir();
  pulumi(["stack", "rm", "--yes", "--force", ...stack], { env });
  expect(pulumi(["stack", "init", ...stack], { env }).status).toBe(0);
  setConfig("port", String(sshd.port));
  setConfig("privateKey", sshd.privateKey, true);
  setConfig("hostKey", sshd.hostKey);
  setConfig("dir", dir);
  setConfig("version", "1");
  setConfig("setting", "a");
});

afterAll(() => {
  pulumi(["destroy", "--yes", ...stack], { env });
  pulumi(["stack", "rm", "--yes", "--force", ...stack], { env });
  sshd?.stop();
});

const file = () => path.join(dir, "secret.conf");
/** The step's scripts that ran on the host, in order: `create setting=a`, `update setting=b`, ... */
const steps = () => fs.readFileSync(path.join(dir, "steps"), "utf8").split("\n").filter(Boolean);

/** Runs `up` while a shell on the host checks every 5 ms that the file is there. */
async function upWatchingFile(): Promise<{ up: CliResult; missing: number; checks: number }> {
  const report = path.join(dir, "watch");
  const watcher = spawn("sh", [
    "-c",
    `n=0; m=0; trap 'echo "$n $m" > ${report}; exit 0' TERM; while :; do n=$((n+1)); [ -e ${file()} ] || m=$((m+1)); sleep 0.005; done`,
  ]);
  await new Promise((r) => setTimeout(r, 200));
  const up = run("up", "--yes", "--skip-preview");
  watcher.kill("SIGTERM");
  await new Promise((r) => watcher.on("exit", r));
  const [checks, missing] = fs.readFileSync(report, "utf8").trim().split(" ").map(Number);
  return { up, missing, checks };
}

test("up writes the secret file (mode 0600) and runs the step's create; a second up changes nothing", () => {
  const up = run("up", "--yes", "--skip-preview");
  expect(up.stderr + up.stdout).not.toMatch(/error:/);
  expect(up.status).toBe(0);
  expect(fs.statSync(file()).mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(file(), "utf8")).toMatch(/^key [A-Za-z0-9]{24}\nversion 1\n$/);
  expect(steps()).toEqual(["create setting=a"]);

  const again = run("up", "--yes", "--expect-no-changes");
  expect(again.status).toBe(0);
  expect(steps()).toEqual(["create setting=a"]);
});

test("state and output hold no secret in plaintext", () => {
  const key = fs.readFileSync(file(), "utf8").split("\n")[0].split(" ")[1];
  const exported = pulumi(["stack", "export", ...stack], { env }).stdout;
  expect(exported).toContain("secret-file");
  expect(exported).not.toContain(key);
  expect(exported).not.toContain(sshd.privateKey.split("\n")[1]);
});

test("a changed file content is written in place: the file never disappears, the step re-runs its update, no delete runs", async () => {
  const before = fs.readFileSync(file(), "utf8").split("\n")[0];
  setConfig("version", "2");
  const preview = run("preview", "--json");
  const ops = (JSON.parse(preview.stdout) as { steps: { op: string }[] }).steps.map((s) => s.op);
  expect(ops.filter((op) => op !== "same").sort()).toEqual(["update", "update"]);

  const { up, missing, checks } = await upWatchingFile();
  expect(up.status).toBe(0);
  expect(up.stdout).toMatch(/2 updated/);
  expect(up.stdout).not.toMatch(/replaced|deleted/);
  expect(checks).toBeGreaterThan(20);
  expect(missing).toBe(0);
  expect(fs.readFileSync(file(), "utf8")).toBe(`${before}\nversion 2\n`);
  expect(steps()).toEqual(["create setting=a", "update setting=a"]);
});

test("a changed setting of a step runs its update script, not its delete", () => {
  setConfig("setting", "b");
  const up = run("up", "--yes", "--skip-preview");
  expect(up.status).toBe(0);
  expect(up.stdout).toMatch(/1 updated/);
  expect(steps()).toEqual(["create setting=a", "update setting=a", "update setting=b"]);
});

test("a host presenting another key is refused, within a bounded time (pinned host key)", () => {
  setConfig("hostKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
  setConfig("version", "3");
  const started = Date.now();
  const up = run("up", "--yes", "--skip-preview");
  const seconds = (Date.now() - started) / 1000;
  console.log(`engine: a wrong host key was refused after ${seconds.toFixed(1)} s`);
  expect(up.status).not.toBe(0);
  expect(up.stdout + up.stderr).toMatch(/host key mismatch/);
  expect(seconds).toBeLessThan(60);
  expect(fs.readFileSync(file(), "utf8")).toContain("version 2\n");
  setConfig("hostKey", sshd.hostKey);
  setConfig("version", "2");
});

test("destroy runs the step's delete and removes what the program wrote", () => {
  const destroy = run("destroy", "--yes", "--skip-preview");
  expect(destroy.status).toBe(0);
  expect(fs.existsSync(file())).toBe(false);
  expect(steps().slice(-1)).toEqual(["delete setting=b"]);
});
