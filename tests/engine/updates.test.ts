/**
 * Ordinary changes of the dev stack with Pulumi's own engine and command provider: each is an
 * update in place, never a replacement, and no step's delete runs.
 *
 * The state is written by a real `pulumi up` of the dev stack's program and config, with
 * every host's SSH pointed at one real sshd on loopback. That sshd runs no command: its
 * `ForceCommand` reads a command's standard input and logs the command line it was sent, so
 * the test sees exactly which scripts the engine ran and nothing runs on this machine.
 */
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../render/tools";
import { REPO, pulumi } from "./cli";
import { devThroughSshd, writeStackConfig } from "./dev-stack";
import { Sshd, startSshd } from "./sshd";

jest.setTimeout(900_000);

const STACK = "engine-dev-state";
const FILE = path.join(REPO, "stacks", `Pulumi.${STACK}.yaml`);
const env = { PULUMI_CONFIG_PASSPHRASE: "engine-test-only" };
const run = (...args: string[]) => pulumi([...args, "--stack", STACK, "--non-interactive"], { env });

let sshd: Sshd;
let log: string;

const writeConfig = (changes = {}) => writeStackConfig(FILE, devThroughSshd(sshd, changes));

/** The scripts the sshd was sent since the last call (each command line is `sh -ec 'SCRIPT'`). */
function commandsSent(): string[] {
  const sent = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
  fs.writeFileSync(log, "");
  return sent
    .split("\n")
    .filter(Boolean)
    .map((line) => Buffer.from(line, "base64").toString("utf8"))
    .map((command) => {
      const quoted = /^sh -ec '([\s\S]*)'$/.exec(command);
      if (!quoted) throw new Error(`not a step's command line: ${command.slice(0, 80)}`);
      return quoted[1].replace(/'\\''/g, "'");
    });
}

beforeAll(async () => {
  log = path.join(tempDir(), "commands");
  sshd = await startSshd({
    forceCommand: `cat >/dev/null; printf '%s' "$SSH_ORIGINAL_COMMAND" | base64 -w0 >> ${log}; echo >> ${log}`,
  });
  pulumi(["stack", "rm", "--yes", "--force", "--stack", STACK], { env });
  fs.rmSync(FILE, { force: true });
  writeConfig();
  expect(run("stack", "init").status).toBe(0);
  const setKey = ["config", "set", "--secret", "--stack", STACK, "sshPrivateKey", "--", sshd.privateKey];
  expect(pulumi(setKey, { env }).status).toBe(0);
});

afterAll(() => {
  pulumi(["stack", "rm", "--yes", "--force", "--stack", STACK], { env });
  fs.rmSync(FILE, { force: true });
  sshd?.stop();
});

test("pulumi up of the dev stack writes its state; a second up has nothing to do", () => {
  const up = run("up", "--yes", "--skip-preview");
  expect(up.stderr).not.toMatch(/error:/);
  expect(up.status).toBe(0);
  expect(commandsSent().length).toBeGreaterThan(60);
  expect(run("preview", "--expect-no-changes").status).toBe(0);
});

/** The generated secrets (random keys and passwords), from a state exported with `--show-secrets`. */
function generatedSecrets(state: {
  deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] };
}): string[] {
  const plaintext = (v: unknown) =>
    v && typeof v === "object" && "plaintext" in v ? JSON.parse((v as { plaintext: string }).plaintext) : v;
  return state.deployment.resources
    .filter((r) => r.type.startsWith("random:"))
    .flatMap((r) => ["result", "base64", "hex"].map((k) => plaintext(r.outputs?.[k])))
    .filter((v): v is string => typeof v === "string");
}

test("no generated secret (DRBD, Heartbeat, corosync keys) is in the state in plaintext", () => {
  const secrets = generatedSecrets(JSON.parse(run("stack", "export", "--show-secrets").stdout));
  expect(secrets).toHaveLength(3); // DRBD shared secret, Heartbeat authkeys, corosync authkey
  // Where in the plain export each one sits: resource and property path.
  const leaks: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (typeof v === "string") {
      if (secrets.some((s) => v.includes(s))) leaks.push(at);
    } else if (v && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) walk(child, `${at}/${k}`);
    }
  };
  walk(JSON.parse(run("stack", "export").stdout), "");
  expect(leaks).toEqual([]);
});

const ordinaryChanges = {
  heartbeat: { warntime: 6, deadtime: 12 },
  drbd: { resyncRate: "30M" },
  cluster: { tokenMs: 4000 },
  ocfs2: { mountOptions: "_netdev,noatime,commit=10" },
};

test("a preview of ordinary changes shows only updates: no replacement, no delete", () => {
  writeConfig(ordinaryChanges);
  const preview = run("preview", "--json");
  expect(preview.status).toBe(0);
  const steps = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] }).steps;
  // A component whose arguments changed is "updated" too; what runs on hosts are the commands.
  const changed = steps.filter((s) => s.op !== "same" && s.urn.includes("command:remote:Command::"));
  expect(steps.filter((s) => !["same", "update"].includes(s.op))).toEqual([]);
  const byOp = (op: string) =>
    changed
      .filter((s) => s.op === op)
      .map((s) => s.urn.split("::").pop())
      .sort();
  const updated = byOp("update");
  for (const host of ["xenamo4", "xenamo5"]) {
    for (const step of ["heartbeat-HOST-ha-cf", "heartbeat-HOST-start", "drbd-HOST-config", "drbd-HOST-up"])
      expect(updated).toContain(`xenamo-${step.replace("HOST", host)}`);
  }
  for (const host of ["xenamo1", "xenamo2", "xenamo3", "xenamo4", "xenamo5"]) {
    expect(updated).toContain(`xenamo-cluster-${host}-corosync-conf`);
    expect(updated).toContain(`xenamo-cluster-${host}-start`);
  }
  for (const host of ["xenamo1", "xenamo2", "xenamo3"]) {
    expect(updated).toContain(`xenamo-ocfs2-${host}-fstab`);
    expect(updated).toContain(`xenamo-ocfs2-${host}-mount`);
  }
  expect(updated).toHaveLength(24);
});

test("the up runs the update scripts (reload, adjust, remount) and no delete script", () => {
  const up = run("up", "--yes", "--skip-preview");
  expect(up.status).toBe(0);
  expect(up.stdout).not.toMatch(/replaced|deleted/);
  const sent = commandsSent();
  expect(sent).toHaveLength(24);
  const count = (pattern: RegExp) => sent.filter((c) => pattern.test(c)).length;
  expect(count(/drbdadm adjust/)).toBe(2);
  expect(count(/service 'heartbeat' 'reload'/)).toBe(2);
  expect(count(/corosync-cfgtool -R/)).toBe(5);
  expect(count(/remount,_netdev,noatime,commit=10/)).toBe(3);
  // What the steps' deletes would run: take DRBD down, stop a daemon, unmount, remove a file.
  for (const deleteOnly of [/drbdadm down/, /'stop'/, /umount/, /then rm -f "\$p"/])
    expect({ deleteOnly: String(deleteOnly), ran: count(deleteOnly) }).toEqual({
      deleteOnly: String(deleteOnly),
      ran: 0,
    });
  expect(run("preview", "--expect-no-changes").status).toBe(0);
});
