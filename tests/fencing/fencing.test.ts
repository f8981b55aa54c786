/**
 * Quorum and fencing in the VM lab (docs/fencing.md): the pair handed from Heartbeat to the
 * cluster's Pacemaker with sbd's watchdog fencing by one `pulumi up` while a Xen node writes,
 * then real faults that would give two primaries or lose acknowledged writes without them: every
 * path between the storage hosts cut while the Xen nodes reach both, a primary paused past the
 * detection time, and the replication link cut before the primary dies.
 * Run with `npm run test:fencing`, on the lab that the drills leave (or one it deploys); it
 * leaves the lab on the pacemaker engine.
 */
import { spawn } from "child_process";
import * as path from "path";
import { REPO } from "../engine/cli";
import { deployedLab, expectUp, lab, stack, up, vm, xenNodes } from "../lab/lab";
import {
  ACKED,
  READER,
  STORAGE,
  VIP,
  WRITER,
  WRITER_SCRIPT,
  acked,
  alive,
  boot,
  cutReplication,
  expectSynced,
  expectWithin,
  healthyLab,
  holdsVip,
  partition,
  peerOf,
  primary,
  report,
  role,
  seconds,
  sh,
  splitBrainLogged,
  expectWriterCarriesOn,
  startWriting,
  stopWriter,
  unverifiedBlocks,
} from "../drill/pair";

jest.setTimeout(3_600_000);

/** How long the paused primary stays stopped: well past detection and the fence's wait. */
const PAUSE_SECONDS = 90;
/** How long the stale peer is watched after the primary it was cut from dies: past detection, the dead host's fence and any promotion. */
const STALE_WATCH_SECONDS = 120;
const ALL = () => [...STORAGE, ...xenNodes()];
const bootId = (n: number) => sh(n, "cat /proc/sys/kernel/random/boot_id");
const bootIds = (hosts: number[]) => Object.fromEntries(hosts.map((n) => [n, bootId(n)]));

/** What one storage host says within `ms`: its DRBD role and whether it holds the address; `undefined` when it does not answer (paused, rebooting). */
function sample(n: number, ms = 4000): Promise<{ primary: boolean; vip: boolean } | undefined> {
  return new Promise((resolve) => {
    const child = spawn(
      "bash",
      [
        path.join(REPO, "lab", "vms.sh"),
        "ssh",
        String(n),
        `drbdadm role cluster 2>/dev/null | cut -d/ -f1; ip -o -4 addr show dev eth1 | grep -c ' ${VIP}/' || :`,
      ],
      // Its own process group: ssh, which holds the output open, dies with vms.sh on a timeout.
      { cwd: REPO, detached: true },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, ms);
    child.on("close", (status) => {
      clearTimeout(timer);
      const [r, v] = out.trim().split("\n");
      resolve(status === 0 && v !== undefined ? { primary: r === "Primary", vip: Number(v) > 0 } : undefined);
    });
  });
}

