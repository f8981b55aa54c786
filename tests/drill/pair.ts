/**
 * What the drills share: the storage pair as the lab runs it, the writer on a Xen node and its
 * read-back, faults (a cut link) and the way back to a healthy lab.
 */
import { MOUNT, deployedLab, eventually, expectUp, lab, stack, up, vm, xenNodes } from "../lab/lab";

export const STORAGE = [4, 5];
export const VIP = "192.168.77.6";
export const WRITER = 1;
export const READER = 3;
export const BLOCK = 4096;
export const VOLUME = "vg1/cluster";
export const ACKED = "/root/acked";
/** DRBD's port in the lab stack (DrbdResource's default). */
const DRBD_PORT = 7788;

export const report = (figure: string) => console.log(`drill: ${figure}`);
/** Heartbeat's `deadtime` in the lab stack's config. */
export const deadtime = () => Number(stack("config", "get", "--path", "heartbeat.deadtime").stdout.trim());
export const seconds = (since: number) => (Date.now() - since) / 1000;
/**
 * A command's output on guest `n`. A connection that fails (ssh's own exit status 255: a guest
 * just booted and loaded can drop one) is tried twice more, so that it is not read as a state.
 */
export function sh(n: number, command: string): string {
  let r = vm(n, command);
  for (let retry = 0; retry < 2 && r.status === 255; retry++) r = vm(n, command);
  if (r.status === 255) report(`xenamo${n} did not answer \`${command}\`: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

export const holdsVip = (n: number) => vm(n, `ip -o -4 addr show dev eth1 | grep -q ' ${VIP}/'`).status === 0;
export const role = (n: number) => sh(n, "drbdadm role cluster").split("/")[0];
export const cstate = (n: number) => sh(n, "drbdadm cstate cluster");
export const primary = () => STORAGE.find((n) => holdsVip(n) && role(n) === "Primary");
export const peerOf = (n: number) => STORAGE.find((m) => m !== n)!;
export const synced = (n: number) =>
  cstate(n) === "Connected" && sh(n, "drbdadm dstate cluster") === "UpToDate/UpToDate";

/**
 * What an operator would look at first when the pair did not come back: printed when a drill
 * waits in vain. The logs come first and the state of both hosts last, where a truncated CI
 * log (its tail) still shows it.
 */
export function storageDiagnostics(): string {
  const on = (command: string) =>
    STORAGE.map((n) => {
      const r = vm(n, command);
      return `--- xenamo${n} (ssh exit ${r.status})\n${r.stdout}${r.stderr}`;
    }).join("\n");
  const logs = on(
    "systemctl list-jobs --no-pager; dmesg | grep -E 'drbd|Split' | tail -25; journalctl --no-pager -o short-monotonic " +
      "-t heartbeat -t ResourceManager -t drbd -t xenstorage-nbd -t pacemaker-controld -t pacemaker-fenced -t sbd -n 60 " +
      "| grep -v 'High CPU load' | tail -40",
  );
  const state = on(
    "uptime; cat /proc/drbd; cl_status rscstatus 2>/dev/null; crm_mon -1 2>/dev/null | tail -12",
  );
  return `${logs}\n${state}`;
}

/**
 * Heartbeat's own log lines, on both storage hosts since `since` (this machine's ms), for a node
 * taken for dead or back, and resources given up or taken: what explains a primary that moved.
 */
export function heartbeatEvents(since: number): string {
  const pattern =
    "is dead|returning after partition|Late heartbeat|No local heartbeat|restart|shutdown|" +
    "Giving up|Releasing resource group|Acquiring resource group|standby|ip-request";
  return STORAGE.map((n) => {
    const r = vm(
      n,
      `journalctl --no-pager -o short-iso --since -${Math.ceil(seconds(since)) + 5}s -t heartbeat -t ResourceManager ` +
        `| grep -E '${pattern}' | tail -30`,
    );
    return `--- xenamo${n}\n${r.stdout}${r.stderr}`;
  }).join("\n");
}

/** Waits until `test` holds; prints the storage hosts' state if it never does. */
export async function expectWithin(what: string, test: () => boolean, seconds: number): Promise<void> {
  const ok = await eventually(test, seconds);
  if (!ok) console.log(`drill: ${what}: not so after ${seconds} s:\n${storageDiagnostics()}`);
  expect(ok).toBe(true);
}

export const expectSynced = (seconds: number) =>
  expectWithin("DRBD Connected UpToDate/UpToDate", () => STORAGE.every(synced), seconds);

export const splitBrainLogged = (n: number) => vm(n, "dmesg | grep -q 'Split-Brain detected'").status === 0;
export const splitBrainRecovery = () =>
  JSON.parse(stack("stack", "output", "splitBrainRecovery", "--json").stdout) as {
    discardOn: string;
    keepOn: string;
  };
export const alive = (n: number) => vm(n, "true").status === 0;
export const boot = (n: number) => expect(lab(["vms.sh", "boot", String(n)], 900_000).status).toBe(0);

/**
 * The writer: block i of stream.bin is 4 KiB of "block i", written with fsync; "i EPOCH" goes
 * to /root/acked (on the node's own disk) only once the write is acknowledged.
 */
export const WRITER_SCRIPT = `cat > /root/writer.sh <<'EOF'
#!/bin/bash
i=$(($(wc -l < ${ACKED} 2>/dev/null || echo 0)))
while [ ! -e /root/stop ]; do
  yes "block $i" | head -c ${BLOCK} | dd of=${MOUNT}/stream.bin bs=${BLOCK} seek=$i conv=notrunc,fsync iflag=fullblock status=none || exit 1
  echo "$i $(date +%s.%N)" >> ${ACKED}
  i=$((i + 1))
done
EOF
chmod +x /root/writer.sh`;

export const acked = () => Number(sh(WRITER, `wc -l < ${ACKED}`));
export const startWriter = () => {
  vm(WRITER, "rm -f /root/stop; nohup /root/writer.sh > /root/writer.log 2>&1 &");
};
/** Starts the writer and waits until it has acknowledged 20 more blocks. */
export async function startWriting(): Promise<void> {
  const before = acked();
  startWriter();
  await expectWithin("the writer acknowledging blocks", () => acked() >= before + 20, 120);
}

/** After a fault: starts the writer again if a reset of its node ended it, then waits until it acknowledges 20 more blocks. */
export async function expectWriterCarriesOn(): Promise<void> {
  if (vm(WRITER, "pgrep -f '^/bin/bash /root/writer.sh'").status !== 0) startWriter();
  const before = acked();
  await expectWithin("the writer carrying on", () => acked() >= before + 20, 300);
}

export const stopWriter = () => {
  vm(WRITER, "touch /root/stop; while pgrep -f '^/bin/bash /root/writer.sh' >/dev/null; do sleep 0.2; done");
};

/** Reads every acknowledged block back on `reader`; returns how many differ. */
export function unverifiedBlocks(reader: number, count: number): number {
  // One perl process (perl-base is in every Debian): a shell loop forks three processes per
  // block, minutes for a few hundred blocks on the lab's emulated CPUs.
  const check =
    'open(F, "<", $ARGV[0]) or die; binmode F; my $bad = 0; ' +
    `for my $i (0 .. $ARGV[1] - 1) { my $n = read(F, my $b, ${BLOCK}); ` +
    `$bad++ unless $n == ${BLOCK} && $b eq substr("block $i\n" x ${BLOCK}, 0, ${BLOCK}) } print "$bad\n"`;
  const r = vm(reader, `perl -e '${check}' ${MOUNT}/stream.bin ${count}`);
  return r.status === 0 ? Number(r.stdout.trim()) : count;
}

/** A write and a read on `node` that succeed (they block while the storage fails over). */
export const ioWorks = (node: number) =>
  vm(
    node,
    `timeout 300 sh -c 'head -c ${BLOCK} /dev/urandom > /root/probe && dd if=/root/probe of=${MOUNT}/probe-$(hostname) bs=${BLOCK} conv=fsync status=none && cmp -s /root/probe ${MOUNT}/probe-$(hostname)'`,
  ).status === 0;

/** Seconds from `since` until a client writes and reads again. */
export async function secondsUntilIo(since: number): Promise<number> {
  await expectWithin("I/O on xenamo2", () => ioWorks(2), 300);
  return seconds(since);
}

/**
 * Cuts every path between the storage hosts (a blackhole route to the peer, on `hosts`), or
 * heals it. Both still reach the Xen nodes: an asymmetric partition for corosync.
 */
export function partition(on: boolean, hosts = STORAGE): void {
  for (const n of hosts) {
    const route = `blackhole 192.168.77.${peerOf(n)}/32`;
    const command = on ? `ip route add ${route}` : `while ip route del ${route} 2>/dev/null; do :; done`;
    expect(vm(n, command).status).toBe(0);
  }
}

const DRILL_TABLE = "inet xenstorage_drill";
/** Heartbeat's UDP port in the lab stack (HeartbeatPair's default). */
const HEARTBEAT_PORT = 694;

/** Drops the packets `matches` selects on `hosts` (nft rules in a table of the drills' own), or removes them all. */
function drop(on: boolean, matches: string[], hosts: number[]): void {
  for (const n of hosts) {
    const command = on
      ? [
          `nft add table ${DRILL_TABLE}`,
          `nft add chain ${DRILL_TABLE} input '{ type filter hook input priority 0; }'`,
          ...matches.map((m) => `nft add rule ${DRILL_TABLE} input ${m} drop`),
        ].join(" && ")
      : `nft delete table ${DRILL_TABLE} 2>/dev/null || :`;
    expect(vm(n, command).status).toBe(0);
  }
}

const REPLICATION = [`tcp dport ${DRBD_PORT}`, `tcp sport ${DRBD_PORT}`];

/**
 * Cuts the storage link between the storage hosts, or heals it: DRBD's replication and
 * Heartbeat's network path; the serial line stays. corosync, which manages nothing under the
 * heartbeat engine, keeps its path: a cut of every path between these two hosts alone is the
 * asymmetric partition of docs/fencing.md (open problem 1), whose membership churn starved the
 * primary's Heartbeat past its deadtime on the emulated CPUs.
 */
export const cut = (on: boolean) => drop(on, [...REPLICATION, `udp dport ${HEARTBEAT_PORT}`], STORAGE);

/** Cuts DRBD's replication alone between the storage hosts (its port dropped on both), or heals it; corosync and the clients' paths stay. */
export const cutReplication = (on: boolean, hosts = STORAGE) => drop(on, REPLICATION, hosts);

/**
 * The hooks of a drill file: a deployed lab (lab/health.sh finds the one `LAB_KEEP=1` left,
 * or one is booted and deployed) with the writer installed and its log started afresh, made
 * healthy before each drill, and taken down at the end unless `LAB_KEEP=1`.
 */
export function drillLab(): void {
  beforeAll(() => {
    deployedLab();
    expect(vm(WRITER, `rm -f ${ACKED} ${MOUNT}/stream.bin; ${WRITER_SCRIPT}`).status).toBe(0);
  });
  beforeEach(healthyLab);
  afterAll(() => {
    if (process.env.LAB_KEEP !== "1") lab(["down.sh"]);
  });
}

/**
 * Brings the lab back to health as an operator would, whatever an earlier drill left: every
 * guest up, a split brain resolved in the primary's favour, DRBD Connected UpToDate/UpToDate,
 * one primary holding the address, the Xen nodes mounted and writing.
 */
export async function healthyLab(): Promise<void> {
  for (const n of [...STORAGE, ...xenNodes()]) if (!alive(n)) boot(n);
  stopWriter();
  partition(false);
  // Removes every packet filter of the drills (cutReplication's too).
  cut(false);
  for (const n of STORAGE) expect(vm(n, `lvchange --setautoactivation y ${VOLUME}`).status).toBe(0);
  // DRBD reconnects by itself, or stops StandAlone after a split brain.
  const settled = (n: number) => ["Connected", "StandAlone", "SyncSource", "SyncTarget"].includes(cstate(n));
  await expectWithin("DRBD connected or StandAlone", () => STORAGE.every(settled), 300);
  if (STORAGE.some((n) => cstate(n) === "StandAlone")) {
    const keep = primary() ?? STORAGE[0];
    const recovery = splitBrainRecovery();
    vm(peerOf(keep), recovery.discardOn);
    vm(keep, recovery.keepOn);
  }
  await expectSynced(600);
  await expectWithin("one primary holding the virtual IP", () => primary() !== undefined, 300);
  if (lab(["health.sh"]).status !== 0) expectUp(up());
  await expectWithin("lab/health.sh", () => lab(["health.sh"]).status === 0, 300);
  for (const n of xenNodes()) expect(ioWorks(n)).toBe(true);
}
