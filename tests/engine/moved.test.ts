/**
 * The move of the components into one folder per part changed nothing a user deployed: a
 * state written by `pulumi up` with the code before the move (BEFORE, the last commit of the
 * flat layout, taken from git) previews with this checkout's code as unchanged, except what
 * changed on purpose since: the clients' import reads its server and port from a settings
 * file (created) and its program and unit changed with it (updated, which restarts it);
 * nbd-server runs under a unit of its own on both storage hosts (created; the export's
 * resource script and serve step updated), and the virtual IP is the library's
 * `xenstorage-ip` (created; haresources and Heartbeat's step updated).
 * Type tokens, resource names, inputs and dependencies all stay: nothing is replaced or deleted.
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

test("a state written by the code before the move previews as unchanged, but for what changed on purpose since", () => {
  const up = run(before, "up", "--yes", "--skip-preview");
  expect(up.stderr).not.toMatch(/error:/);
  expect(up.status).toBe(0);
  expect(up.stdout).toMatch(/\+ 84 created/);
  const preview = run(REPO, "preview", "--json");
  expect(preview.status).toBe(0);
  const { steps, changeSummary } = JSON.parse(preview.stdout) as {
    steps: { op: string; urn: string }[];
    changeSummary: Record<string, number>;
  };
  const changed = steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()}`);
  const clients = [1, 2, 3].map((n) => `xenamo-ocfs2-xenamo${n}`);
  const storage = [4, 5].map((n) => `xenamo${n}`);
  expect(changed.sort()).toEqual(
    [
      ...clients.map((c) => `create ${c}-nbd-import-settings`),
      ...clients.flatMap((c) => ["daemon", "unit"].map((f) => `update ${c}-nbd-import-${f}`)),
      ...clients.map((c) => `update ${c}-import`),
      // nbd-server runs under its own unit on both storage hosts, its allow list gives each
      // address its prefix length (nbd-server 3.26); the virtual IP is xenstorage-ip's
      ...storage.flatMap((h) => [
        `create xenamo-export-${h}-nbd-unit`,
        `update xenamo-export-${h}-nbd-allow`,
        `update xenamo-export-${h}-ha-resource`,
        `update xenamo-export-${h}-reserve`,
        `create xenamo-heartbeat-${h}-xenstorage-ip`,
        `update xenamo-heartbeat-${h}-haresources`,
        `update xenamo-heartbeat-${h}-start`,
        // the export's resource agent for Pacemaker (the pair's pacemaker engine)
        `create xenamo-export-${h}-ocf-agent`,
      ]),
      // the properties step re-runs: it now also clears a watchdog timeout no longer configured
      // (none here); DrbdResource's policy inputs name its fencing policy (a component: nothing runs)
      "update xenamo-cluster-properties",
      "update xenamo-drbd",
      // systemctl calls that reload systemd wait longer on D-Bus (SYSTEMD_BUS_TIMEOUT): the
      // steps that enable a SysV-made unit or reload systemd re-run, each safe to re-run
      ...[1, 2, 3, 4, 5].map((n) => `update xenamo-cluster-xenamo${n}-start`),
      ...storage.map((h) => `update xenamo-drbd-${h}-up`),
      ...clients.map((c) => `update ${c}-o2cb`),
    ].sort(),
  );
  // the preview read the whole state: all 84 resources but the 31 updated are the same
  expect(changeSummary.same).toBe(84 - 31);
});
