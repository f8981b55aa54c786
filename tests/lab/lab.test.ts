/**
 * The VM lab end to end: a real `pulumi up` of the whole storage backend onto real Debian
 * guests, then the properties an operator relies on. Run with `npm run test:lab` (boots
 * the lab from nothing; about half an hour on two cores).
 */
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../engine/cli";
import { MOUNT, eventually, lab, stack, timed, up, vm } from "./lab";

jest.setTimeout(3_600_000);

const xenNodes = () =>
  lab(["vms.sh", "nodes"])
    .stdout.trim()
    .split(/\s+/)
    .filter((n) => !["xenamo4", "xenamo5"].includes(n))
    .map((n) => Number(n.slice(-1)));

/** The longest line of the lab's SSH private key (the key material, not its armour). */
const privateKeyLine = () =>
  fs
    .readFileSync(path.join(REPO, ".lab", "id_ed25519"), "utf8")
    .split("\n")
    .reduce((a, b) => (b.length > a.length ? b : a), "");

const checksum = (n: number, file: string) =>
  vm(n, `sha256sum ${MOUNT}/${file} | cut -d' ' -f1`).stdout.trim();

beforeAll(() => {
  timed("lab down (leftovers)", () => lab(["down.sh"]));
  const boot = timed("engine + image + boot", () => lab(["vms.sh", "up"], 3_000_000));
  if (boot.status !== 0) throw new Error(`lab did not boot:\n${boot.stdout}\n${boot.stderr}`);
  const configured = lab(["configure.sh"]);
  if (configured.status !== 0) throw new Error(`lab stack not configured:\n${configured.stderr}`);
});

afterAll(() => {
  if (process.env.LAB_KEEP !== "1") lab(["down.sh"]);
});

/** Everything `pulumi up` printed, for the secret scan. */
let upLog = "";
const SAMPLED = [4, 1];
const PS_LOG = "/root/ps-during-up.log";

test("1. pulumi up from nothing succeeds", () => {
  // Sample every command line on a storage host and a Xen node while `up` runs.
  for (const n of SAMPLED)
    vm(n, `nohup sh -c 'while :; do ps -eo args; sleep 0.2; done' > ${PS_LOG} 2>&1 & echo $! > /root/ps.pid`);
  const r = timed("pulumi up from nothing", () => up());
  for (const n of SAMPLED) vm(n, "kill $(cat /root/ps.pid)");
  upLog = r.stdout + r.stderr;
  expect(r.status).toBe(0);
});

test("secrets: none in the state, the up log or any command line on a host; their files are root's, mode 0600", () => {
  const secrets: Record<string, string> = {
    "DRBD shared secret": vm(
      4,
      "sed -n 's/.*shared-secret \"\\(.*\\)\";/\\1/p' /etc/drbd.d/cluster.res",
    ).stdout.trim(),
    "Heartbeat authkey": vm(4, "awk '$2 == \"sha1\" {print $3}' /etc/ha.d/authkeys").stdout.trim(),
    "corosync authkey": vm(4, "base64 -w0 /etc/corosync/authkey").stdout.trim(),
    "SSH private key": privateKeyLine(),
  };
  for (const secret of Object.values(secrets)) expect(secret.length).toBeGreaterThanOrEqual(20);
  const exported = stack("stack", "export").stdout;
  expect(exported).toContain("xenamo-drbd-xenamo4-config");
  const sampled = SAMPLED.map((n) => vm(n, `cat ${PS_LOG}`).stdout).join("\n");
  expect(sampled).toContain("sh -ec");
  // drbd-utils itself passes the shared secret to drbdsetup in argv (drbdadm adjust runs
  // `drbdsetup connect ... --shared-secret=...`): a documented limitation of DRBD, not of
  // the library. Every other command line, the library's own included, is checked.
  const drbdsetup = /^\S*drbdsetup(-84)? /;
  const commandLines = sampled
    .split("\n")
    .filter((l) => !drbdsetup.test(l))
    .join("\n");
  for (const [what, secret] of Object.entries(secrets)) {
    expect({ what, inState: exported.includes(secret) }).toEqual({ what, inState: false });
    expect({ what, inLog: upLog.includes(secret) }).toEqual({ what, inLog: false });
    expect({ what, onCommandLine: commandLines.includes(secret) }).toEqual({ what, onCommandLine: false });
  }
  for (const n of [4, 5]) {
    expect(
      vm(n, "stat -c '%a %U:%G' /etc/drbd.d/cluster.res /etc/ha.d/authkeys /etc/corosync/authkey")
        .stdout.trim()
        .split("\n"),
    ).toEqual(["600 root:root", "600 root:root", "400 root:root"]);
  }
});

test("2. DRBD is Connected UpToDate/UpToDate, and a file written on one Xen node reads back on the others", async () => {
  const synced = await eventually(
    () =>
      ["4", "5"].every((n) => vm(Number(n), "drbdadm dstate cluster").stdout.trim() === "UpToDate/UpToDate"),
    600,
  );
  expect(synced).toBe(true);
  for (const n of [4, 5]) expect(vm(n, "drbdadm cstate cluster").stdout.trim()).toBe("Connected");
  const [writer, ...readers] = xenNodes();
  expect(
    vm(writer, `dd if=/dev/urandom of=${MOUNT}/proof.bin bs=1M count=4 conv=fsync status=none`).status,
  ).toBe(0);
  const written = checksum(writer, "proof.bin");
  expect(written).toMatch(/^[0-9a-f]{64}$/);
  for (const reader of readers) expect(checksum(reader, "proof.bin")).toBe(written);
});

test("3. a second pulumi up changes nothing", () => {
  const r = timed("pulumi up, no changes", () => up("--expect-no-changes"));
  expect(r.status).toBe(0);
});

test("4. a changed input (Heartbeat deadtime) updates in place and keeps the data", () => {
  const before = checksum(xenNodes()[0], "proof.bin");
  expect(stack("config", "set", "--path", "heartbeat.deadtime", "12").status).toBe(0);
  const r = timed("pulumi up, deadtime changed", () => up());
  expect(r.status).toBe(0);
  expect(r.stdout).not.toMatch(/replaced|deleted/);
  for (const n of [4, 5]) expect(vm(n, "grep '^deadtime' /etc/ha.d/ha.cf").stdout.trim()).toBe("deadtime 12");
  for (const n of xenNodes()) expect(checksum(n, "proof.bin")).toBe(before);
});

test("5. destroy keeps the LV contents and the DRBD metadata; a fresh up finds the same data", () => {
  const before = checksum(xenNodes()[0], "proof.bin");
  const destroyed = timed("pulumi destroy", () => stack("destroy", "--yes", "--skip-preview"));
  expect(destroyed.status).toBe(0);
  for (const n of [4, 5]) {
    expect(vm(n, "lvs --noheadings -o lv_name vg1/cluster").stdout.trim()).toBe("cluster");
    // The resource file is gone with the stack, so ask drbdmeta about the disk itself.
    const md = vm(n, "drbdmeta --force 0 v08 /dev/vg1/cluster internal dump-md >/dev/null && echo metadata");
    expect(md.stdout.trim()).toBe("metadata");
  }
  const again = timed("pulumi up after destroy", () => up());
  expect(again.status).toBe(0);
  for (const n of xenNodes()) expect(checksum(n, "proof.bin")).toBe(before);
});
