/**
 * The VM lab end to end: a real `pulumi up` of the whole storage backend onto real Debian
 * guests, then the properties an operator relies on, and one setting of every part changed
 * in place. Run with `npm run test:lab` (boots the lab from nothing; about 10 minutes on two
 * cores). Destroy and redeploy: `npm run test:lab:destroy` (tests/destroy).
 */
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../engine/cli";
import {
  MOUNT,
  checksum,
  expectUp,
  hostStates,
  eventually,
  lab,
  stack,
  timed,
  up,
  vm,
  xenNodes,
} from "./lab";

jest.setTimeout(3_600_000);

/** The longest line of the lab's SSH private key (the key material, not its armour). */
const privateKeyLine = () =>
  fs
    .readFileSync(path.join(REPO, ".lab", "id_ed25519"), "utf8")
    .split("\n")
    .reduce((a, b) => (b.length > a.length ? b : a), "");

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
  expectUp(r);
});

test("secrets: none in the state, the up log or any command line on a host; their files are root's, mode 0600", () => {
  const secrets: Record<string, string> = {
    "DRBD shared secret": vm(
      4,
      "sed -n 's/.*shared-secret \"\\(.*\\)\";/\\1/p' /etc/drbd.d/cluster.res",
    ).stdout.trim(),
    "Heartbeat authkey": vm(4, "awk '$2 == \"sha1\" {print $3}' /etc/ha.d/authkeys").stdout.trim(),
    "corosync authkey": vm(4, "cat /etc/corosync/authkey").stdout.trim(),
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

test("the export serves only the Xen nodes: the storage host without the virtual IP is refused", () => {
  const other = [4, 5].find((n) => !vm(n, "ip -o -4 addr show dev eth1").stdout.includes(" 192.168.77.6/"))!;
  const r = vm(
    other,
    "modprobe nbd; timeout 30 nbd-client -N ocfscluster 192.168.77.6 10809 /dev/nbd7 -nonetlink; echo rc=$?; nbd-client -d /dev/nbd7 >/dev/null 2>&1 || :",
  );
  expect(r.stdout).toMatch(/rc=\d+/);
  expect(r.stdout).not.toMatch(/rc=0\b/);
});

test("3. a second pulumi up changes nothing", () => {
  expectUp(timed("pulumi up, no changes", () => up("--expect-no-changes")));
});

/** One setting of each part, changed in a single `pulumi up` (test 4). */
const CHANGES: [string, string][] = [
  ["heartbeat.deadtime", "12"],
  ["drbd.resyncRate", "30M"],
  ["cluster.tokenMs", "4000"],
  ["export.port", "10810"],
  ["ocfs2.mountOptions", "_netdev,noatime,commit=10"],
];
const SAMPLES = "/root/samples-during-up.log";
const VIP = "192.168.77.6";

/** Starts a sampler on xenamoN: one line every 2 s while `up` runs (more would load the TCG guests). */
function sample(n: number, probe: string): void {
  vm(
    n,
    `nohup sh -c 'while :; do echo "$(${probe})"; sleep 2; done' > ${SAMPLES} 2>&1 & echo $! > /root/sampler.pid`,
  );
}
function samples(n: number): string[] {
  vm(n, "kill $(cat /root/sampler.pid)");
  return vm(n, `cat ${SAMPLES}`).stdout.trim().split("\n");
}

test("4. one setting of every part changed in one up: updated in place on every host, DRBD never down, the virtual IP and the mounts stay", () => {
  const before = checksum(xenNodes()[0], "proof.bin");
  for (const [key, value] of CHANGES) expect(stack("config", "set", "--path", key, value).status).toBe(0);
  const preview = stack("preview", "--json");
  expect(preview.status).toBe(0);
  const changed = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] }).steps.filter(
    (s) => s.op !== "same",
  );
  const perHost: Record<string, string[]> = {};
  for (const s of changed) {
    const name = s.urn.split("::").pop()!;
    const host = name.match(/xenamo\d/g)?.pop() ?? "-";
    (perHost[host] ??= []).push(`${s.op} ${name}`);
  }
  console.log(`lab: what the up changes, per host:\n${JSON.stringify(perHost, null, 2)}`);
  expect(changed.filter((s) => s.op !== "update")).toEqual([]);
  // Exactly the files and steps these settings concern, on every host; the clients' import
  // is not restarted (it reads the new port from its settings when the export re-serves).
  const on = (n: number, steps: string[]) => steps.map((step) => `xenamo-${step.replace("N", `xenamo${n}`)}`);
  const expected = [
    ...[4, 5].flatMap((n) =>
      on(n, [
        "cluster-N-corosync-conf",
        "cluster-N-start",
        "drbd-N-config",
        "drbd-N-up",
        "export-N-nbd-conf",
        "export-N-reserve",
        "heartbeat-N-ha-cf",
        "heartbeat-N-start",
      ]),
    ),
    ...xenNodes().flatMap((n) =>
      on(n, [
        "cluster-N-corosync-conf",
        "cluster-N-start",
        "ocfs2-N-nbd-import-settings",
        "ocfs2-N-fstab",
        "ocfs2-N-mount",
      ]),
    ),
  ];
  const commands = changed
    .filter((s) => s.urn.includes("command:remote:Command::"))
    .map((s) => s.urn.split("::").pop()!);
  expect(commands.sort()).toEqual(expected.sort());

  // One line per sample: DRBD's state (or "none" when the resource is not configured) and
  // whether this host holds the virtual IP.
  for (const n of [4, 5])
    sample(
      n,
      `echo $(grep -o "cs:[A-Za-z]* ro:[A-Za-z]*/[A-Za-z]* ds:[A-Za-z]*/[A-Za-z]*" /proc/drbd || echo none) vip=$(ip -o -4 addr show dev eth1 | grep -c " ${VIP}/")`,
    );
  for (const n of xenNodes()) sample(n, `mountpoint -q ${MOUNT} && echo mounted || echo unmounted`);
  const holder = [4, 5].find((n) => vm(n, `ip -o -4 addr show dev eth1`).stdout.includes(` ${VIP}/`));
  const everyHost = [...xenNodes(), 4, 5];
  const bootIds = () => everyHost.map((n) => vm(n, "cat /proc/sys/kernel/random/boot_id").stdout);
  const booted = bootIds();
  const r = timed("pulumi up, one setting of each part changed", () => up());
  const after = bootIds();
  if (r.status !== 0 || after.join() !== booted.join())
    console.log(`lab: the hosts after the up (exit ${r.status}):\n${hostStates(everyHost)}`);
  // No host rebooted: an OCFS2 node whose I/O stalls past its disk heartbeat fences itself.
  expect(after).toEqual(booted);
  const drbd = Object.fromEntries([4, 5].map((n) => [n, samples(n)]));
  const mounts = xenNodes().map(samples);
  expectUp(r);
  expect(r.stdout).not.toMatch(/replaced|deleted/);

  // DRBD: every sample on both hosts Connected, UpToDate/UpToDate; the VIP never moved.
  for (const n of [4, 5]) {
    console.log(
      `lab: xenamo${n}: ${drbd[n].length} samples during the up: ${[...new Set(drbd[n])].join("; ")}`,
    );
    expect(drbd[n].length).toBeGreaterThan(10);
    const vip = n === holder ? 1 : 0;
    for (const line of new Set(drbd[n]))
      expect(line).toMatch(new RegExp(`^cs:Connected ro:\\w+/\\w+ ds:UpToDate/UpToDate vip=${vip}$`));
  }
  for (const m of mounts) expect(new Set(m)).toEqual(new Set(["mounted"]));

  // Every affected file holds the new content, and what reads it live took it.
  for (const n of [4, 5]) {
    expect(vm(n, "grep '^deadtime' /etc/ha.d/ha.cf").stdout.trim()).toBe("deadtime 12");
    expect(vm(n, "grep -c 'resync-rate 30M;' /etc/drbd.d/cluster.res").stdout.trim()).toBe("1");
    expect(vm(n, "drbdsetup show cluster | grep -o 'resync-rate.*;'").stdout).toMatch(
      /resync-rate\s+30720k;/,
    ); // 30M, as drbdsetup prints it
    expect(vm(n, "grep -c 'port = 10810' /etc/xenstorage/nbd/ocfscluster.conf").stdout.trim()).toBe("1");
  }
  expect(Number(vm(holder!, "ss -Hltn | grep -c ':10810 '").stdout.trim())).toBeGreaterThan(0);
  for (const n of [...xenNodes(), 4, 5]) {
    expect(vm(n, "grep -c 'token: 4000' /etc/corosync/corosync.conf").stdout.trim()).toBe("1");
    expect(vm(n, "corosync-cmapctl -g totem.token").stdout).toMatch(/= 4000$/m);
  }
  for (const n of xenNodes()) {
    expect(vm(n, `grep ' ${MOUNT} ' /etc/fstab`).stdout).toContain("_netdev,noatime,commit=10");
    expect(vm(n, "cat /etc/xenstorage/nbd-import/ocfscluster.conf").stdout).toMatch(/^port=10810$/m);
    expect(vm(n, `ss -Htn state established dst ${VIP}`).stdout).toContain(`${VIP}:10810`);
    expect(checksum(n, "proof.bin")).toBe(before);
  }
  expectUp(timed("pulumi up, no changes after the update", () => up("--expect-no-changes")));
});