/** Samples both storage hosts about once a second for `secs` seconds; returns the most primaries and address holders seen at once. */
async function watchPair(secs: number): Promise<{ primaries: number; holders: number; samples: number }> {
  const worst = { primaries: 0, holders: 0, samples: 0 };
  const end = Date.now() + secs * 1000;
  while (Date.now() < end) {
    const next = Date.now() + 1000;
    const seen = (await Promise.all(STORAGE.map((n) => sample(n)))).filter((s) => s !== undefined);
    worst.primaries = Math.max(worst.primaries, seen.filter((s) => s.primary).length);
    worst.holders = Math.max(worst.holders, seen.filter((s) => s.vip).length);
    worst.samples++;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  return worst;
}

const resetSince = (ids: Record<number, string>) =>
  Object.keys(ids)
    .map(Number)
    .filter((n) => bootId(n) !== ids[n]);
const named = (hosts: number[]) => hosts.map((n) => `xenamo${n}`).join(", ") || "none";

/** Boots every guest that a fence reset or left down, then waits for the pair to be whole. */
async function allBack(): Promise<void> {
  await expectWithin("every guest answering", () => ALL().every(alive), 600);
  for (const n of ALL()) if (!alive(n)) boot(n);
  await expectSynced(900);
}

const engine = () => stack("config", "get", "--path", "heartbeat.engine").stdout.trim();

beforeAll(() => {
  deployedLab();
  expect(vm(WRITER, WRITER_SCRIPT).status).toBe(0);
});

afterAll(() => {
  if (process.env.LAB_KEEP !== "1") lab(["down.sh"]);
});

test("1. one pulumi up hands the running pair from Heartbeat to Pacemaker with watchdog fencing: the writer goes on, the primary stays, no host reboots, every block reads back", async () => {
  await healthyLab();
  const served = primary()!;
  const hosts = ALL();
  const before = bootIds(hosts);
  for (const n of STORAGE) vm(n, "dmesg -C");
  await startWriting();
  expect(stack("config", "set", "--path", "heartbeat.engine", "pacemaker").status).toBe(0);
  expect(stack("config", "set", "--path", "cluster.fencing.watchdog.timeout", "5").status).toBe(0);
  const startedAt = Date.now();
  expectUp(up());
  const took = seconds(startedAt);
  const ackedAfterUp = acked();
  await expectWithin("the writer carrying on", () => acked() >= ackedAfterUp + 20, 180);
  stopWriter();

  expect(bootIds(hosts)).toEqual(before);
  expect(role(served)).toBe("Primary");
  expect(holdsVip(served)).toBe(true);
  expect(role(peerOf(served))).toBe("Secondary");
  for (const n of STORAGE) {
    // DRBD stayed up and connected, and the primary never gave its role up.
    expect(sh(n, "dmesg | grep -cE 'conn\\( Connected -> |role\\( Primary -> ' || :")).toBe("0");
    expect(vm(n, "pidof heartbeat").status).not.toBe(0);
  }
  for (const n of hosts) expect(sh(n, "systemctl is-active sbd")).toBe("active");
  const crm = sh(served, "crm_mon -1 --output-as=xml");
  expect(crm).toMatch(new RegExp(`role="Promoted"[^>]*>\\s*<node name="xenamo${served}"`));
  expect(sh(served, "crm_attribute --type crm_config --name stonith-watchdog-timeout --query --quiet")).toBe(
    "10",
  );
  expect(
    sh(served, "crm_attribute --type crm_config --name maintenance-mode --query --quiet 2>/dev/null || :"),
  ).not.toBe("true");
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `engine heartbeat -> pacemaker with watchdog fencing: pulumi up ${took.toFixed(0)} s while xenamo${WRITER} wrote; ` +
      `xenamo${served} stayed primary, no reboot; ${count} blocks verified`,
  );
  expectUp(up("--expect-no-changes"));
});

test("2. every path between the storage hosts cut for two minutes while the Xen nodes reach both: never two primaries or two holders of the address, the minority host is reset by its watchdog, no split brain on healing, every block reads back", async () => {
  expect(engine()).toBe("pacemaker");
  await healthyLab();
  const before = bootIds(STORAGE);
  const xen = bootIds(xenNodes());
  for (const n of STORAGE) vm(n, "dmesg -C");
  await startWriting();
  const cutAt = Date.now();
  partition(true);
  let seen;
  try {
    seen = await watchPair(120);
  } finally {
    partition(false, STORAGE.filter(alive));
  }
  await allBack();
  const reset = resetSince(before);
  const xenReset = resetSince(xen);
  await expectWriterCarriesOn();
  stopWriter();
  expect(seen.primaries).toBeLessThanOrEqual(1);
  expect(seen.holders).toBeLessThanOrEqual(1);
  expect(reset.length).toBe(1);
  expect(primary()).toBe(peerOf(reset[0]));
  for (const n of STORAGE) expect(splitBrainLogged(n)).toBe(false);
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `total partition of the pair for ${seconds(cutAt).toFixed(0)} s (${seen.samples} samples of both hosts): ` +
      `at most ${seen.primaries} primary and ${seen.holders} holder of the address at once; xenamo${reset[0]} reset by its watchdog; ` +
      `Xen nodes reset meanwhile: ${named(xenReset)}; no split brain; ${count} blocks verified`,
  );
});

