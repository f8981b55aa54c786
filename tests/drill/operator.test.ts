/**
 * Drills of an operator's procedures in the VM lab, with a Xen node writing all along: ending
 * a split brain with the stack's splitBrainRecovery commands, and a planned switchover. Run
 * by hand (`npm run test:drill`), not in .ci/run, which must stay within its time.
 */
import { vm } from "../lab/lab";
import {
  READER,
  STORAGE,
  acked,
  cstate,
  cut,
  drillLab,
  expectSynced,
  expectWithin,
  holdsVip,
  ioWorks,
  peerOf,
  primary,
  report,
  role,
  seconds,
  secondsUntilIo,
  sh,
  splitBrainLogged,
  splitBrainRecovery,
  startWriter,
  stopWriter,
  unverifiedBlocks,
} from "./pair";

jest.setTimeout(3_600_000);

drillLab();

test("3b. a split brain (both sides changed while cut): the policies drop neither side, and the stack's splitBrainRecovery commands end it keeping the primary's data", async () => {
  const keep = primary()!;
  const drop = peerOf(keep);
  for (const n of STORAGE) vm(n, "dmesg -C");
  const before = acked();
  cut(true);
  try {
    await expectWithin("DRBD noticing the cut", () => cstate(keep) !== "Connected", 60);
    // What a second primary would do without fencing: take the role and write. udev probes a
    // device that a writer closes, so the role is given back once that probe has let go of it.
    const secondPrimary = vm(
      drop,
      "drbdadm primary cluster && dd if=/dev/drbd0 of=/dev/drbd0 bs=4096 count=1 conv=notrunc,fsync status=none && udevadm settle && drbdadm secondary cluster",
    );
    expect(secondPrimary.stderr).toBe("");
    expect(secondPrimary.status).toBe(0);
    startWriter();
    await expectWithin("the writer acknowledging blocks", () => acked() >= before + 20, 180);
    stopWriter();
  } finally {
    cut(false);
  }
  await expectWithin(
    "both sides logging the split brain",
    () => splitBrainLogged(keep) && splitBrainLogged(drop),
    180,
  );
  await expectWithin("DRBD StandAlone", () => STORAGE.some((n) => cstate(n) === "StandAlone"), 60);
  expect(role(keep)).toBe("Primary");
  expect(ioWorks(2)).toBe(true);
  const recovery = splitBrainRecovery();
  const recoveredAt = Date.now();
  expect(vm(drop, recovery.discardOn).status).toBe(0);
  expect(vm(keep, recovery.keepOn).status).toBe(0);
  await expectSynced(600);
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `split brain: DRBD stopped StandAlone, nothing discarded by itself; after splitBrainRecovery ` +
      `(xenamo${drop} discards) UpToDate/UpToDate in ${seconds(recoveredAt).toFixed(0)} s; ${count} blocks verified`,
  );
});

/** Heartbeat's own view of its resources on `n`: "transition" while it moves them. */
const heartbeatStable = (n: number) => !["transition", ""].includes(sh(n, "cl_status rscstatus"));

test("4. a clean switchover (hb_standby once Heartbeat reports its resources stable) moves the primary role on the first request; the clients keep every block", async () => {
  const from = primary()!;
  const to = peerOf(from);
  // Heartbeat ignores a standby request while either node's resources are in transition
  // ("standby message ... ignored", hb_resource.c), as they are for a while after a node
  // joins or takes over. An operator, and this drill, waits until both report them stable.
  await expectWithin("Heartbeat's resources stable on both nodes", () => STORAGE.every(heartbeatStable), 300);
  const startedAt = Date.now();
  expect(vm(from, "/usr/share/heartbeat/hb_standby").status).toBe(0);
  await expectWithin(
    `xenamo${to} primary with the address`,
    () => holdsVip(to) && role(to) === "Primary",
    180,
  );
  const moved = await secondsUntilIo(startedAt);
  expect(holdsVip(from)).toBe(false);
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `switchover xenamo${from} -> xenamo${to}: I/O after ${moved.toFixed(1)} s (one hb_standby); ${count} blocks verified`,
  );
  await expectSynced(600);
});
