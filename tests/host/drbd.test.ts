/**
 * DrbdResource's metadata step against the real drbdadm/drbdmeta on loop devices, in a
 * namespace whose hostname is xenamo4 and whose /etc/drbd.conf is the rendered one.
 */
import * as path from "path";
import { renderDrbd } from "../../components/drbd/render";
import { seedDrbdSpec } from "../render/drbd-spec";
import { drbdCreateMdScript, drbdUpScript } from "../../components/drbd/scripts";
import { run, tempDir } from "../render/tools";
import { LoopDevices } from "./loop";
import { inSandbox } from "./sandbox";
import { runWithStandIns } from "./stand-ins";

const loops = new LoopDevices();
afterAll(() => loops.release());

function sandboxFor(disk: string): { run: (script: string) => ReturnType<typeof inSandbox> } {
  const conf = renderDrbd(seedDrbdSpec("8.4", disk));
  const dir = tempDir({ "drbd.conf": `global { usage-count no; }\n${conf}` });
  return {
    run: (script) =>
      inSandbox(script, {
        env: { DRBD_DRIVER_VERSION_OVERRIDE: "8.4.11" },
        hostname: "xenamo4",
        prelude: `mount --bind ${path.join(dir, "drbd.conf")} /etc/drbd.conf`,
      }),
  };
}

const spec = (disk: string) => ({ resource: "cluster", version: "8.4" as const, disk, connectTimeout: 5 });
const dumpMd = "drbdadm dump-md cluster 2>/dev/null | grep -v '^#'";

describe("drbdCreateMdScript on real DRBD metadata", () => {
  test("creates metadata on a fresh disk once; the second run leaves it as it was", () => {
    const disk = loops.create(32);
    const box = sandboxFor(disk);
    const first = box.run(`${drbdCreateMdScript(spec(disk), false)}\n${dumpMd} > /tmp/md1`);
    expect(first.stdout + first.stderr).toContain("New drbd meta data block successfully created");
    expect(first.status).toBe(0);
    const second = box.run(
      `${dumpMd} > /tmp/before\n${drbdCreateMdScript(spec(disk), false)}\n${dumpMd} > /tmp/after\ncmp /tmp/before /tmp/after && echo unchanged`,
    );
    expect(second.stdout).toContain("DRBD metadata of cluster: already done");
    expect(second.stdout).toContain("unchanged");
    expect(second.stdout + second.stderr).not.toContain("New drbd meta data block");
  });

  test("refuses a disk that holds a filesystem, and leaves the filesystem intact", () => {
    const disk = loops.create(32);
    expect(run("mkfs.ext4", ["-q", "-L", "precious", disk]).status).toBe(0);
    const r = sandboxFor(disk).run(`${drbdCreateMdScript(spec(disk), false)}`);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`refusing create-md on ${disk}: it holds a ext4 signature`);
    expect(run("blkid", ["-p", "-o", "value", "-s", "LABEL", disk]).stdout.trim()).toBe("precious");
  });

  test("with allowDataLoss it overwrites such a disk", () => {
    const disk = loops.create(32);
    expect(run("mkfs.ext4", ["-q", disk]).status).toBe(0);
    const r = sandboxFor(disk).run(
      `${drbdCreateMdScript(spec(disk), true)}\n${dumpMd} >/dev/null && echo has-md`,
    );
    expect(r.stdout).toContain("has-md");
  });
});

describe("drbdUpScript with a drbdadm that fails the way a loaded host's does", () => {
  const secret = "x1Jh7IoyH7d1bXtOXKWhn29hN3ZllbXl";
  /** A drbdadm whose first `failures` adjusts time out, printing drbdsetup's command line. */
  const drbdadmFailing = (failures: number) => ({
    drbdadm: [
      'n=$(grep -c "^drbdadm adjust" "$LOG")',
      `if [ "$n" -le ${failures} ]; then`,
      `  echo "Command 'drbdsetup-84 connect cluster --cram-hmac-alg=sha1 --shared-secret=${secret}' did not terminate within 5 seconds" >&2`,
      "  exit 20",
      "fi",
    ].join("\n"),
    modprobe: ":",
    sleep: ":",
    "update-rc.d": ":",
  });

  test("retries a timed-out adjust, and never prints the shared secret", () => {
    const r = runWithStandIns(drbdUpScript(spec("/dev/vg1/cluster")), drbdadmFailing(1));
    expect(r.status).toBe(0);
    expect(r.calls.match(/^drbdadm adjust/gm)).toHaveLength(2);
    expect(r.stderr).toContain("--shared-secret=(hidden)");
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  test("gives up after six attempts with a message, still without the secret", () => {
    const r = runWithStandIns(drbdUpScript(spec("/dev/vg1/cluster")), drbdadmFailing(8));
    expect(r.status).toBe(1);
    expect(r.calls.match(/^drbdadm adjust/gm)).toHaveLength(6);
    expect(r.stderr).toContain("drbdadm adjust cluster failed 6 times");
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
