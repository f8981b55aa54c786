import * as pulumi from "@pulumi/pulumi";
import { LvmVolume } from "../../components";
import { Recorder, dependencyNames, host, installMocks, resolve, scripts } from "./harness";

beforeAll(installMocks);

const base = { host: host("xenamo4", 4), physicalVolumes: ["/dev/hda3"], size: "10G" };

describe("LvmVolume", () => {
  test("one idempotent step that creates only what is missing, and the device path", async () => {
    const rec = new Recorder();
    const lv = new LvmVolume("lv", base, rec.opts);
    expect(rec.commands().map((c) => c.name)).toEqual(["lv-volume"]);
    const s = await scripts(rec.named("lv-volume"));
    expect(s.create).toContain("pvcreate");
    expect(s.create).toContain("vgs '\\''vg1'\\''");
    expect(s.create).toContain("lvcreate");
    expect(s.create).toContain("refusing to shrink");
    expect(s.create).toContain("want=10737418240");
    expect(await resolve(lv.devicePath)).toBe("/dev/vg1/cluster");
  });

  test("delete keeps the volume unless allowDataLoss is set", async () => {
    const keep = new Recorder();
    new LvmVolume("keep", base, keep.opts);
    const keepDelete = (await scripts(keep.named("keep-volume"))).delete!;
    expect(keepDelete).toContain("keeping");
    expect(keepDelete).not.toContain("lvremove");

    const wipe = new Recorder();
    new LvmVolume("wipe", { ...base, allowDataLoss: true }, wipe.opts);
    expect((await scripts(wipe.named("wipe-volume"))).delete).toContain("lvremove");
  });

  test("writes the lvm.conf filter before touching volumes, only when asked", async () => {
    const rec = new Recorder();
    new LvmVolume("f", { ...base, rejectDevices: ["/dev/vdb"] }, rec.opts);
    const filter = rec.named("f-lvm-filter");
    expect(await resolve(filter.props.stdin as string)).toContain('"r|^/dev/vdb$|"');
    expect(await dependencyNames(rec.named("f-volume"))).toContain("f-lvm-filter");

    const none = new Recorder();
    new LvmVolume("n", base, none.opts);
    expect(none.names()).not.toContain("n-lvm-filter");
  });

  test("connects with the host's key as a secret", async () => {
    const rec = new Recorder();
    new LvmVolume("s", base, rec.opts);
    const connection = rec.named("s-volume").props.connection as { privateKey: pulumi.Output<string> };
    expect(await pulumi.isSecret(connection.privateKey)).toBe(true);
  });

  test.each([
    ["size", { size: "10GB" }],
    ["size", { size: "-1G" }],
    ["size", { size: "0" }],
    ["size", { size: "" }],
    ["physicalVolumes[0]", { physicalVolumes: ["hda3"] }],
    ["physicalVolumes", { physicalVolumes: [] }],
    ["volumeGroup", { volumeGroup: "vg1; rm -rf /" }],
    ["name", { name: "a/b" }],
    ["host.name", { host: host("bad name", 4) }],
    ["host.address", { host: host("xenamo4", 4, { address: "$(reboot)" }) }],
  ])("refuses a bad %s at construction", (field, override) => {
    expect(() => new LvmVolume("bad", { ...base, ...override } as never)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`${field} is`) }),
    );
  });
});
