/**
 * LvmVolume's script against real LVM metadata on loop devices. Activation is off (this
 * machine has no device-mapper), which LVM allows for everything the script does.
 */
import * as fs from "fs";
import { LvmScriptSpec, lvmDeleteScript, lvmEnsureScript } from "../../components/lvm/scripts";
import { run, tempDir } from "../render/tools";
import { LoopDevices } from "./loop";
import { inSandbox } from "./sandbox";

const loops = new LoopDevices();
afterAll(() => loops.release());

const lvmDir = tempDir({
  "lvm.conf": `${fs.readFileSync("/etc/lvm/lvm.conf", "utf8")}\nglobal { activation = 0 }\n`,
});
const env = { LVM_SYSTEM_DIR: lvmDir, LVM_SUPPRESS_FD_WARNINGS: "1" };
const MiB = 1024 * 1024;

function lvSize(lv: string): string {
  return run("lvs", ["--noheadings", "--nosuffix", "--units", "b", "-o", "lv_size", lv], {
    env,
  }).stdout.trim();
}

describe("lvmEnsureScript on real LVM", () => {
  test("creates PV, VG and LV; re-runs change nothing; grows; refuses to shrink", () => {
    const pv = loops.create(64);
    const spec: LvmScriptSpec = {
      physicalVolumes: [pv],
      volumeGroup: "xstest1",
      name: "cluster",
      sizeBytes: 16 * MiB,
    };
    const first = inSandbox(lvmEnsureScript(spec), { env });
    expect(first.stderr).not.toMatch(/refusing/);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("/dev/xstest1/cluster");
    expect(lvSize("xstest1/cluster")).toBe(String(16 * MiB));

    const again = inSandbox(lvmEnsureScript(spec), { env });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("volume group xstest1: already done");
    expect(lvSize("xstest1/cluster")).toBe(String(16 * MiB));

    expect(inSandbox(lvmEnsureScript({ ...spec, sizeBytes: 32 * MiB }), { env }).status).toBe(0);
    expect(lvSize("xstest1/cluster")).toBe(String(32 * MiB));

    const shrink = inSandbox(lvmEnsureScript({ ...spec, sizeBytes: 16 * MiB }), { env });
    expect(shrink.status).toBe(4);
    expect(shrink.stderr).toContain("refusing to shrink xstest1/cluster");
    expect(lvSize("xstest1/cluster")).toBe(String(32 * MiB));

    const keep = inSandbox(lvmDeleteScript(spec, false), { env });
    expect(keep.status).toBe(0);
    expect(lvSize("xstest1/cluster")).toBe(String(32 * MiB));
    expect(inSandbox(lvmDeleteScript(spec, true), { env }).status).toBe(0);
    expect(run("vgs", ["xstest1"], { env }).status).not.toBe(0);
  });

  test("refuses pvcreate on a device that holds a filesystem, and leaves it intact", () => {
    const disk = loops.create(16);
    expect(run("mkfs.ext4", ["-q", "-L", "precious", disk]).status).toBe(0);
    const r = inSandbox(
      lvmEnsureScript({
        physicalVolumes: [disk],
        volumeGroup: "xstest2",
        name: "cluster",
        sizeBytes: 8 * MiB,
      }),
      { env },
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`refusing pvcreate on ${disk}: it holds a ext4 signature`);
    expect(run("blkid", ["-p", "-o", "value", "-s", "LABEL", disk]).stdout.trim()).toBe("precious");
  });
});
