/**
 * Drills of the storage link in the VM lab, with a Xen node writing all along: the replication
 * link cut (the serial heartbeat keeps the peer passive), and a split brain ended with the
 * stack's splitBrainRecovery commands. Run by hand (`npm run test:drill`), not in .ci/run,
 * which must stay within its time.
 */
import { vm } from "../lab/lab";
import {
  READER,
  STORAGE,
  acked,
  cstate,
  cut,
  deadtime,
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
  splitBrainLogged,
  splitBrainRecovery,
  startWriter,
  stopWriter,
  unverifiedBlocks,
} from "./pair";

jest.setTimeout(3_600_000);

drillLab();

test("3. the replication link is cut: the primary serves on alone, the serial heartbeat keeps the peer passive, and healing resyncs without split brain", async () => {
  const serving = primary()!;
  const passive = peerOf(serving);
  for (const n of STORAGE) vm(n, "dmesg -C");
  const before = acked();
  cut(true);
  try {
    // DRBD loses its peer; Heartbeat still hears it on the serial line, so nothing moves.
    await expectWithin("DRBD noticing the cut", () => cstate(serving) !== "Connected", 60);
    startWriter();
    await expectWithin("the writer acknowledging blocks", () => acked() >= before + 40, 180);
    stopWriter();
    await new Promise((r) => setTimeout(r, (deadtime() + 5) * 1000));
    expect(holdsVip(passive)).toBe(false);
    expect(role(passive)).toBe("Secondary");
    expect(role(serving)).toBe("Primary");
  } finally {
    cut(false);
  }
  const healedAt = Date.now();
  await expectSynced(600);
  report(
    `link cut: ${acked() - before} blocks written on xenamo${serving} alone; ` +
      `resynced to xenamo${passive} ${seconds(healedAt).toFixed(0)} s after the link healed`,
  );
  for (const n of STORAGE) expect(splitBrainLogged(n)).toBe(false);
});

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
