/**
 * A deploy interrupted by a crash: a storage guest killed in the middle of `pulumi up`, while
 * it updates that guest. Run by `npm run test:drill` after the failover drills, on the same
 * lab; `.ci/run` leaves it out to stay within its time (it boots a guest and runs three ups).
 */
import { spawn } from "child_process";
import * as path from "path";
import { REPO } from "../engine/cli";
import { MOUNT, expectUp, lab, stack, up, vm } from "../lab/lab";
import {
  READER,
  STORAGE,
  acked,
  boot,
  deadtime,
  drillLab,
  expectSynced,
  report,
  role,
  seconds,
  sh,
  startWriting,
  stopWriter,
  unverifiedBlocks,
} from "./pair";

jest.setTimeout(3_600_000);

drillLab();

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

test("a storage guest dies in the middle of pulumi up: after it boots, pulumi up converges without new metadata or a reformat", async () => {
  const secondary = STORAGE.find((n) => role(n) === "Secondary")!;
  const ocfs2Uuid = () => sh(READER, `blkid -p -o value -s UUID $(findmnt -n -o SOURCE ${MOUNT})`);
  // Blocks to read back after the crash and the converging up.
  await startWriting();
  stopWriter();
  const before = ocfs2Uuid();
  expect(before).toMatch(/^[0-9a-f-]{36}$/i);
  // A changed setting for the up to update: the deadtime, back and forth between two values so
  // that runs on one lab keep the same failover goal.
  const changed = deadtime() % 2 === 0 ? deadtime() + 1 : deadtime() - 1;
  expect(stack("config", "set", "--path", "heartbeat.deadtime", String(changed)).status).toBe(0);
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
  boot(secondary);
  const convergedAt = Date.now();
  expectUp(up());
  const converged = seconds(convergedAt);
  expectUp(up("--expect-no-changes"));
  await expectSynced(600);
  // New metadata would have forced a full resync (its kernel message, since this boot); a
  // reformat would have a new UUID.
  expect(vm(secondary, "dmesg | grep -q 'full sync required'").status).not.toBe(0);
  expect(ocfs2Uuid()).toBe(before);
  const count = acked();
  expect(unverifiedBlocks(READER, count)).toBe(0);
  report(
    `xenamo${secondary} killed during pulumi up; booted in ${((convergedAt - bootedAt) / 1000).toFixed(0)} s; ` +
      `the next pulumi up converged in ${converged.toFixed(0)} s; ${count} blocks verified, same filesystem`,
  );
});