test("3. the primary paused well past the detection time, then resumed: the peer takes over, the paused host is reset and never serves again, every block reads back", async () => {
  expect(engine()).toBe("pacemaker");
  await healthyLab();
  const paused = primary()!;
  const survivor = peerOf(paused);
  const before = bootId(paused);
  const xen = bootIds(xenNodes());
  await startWriting();
  const pausedAt = Date.now();
  expect(lab(["vms.sh", "pause", String(paused)]).status).toBe(0);
  try {
    await expectWithin(
      `xenamo${survivor} primary with the address`,
      () => role(survivor) === "Primary" && holdsVip(survivor),
      300,
    );
    const tookOver = seconds(pausedAt);
    await new Promise((r) => setTimeout(r, Math.max(0, PAUSE_SECONDS * 1000 - (Date.now() - pausedAt))));
    report(
      `paused xenamo${paused}: xenamo${survivor} primary with the address ${tookOver.toFixed(1)} s after the pause`,
    );
  } finally {
    expect(lab(["vms.sh", "resume", String(paused)]).status).toBe(0);
  }
  const afterResume = await watchPair(60);
  await allBack();
  expect(afterResume.primaries).toBeLessThanOrEqual(1);
  expect(afterResume.holders).toBeLessThanOrEqual(1);
  expect(bootId(paused)).not.toBe(before);
  expect(primary()).toBe(survivor);
  const xenReset = resetSince(xen);
  await expectWriterCarriesOn();
  stopWriter();
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `paused xenamo${paused} for ${PAUSE_SECONDS} s: reset on resume (new boot id), never primary beside xenamo${survivor} ` +
      `in ${afterResume.samples} samples; Xen nodes reset meanwhile: ${named(xenReset)}; ${count} blocks verified (${ACKED} on xenamo${WRITER})`,
  );
});

test("4. the replication link alone cut, then the primary killed: the primary bars its peer from promotion and serves on alone; the stale peer is not promoted until the primary is back and has resynced it; every block acknowledged alone reads back", async () => {
  expect(engine()).toBe("pacemaker");
  await healthyLab();
  const killed = primary()!;
  const stale = peerOf(killed);
  const xen = bootIds(xenNodes());
  for (const n of STORAGE) vm(n, "dmesg -C");
  await startWriting();
  const cutAt = Date.now();
  cutReplication(true);
  // crm-fence-peer.sh's constraint: the Promoted role nowhere but on the primary.
  await expectWithin(
    `xenamo${killed}'s fence-peer constraint in the CIB`,
    () => vm(killed, "cibadmin -Q -o constraints | grep -q drbd-fence-by-handler").status === 0,
    300,
  );
  const barredAfter = seconds(cutAt);
  const ackedCut = acked();
  await expectWithin(`xenamo${killed} acknowledging alone`, () => acked() >= ackedCut + 20, 180);
  expect(lab(["vms.sh", "kill", String(killed)]).status).toBe(0);
  const aloneAcked = acked() - ackedCut;
  let seen;
  try {
    seen = await watchPair(STALE_WATCH_SECONDS);
  } finally {
    cutReplication(false, [stale]);
  }
  boot(killed);
  await allBack();
  // Without failback either host may be promoted now, but the stale one only after the
  // returning primary resynced it.
  await expectWithin("one primary with the address", () => primary() !== undefined, 600);
  expect(sh(stale, "dmesg | grep -c 'conn( WFSyncUUID -> SyncTarget )' || :")).not.toBe("0");
  expect(seen.primaries).toBe(0);
  expect(seen.holders).toBe(0);
  for (const n of STORAGE) expect(splitBrainLogged(n)).toBe(false);
  const xenReset = resetSince(xen);
  await expectWriterCarriesOn();
  stopWriter();
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `replication cut: xenamo${killed} barred xenamo${stale} from promotion ${barredAfter.toFixed(0)} s after the cut and ` +
      `acknowledged ${aloneAcked} blocks alone; killed, xenamo${stale} was never primary in ${seen.samples} samples ` +
      `over ${STALE_WATCH_SECONDS} s; Xen nodes reset meanwhile: ${named(xenReset)}; ` +
      `${count} blocks verified`,
  );
});
