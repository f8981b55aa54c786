/**
 * Failover drills in the VM lab: real faults (a killed QEMU guest, a cut link, a deploy
 * interrupted by a crash) against the deployed backend, with a Xen node writing all along.
 * Run with `npm run test:drill`. It reuses a healthy lab (`LAB_KEEP=1 npm run test:lab`
 * leaves one) or boots and deploys one. Each drill prints its figures ("drill: ...").
 */
import { spawn } from "child_process";
import * as path from "path";
import { REPO } from "../engine/cli";
import { MOUNT, deployedLab, eventually, lab, stack, up, vm } from "../lab/lab";

jest.setTimeout(3_600_000);

const STORAGE = [4, 5];
const VIP = "192.168.77.6";
const WRITER = 1;
const READER = 3;
const BLOCK = 4096;
const VOLUME = "vg1/cluster";

const report = (figure: string) => console.log(`drill: ${figure}`);
const seconds = (since: number) => (Date.now() - since) / 1000;
const sh = (n: number, command: string) => vm(n, command).stdout.trim();

const holdsVip = (n: number) => vm(n, `ip -o -4 addr show dev eth1 | grep -q ' ${VIP}/'`).status === 0;
const role = (n: number) => sh(n, "drbdadm role cluster").split("/")[0];
const primary = () => STORAGE.find((n) => holdsVip(n) && role(n) === "Primary");
const peerOf = (n: number) => STORAGE.find((m) => m !== n)!;
const synced = (n: number) =>
  sh(n, "drbdadm cstate cluster") === "Connected" && sh(n, "drbdadm dstate cluster") === "UpToDate/UpToDate";

/** What an operator would look at first when the pair did not come back: printed when a drill waits in vain. */
function storageDiagnostics(): string {
  return STORAGE.map((n) => {
    const r = vm(
      n,
      "cat /proc/drbd; systemctl list-jobs --no-pager; dmesg | grep -E 'drbd|Split' | tail -25; " +
        "journalctl --no-pager -o short-monotonic -t heartbeat -t ResourceManager -t drbd -n 40",
    );
    return `--- xenamo${n} (ssh exit ${r.status})\n${r.stdout}${r.stderr}`;
  }).join("\n");
}

/** Waits until both storage hosts are Connected UpToDate/UpToDate; prints the diagnostics if they never are. */
async function expectSynced(seconds: number): Promise<void> {
  const ok = await eventually(() => STORAGE.every(synced), seconds);
  if (!ok) console.log(`drill: DRBD not in sync after ${seconds} s:\n${storageDiagnostics()}`);
  expect(ok).toBe(true);
}

const deadtime = () => Number(stack("config", "get", "--path", "heartbeat.deadtime").stdout.trim());
const splitBrainLogged = (n: number) => vm(n, "dmesg | grep -q 'Split-Brain detected'").status === 0;

/** From Heartbeat declaring `dead` dead to the end of its takeover on `node`, by node's own log. */
const takeoverSeconds = (node: number, dead: number) =>
  sh(
    node,
    `journalctl -o short-unix --no-pager -t heartbeat | awk '/node xenamo${dead}: is dead/ {d=$1} /takeover complete/ && d {t=$1} END {printf "%.0f", t-d}'`,
  );

/**
 * The writer: block i of stream.bin is 4 KiB of "block i", written with fsync; its number
 * goes to /root/acked (on the node's own disk) only once the write is acknowledged.
 */
const WRITER_SCRIPT = `cat > /root/writer.sh <<'EOF'
#!/bin/bash
i=$(($(wc -l < /root/acked 2>/dev/null || echo 0)))
while [ ! -e /root/stop ]; do
  yes "block $i" | head -c ${BLOCK} | dd of=${MOUNT}/stream.bin bs=${BLOCK} seek=$i conv=notrunc,fsync iflag=fullblock status=none || exit 1
  echo $i >> /root/acked
  i=$((i + 1))
done
EOF
chmod +x /root/writer.sh`;

const acked = () => Number(sh(WRITER, "wc -l < /root/acked"));
const startWriter = () => {
  vm(WRITER, "rm -f /root/stop; nohup /root/writer.sh > /root/writer.log 2>&1 &");
};
const stopWriter = () => {
  vm(WRITER, "touch /root/stop; while pgrep -f '^/bin/bash /root/writer.sh' >/dev/null; do sleep 0.2; done");
};

/** Reads every acknowledged block back on `reader`; returns how many differ. */
function unverifiedBlocks(reader: number, count: number): number {
  const r = vm(
    reader,
    `bad=0; for i in $(seq 0 ${count - 1}); do
       dd if=${MOUNT}/stream.bin bs=${BLOCK} skip=$i count=1 status=none | cmp -s - <(yes "block $i" | head -c ${BLOCK}) || bad=$((bad + 1))
     done; echo $bad`,
  );
  return r.status === 0 ? Number(r.stdout.trim()) : count;
}

