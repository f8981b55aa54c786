/**
 * `pulumi up`, a no-op `up`, an update and `destroy` with the real engine, its providers and
 * the library's RemoteFile and Step against a real sshd on loopback: what the VM lab does
 * on five guests, here on one host in seconds.
 */
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
});

afterAll(() => {
  pulumi(["destroy", "--yes", ...stack], { env });
  pulumi(["stack", "rm", "--yes", "--force", ...stack], { env });
  sshd?.stop();
});

const file = () => path.join(dir, "secret.conf");
const reloads = () => fs.readFileSync(path.join(dir, "reloads"), "utf8").split("\n").filter(Boolean).length;

test("up writes the secret file (mode 0600) and runs the step; a second up changes nothing", () => {
  const up = run("up", "--yes", "--skip-preview");
  expect(up.stderr + up.stdout).not.toMatch(/error:/);
  expect(up.status).toBe(0);
  expect(fs.statSync(file()).mode & 0o777).toBe(0o600);
  expect(fs.readFileSync(file(), "utf8")).toMatch(/^key [A-Za-z0-9]{24}\nversion 1\n$/);
  expect(reloads()).toBe(1);

  const again = run("up", "--yes", "--expect-no-changes");
  expect(again.status).toBe(0);
  expect(reloads()).toBe(1);
});

test("state and output hold no secret in plaintext", () => {
  const key = fs.readFileSync(file(), "utf8").split("\n")[0].split(" ")[1];
  const exported = pulumi(["stack", "export", ...stack], { env }).stdout;
  expect(exported).toContain("secret-file");
  expect(exported).not.toContain(key);
  expect(exported).not.toContain(sshd.privateKey.split("\n")[1]);
});

test("a changed input updates in place: the file is rewritten and the step re-runs, the key stays", () => {
  const before = fs.readFileSync(file(), "utf8").split("\n")[0];
  setConfig("version", "2");
  const up = run("up", "--yes", "--skip-preview");
  expect(up.status).toBe(0);
  expect(up.stdout).toMatch(/~ 2 updated|2 updated/);
  expect(fs.readFileSync(file(), "utf8")).toBe(`${before}\nversion 2\n`);
  expect(reloads()).toBe(2);
});

test("a host presenting another key is refused (pinned host key)", () => {
  setConfig("hostKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");
  setConfig("version", "3");
  const up = run("up", "--yes", "--skip-preview");
  expect(up.status).not.toBe(0);
  expect(up.stdout + up.stderr).toMatch(
    /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/,
  );
  expect(fs.readFileSync(file(), "utf8")).toContain("version 2\n");
  setConfig("hostKey", sshd.hostKey);
});

test("destroy removes what the program wrote", () => {
  const destroy = run("destroy", "--yes", "--skip-preview");
  expect(destroy.status).toBe(0);
  expect(fs.existsSync(file())).toBe(false);
});
