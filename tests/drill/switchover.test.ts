/**
 * A planned switchover in the VM lab, with a Xen node writing all along. Run by hand
 * (`npm run test:drill`), not in .ci/run, which must stay within its time.
 */
import { vm } from "../lab/lab";
import {
  READER,
  STORAGE,
  acked,
  drillLab,
  expectSynced,
  expectWithin,
  holdsVip,
  peerOf,
  primary,
  report,
  role,
  secondsUntilIo,
  sh,
  unverifiedBlocks,
} from "./pair";

jest.setTimeout(3_600_000);

drillLab();

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
