/**
 * The move of the components into one folder per part changed nothing a user deployed: a
 * state written by `pulumi up` with the code before the move (BEFORE, the last commit of the
 * flat layout, taken from git) shows no change at all in a preview with this checkout's code.
 * Type tokens, resource names, inputs and dependencies all stay, so a user's first `pulumi up`
 * after upgrading has nothing to do.
 */
import { execSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../render/tools";
import { REPO, pulumi } from "./cli";
import { devThroughSshd, writeStackConfig } from "./dev-stack";
import { Sshd, startSshd } from "./sshd";

jest.setTimeout(900_000);

const BEFORE = "6c006b0";
const STACK = "engine-before-move";
const env = { PULUMI_CONFIG_PASSPHRASE: "engine-test-only" };
const configFile = (project: string) => path.join(project, "stacks", `Pulumi.${STACK}.yaml`);
const run = (project: string, ...args: string[]) =>
  pulumi([...args, "--cwd", project, "--stack", STACK, "--non-interactive"], { env });

let sshd: Sshd;
let before: string;

beforeAll(async () => {
  // The sshd runs nothing: every step "succeeds" without touching this machine.
  sshd = await startSshd({ forceCommand: "cat >/dev/null" });
  before = tempDir();
  execSync(
    `git archive ${BEFORE} Pulumi.yaml index.ts tsconfig.json components stacks | tar -x -C ${before}`,
    {
      cwd: REPO,
    },
  );
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(before, "node_modules"));
  pulumi(["stack", "rm", "--yes", "--force", "--stack", STACK], { env });
  writeStackConfig(configFile(before), devThroughSshd(sshd));
  expect(run(before, "stack", "init").status).toBe(0);
  const setKey = [
    "config",
    "set",
    "--secret",
    "--cwd",
    before,
    "--stack",
    STACK,
    "sshPrivateKey",
    "--",
    sshd.privateKey,
  ];
  expect(pulumi(setKey, { env }).status).toBe(0);
  fs.copyFileSync(configFile(before), configFile(REPO));
});

afterAll(() => {
  pulumi(["stack", "rm", "--yes", "--force", "--stack", STACK], { env });
  fs.rmSync(configFile(REPO), { force: true });
  sshd?.stop();
});

test("a state written by the code before the move shows no change in a preview after it", () => {
  const up = run(before, "up", "--yes", "--skip-preview");
  expect(up.stderr).not.toMatch(/error:/);
  expect(up.status).toBe(0);
  expect(up.stdout).toMatch(/\+ 84 created/);
  // --expect-no-changes fails on any create, update, replace or delete; the count shows
  // that the preview did read the whole state.
  const preview = run(REPO, "preview", "--expect-no-changes", "--diff");
  expect(preview.stdout + preview.stderr).toMatch(/84 unchanged/);
  expect(preview.status).toBe(0);
});
