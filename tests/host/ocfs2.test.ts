/** Ocfs2Client's format and mount guards against real blkid/mkfs on loop devices. */
import { formatScript, mountScript } from "../../components/ocfs2/scripts";
import { run } from "../render/tools";
import { LoopDevices } from "./loop";
import { inSandbox } from "./sandbox";

const loops = new LoopDevices();
afterAll(() => loops.release());

const spec = (device: string) => ({ device, label: "xenstore", slots: 3, clusterName: "xencluster" });

describe("formatScript", () => {
  test("refuses a device holding another filesystem and leaves it intact", () => {
    const disk = loops.create(64);
    expect(run("mkfs.ext4", ["-q", "-L", "precious", disk]).status).toBe(0);
    const r = inSandbox(formatScript(spec(disk)));
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`refusing to format ${disk}: it holds a ext4 filesystem`);
    expect(run("blkid", ["-p", "-o", "value", "-s", "LABEL", disk]).stdout.trim()).toBe("precious");
  });

  test("leaves an existing OCFS2 volume alone (formats exactly once)", () => {
    const disk = loops.create(64);
    run("sh", ["-c", `echo y | mkfs.ocfs2 -F -q -L existing -N 3 ${disk}`]);
    expect(run("blkid", ["-p", "-o", "value", "-s", "TYPE", disk]).stdout.trim()).toBe("ocfs2");
    const r = inSandbox(formatScript(spec(disk)));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("already holds OCFS2; not formatting");
    expect(run("blkid", ["-p", "-o", "value", "-s", "LABEL", disk]).stdout.trim()).toBe("existing");
  });
});

describe("mountScript", () => {
  test("does not mount a device that carries no OCFS2, and says why", () => {
    const disk = loops.create(16);
    const r = inSandbox(
      mountScript({ device: disk, mountPoint: "/mnt/xenstorage-test", options: "_netdev", formatTimeout: 2 }),
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("carries no OCFS2; exactly one client must have format: true");
  });
});