/** A write and a read on `node` that succeed (they block while the storage fails over). */
const ioWorks = (node: number) =>
  vm(
    node,
    `timeout 300 sh -c 'head -c ${BLOCK} /dev/urandom > /root/probe && dd if=/root/probe of=${MOUNT}/probe-$(hostname) bs=${BLOCK} conv=fsync status=none && cmp -s /root/probe ${MOUNT}/probe-$(hostname)'`,
  ).status === 0;

/** Seconds from `since` until a client writes and reads again. */
async function secondsUntilIo(since: number): Promise<number> {
  expect(await eventually(() => ioWorks(2), 300)).toBe(true);
  return seconds(since);
}

beforeAll(deployedLab);

afterAll(() => {
  if (process.env.LAB_KEEP !== "1") lab(["down.sh"]);
});

let killed = 0;
let survivor = 0;

test("1. the primary dies while a Xen node writes: the peer takes over and every acknowledged block reads back", async () => {
  await expectSynced(300);
  const p = primary();
  expect(p).toBeDefined();
  killed = p!;
  survivor = peerOf(killed);
  vm(WRITER, `rm -f /root/acked ${MOUNT}/stream.bin; ${WRITER_SCRIPT}`);
  startWriter();
  expect(await eventually(() => acked() >= 20, 120)).toBe(true);

  // Lose the boot-time race with LVM for sure: autoactivation skips the volume on this host, so
  // only DrbdResource's boot-order drop-in can activate it for DRBD when the host comes back.
  expect(vm(killed, `lvchange --setautoactivation n ${VOLUME} && sync`).status).toBe(0);
  const killedAt = Date.now();
  expect(lab(["vms.sh", "kill", String(killed)]).status).toBe(0);
  const ackedAtKill = acked();
  const failover = await secondsUntilIo(killedAt);

  expect(role(survivor)).toBe("Primary");
  expect(holdsVip(survivor)).toBe(true);
  expect(vm(survivor, "pgrep -x nbd-server >/dev/null").status).toBe(0);
  // The writer carried on through the failover.
  expect(await eventually(() => acked() >= ackedAtKill + 20, 120)).toBe(true);
  stopWriter();
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  const goal = deadtime() + 10;
  report(
    `primary xenamo${killed} killed: I/O on the clients again after ${failover.toFixed(1)} s ` +
      `(goal: deadtime + 10 = ${goal} s: ${failover <= goal ? "met" : "missed"}; ` +
      `Heartbeat's takeover itself took ${takeoverSeconds(survivor, killed)} s); ` +
      `${count} blocks (${(count * BLOCK) / 1024} KiB) acknowledged, all verified on xenamo${READER}`,
  );
});

test("2. the dead primary comes back as secondary (its volume activated for DRBD at boot), resyncs, keeps its role off (auto_failback off), and pulumi up changes nothing", async () => {
  const bootedAt = Date.now();
  expect(lab(["vms.sh", "boot", String(killed)], 900_000).status).toBe(0);
  const booted = seconds(bootedAt);
  const resyncFrom = Date.now();
  await expectSynced(300);
  expect(vm(killed, `lvchange --setautoactivation y ${VOLUME}`).status).toBe(0);
  report(
    `xenamo${killed} booted in ${booted.toFixed(0)} s, then UpToDate/UpToDate ${seconds(resyncFrom).toFixed(0)} s later`,
  );
  expect(role(killed)).toBe("Secondary");
  expect(holdsVip(killed)).toBe(false);
  expect(role(survivor)).toBe("Primary");
  expect(up("--expect-no-changes").status).toBe(0);
});

const cut = (on: boolean) => {
  for (const n of STORAGE) vm(n, `ip route ${on ? "add" : "del"} blackhole 192.168.77.${peerOf(n)}/32`);
};

test("3. the replication link is cut: the primary serves on alone, the serial heartbeat keeps the peer passive, and healing resyncs without split brain", async () => {
  const before = acked();
  cut(true);
  try {
    // DRBD loses its peer; Heartbeat still hears it on the serial line, so nothing moves.
    expect(await eventually(() => sh(survivor, "drbdadm cstate cluster") !== "Connected", 60)).toBe(true);
    startWriter();
    expect(await eventually(() => acked() >= before + 40, 180)).toBe(true);
    stopWriter();
    await new Promise((r) => setTimeout(r, (deadtime() + 5) * 1000));
    expect(holdsVip(killed)).toBe(false);
    expect(role(killed)).toBe("Secondary");
    expect(role(survivor)).toBe("Primary");
  } finally {
    cut(false);
  }
  const healedAt = Date.now();
  await expectSynced(300);
  report(
    `link cut: ${acked() - before} blocks written on xenamo${survivor} alone; ` +
      `resynced to xenamo${killed} ${seconds(healedAt).toFixed(0)} s after the link healed`,
  );
  for (const n of STORAGE) expect(splitBrainLogged(n)).toBe(false);
});

test("3b. a split brain (both sides changed while cut): the policies drop neither side, and the stack's splitBrainRecovery commands end it keeping the primary's data", async () => {
  const keep = primary()!;
  const drop = peerOf(keep);
  const before = acked();
  cut(true);
  try {
    expect(await eventually(() => sh(keep, "drbdadm cstate cluster") !== "Connected", 60)).toBe(true);
    // What a second primary would do without fencing: take the role and write.
    const secondPrimary = vm(
      drop,
      "drbdadm primary cluster && dd if=/dev/drbd0 of=/dev/drbd0 bs=4096 count=1 conv=notrunc,fsync status=none && drbdadm secondary cluster",
    );
    expect(secondPrimary.stderr).toBe("");
    expect(secondPrimary.status).toBe(0);
    startWriter();
    expect(await eventually(() => acked() >= before + 20, 180)).toBe(true);
    stopWriter();
  } finally {
    cut(false);
  }
  expect(await eventually(() => splitBrainLogged(keep) && splitBrainLogged(drop), 180)).toBe(true);
  const standAlone = () => STORAGE.some((n) => sh(n, "drbdadm cstate cluster") === "StandAlone");
  expect(await eventually(standAlone, 60)).toBe(true);
  expect(role(keep)).toBe("Primary");
  expect(ioWorks(2)).toBe(true);
  const recovery = JSON.parse(stack("stack", "output", "splitBrainRecovery", "--json").stdout) as {
    discardOn: string;
    keepOn: string;
  };
  const recoveredAt = Date.now();
  expect(vm(drop, recovery.discardOn).status).toBe(0);
  expect(vm(keep, recovery.keepOn).status).toBe(0);
  await expectSynced(300);
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `split brain: DRBD stopped StandAlone, nothing discarded by itself; after splitBrainRecovery ` +
      `(xenamo${drop} discards) UpToDate/UpToDate in ${seconds(recoveredAt).toFixed(0)} s; ${count} blocks verified`,
  );
});

test("4. a clean switchover (hb_standby) moves the primary role; the clients keep every block", async () => {
  const from = survivor;
  const to = killed;
  const switched = () => holdsVip(to) && role(to) === "Primary";
  const startedAt = Date.now();
  // One .ci/run saw the role stay put for 300 s after hb_standby. If it has not moved in
  // 120 s, print both hosts' state (to learn why) and ask again, as an operator would; the
  // figures say how many requests it took.
  let requests = 0;
  while (requests < 3 && !switched()) {
    expect(vm(from, "/usr/share/heartbeat/hb_standby").status).toBe(0);
    requests++;
    if (await eventually(switched, 120)) break;
    console.log(
      `drill: hb_standby request ${requests} did not move the role in 120 s:\n${storageDiagnostics()}`,
    );
  }
  expect(switched()).toBe(true);
  const moved = await secondsUntilIo(startedAt);
  expect(holdsVip(from)).toBe(false);
  // What was written while the link was cut is now served by the other copy.
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `switchover xenamo${from} -> xenamo${to}: I/O after ${moved.toFixed(1)} s ` +
      `(hb_standby requests: ${requests}); ${count} blocks verified`,
  );
  await expectSynced(300);
});

/** `pulumi up` in the background; resolves with its output. */
function upInBackground(onLine: (line: string) => void): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      "bash",
      [
        path.join(REPO, "tools", "pulumi.sh"),
        "up",
        "--yes",
        "--skip-preview",
        "--stack",
        "lab",
        "--non-interactive",
      ],
      { cwd: REPO },
    );
    let output = "";
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split("\n")) onLine(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("close", (status) => resolve({ status, output }));
  });
}

test("5. a storage guest dies in the middle of pulumi up: after it boots, pulumi up converges without new metadata or a reformat", async () => {
  const secondary = STORAGE.find((n) => role(n) === "Secondary")!;
  const ocfs2Uuid = () => sh(READER, `blkid -p -o value -s UUID $(findmnt -n -o SOURCE ${MOUNT})`);
  const before = ocfs2Uuid();
  expect(before).toMatch(/^[0-9a-f-]{36}$/i);
  expect(stack("config", "set", "--path", "heartbeat.deadtime", String(deadtime() + 1)).status).toBe(0);
  let killedDuringUp = false;
  const interrupted = await upInBackground((line) => {
    if (
      !killedDuringUp &&
      line.includes(`xenamo-heartbeat-xenamo${secondary}-ha-cf`) &&
      line.includes("updating")
    ) {
      killedDuringUp = true;
      lab(["vms.sh", "kill", String(secondary)]);
    }
  });
  expect(killedDuringUp).toBe(true);
  expect(interrupted.status).not.toBe(0);
  const bootedAt = Date.now();
  expect(lab(["vms.sh", "boot", String(secondary)], 900_000).status).toBe(0);
  const convergedAt = Date.now();
  expect(up().status).toBe(0);
  const converged = seconds(convergedAt);
  expect(up("--expect-no-changes").status).toBe(0);
  await expectSynced(300);
  // New metadata would have forced a full resync; a reformat would have a new UUID.
  expect(vm(secondary, "dmesg | grep -q 'full sync required'").status).not.toBe(0);
  expect(ocfs2Uuid()).toBe(before);
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `xenamo${secondary} killed during pulumi up; booted in ${((convergedAt - bootedAt) / 1000).toFixed(0)} s; ` +
      `the next pulumi up converged in ${converged.toFixed(0)} s; ${count} blocks verified, same filesystem`,
  );
});
