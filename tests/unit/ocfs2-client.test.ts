import { GnbdExport, Ocfs2Client } from "../../components";
import { Recorder, dependencyNames, host, installMocks, resolve, scripts } from "./harness";

beforeAll(installMocks);

const nodes = () => [1, 2, 3].map((n) => host(`xenamo${n}`, n));
const endpoint = { address: "10.0.0.6", exportName: "ocfscluster" };
const base = () => ({ host: nodes()[0], nodes: nodes(), export: endpoint });

describe("Ocfs2Client", () => {
  test("imports, configures o2cb, formats (designated node only) and mounts, in that order", async () => {
    const rec = new Recorder();
    const client = new Ocfs2Client("c", { ...base(), format: true }, rec.opts);
    expect(
      rec
        .commands()
        .map((c) => c.name)
        .sort(),
    ).toEqual(
      [
        "c-cluster-conf",
        "c-format",
        "c-fstab",
        "c-import",
        "c-mount",
        "c-nbd-import-daemon",
        "c-nbd-import-settings",
        "c-nbd-import-unit",
        "c-o2cb",
        "c-o2cb-defaults",
      ].sort(),
    );
    const unit = await resolve(rec.named("c-nbd-import-unit").props.stdin as string);
    expect(unit).toContain(
      "ExecStart=/usr/local/sbin/xenstorage-nbd-import ocfscluster xenstorage-ocfscluster\n",
    );
    const settings = rec.named("c-nbd-import-settings");
    expect((await scripts(settings)).create).toContain("/etc/xenstorage/nbd-import/ocfscluster.conf");
    expect(await resolve(settings.props.stdin as string)).toMatch(
      /^server=10\.0\.0\.6\nport=10809\ntimeout=10\n$/m,
    );
    const imported = rec.named("c-import");
    expect(await dependencyNames(imported)).toEqual(
      expect.arrayContaining(["c-nbd-import-daemon", "c-nbd-import-unit", "c-nbd-import-settings"]),
    );
    expect((await scripts(imported)).create).toContain("xenstorage-nbd-import-ocfscluster.service");
    expect((await scripts(imported)).delete).toContain("dmsetup remove '\\''xenstorage-ocfscluster'\\''");
    const conf = await resolve(rec.named("c-cluster-conf").props.stdin as string);
    expect(conf).toContain("\tnode_count = 3\n");
    expect(conf).toContain("\tip_address = 10.0.0.3\n\tnumber = 2\n\tname = xenamo3\n");
    const format = rec.named("c-format");
    expect(await dependencyNames(format)).toEqual(expect.arrayContaining(["c-import", "c-o2cb"]));
    const f = (await scripts(format)).create;
    expect(f).toContain("mkfs.ocfs2");
    expect(f).toContain("refusing to format");
    expect(f).not.toMatch(/mkfs\.ocfs2 [^\n]*-F/);
    expect(await dependencyNames(rec.named("c-mount"))).toEqual(
      expect.arrayContaining(["c-import", "c-o2cb", "c-format", "c-fstab"]),
    );
    expect(await resolve(rec.named("c-fstab").props.stdin as string)).toBe(
      "/dev/mapper/xenstorage-ocfscluster /srv/xen ocfs2 _netdev,noatime 0 0\n",
    );
    expect(await resolve(client.mountPoint)).toBe("/srv/xen");
  });

  test("a non-formatting client has no format step and mounts after the formatter's", async () => {
    const first = new Ocfs2Client("f", { ...base(), format: true });
    const rec = new Recorder();
    new Ocfs2Client("o", { ...base(), host: nodes()[1], formattedBy: first }, rec.opts);
    expect(rec.names()).not.toContain("o-format");
    expect(await dependencyNames(rec.named("o-mount"))).toContain("f-format");
  });

  test("delete unmounts and disconnects, and never touches the filesystem", async () => {
    const rec = new Recorder();
    new Ocfs2Client("d", { ...base(), format: true }, rec.opts);
    const all = await Promise.all(rec.commands().map(async (c) => (await scripts(c)).delete ?? ""));
    expect(all.join("\n")).not.toMatch(/mkfs|wipefs|dd /);
    expect((await scripts(rec.named("d-mount"))).delete).toContain("umount");
    expect((await scripts(rec.named("d-import"))).delete).toContain("nbd-client -d");
  });

  test("takes the export from a GnbdExport and waits for it", async () => {
    const exp = new GnbdExport("e", {
      hosts: [host("xenamo4", 4), host("xenamo5", 5)],
      device: "/dev/drbd0",
      virtualIp: "10.0.0.6/24",
    });
    const rec = new Recorder();
    new Ocfs2Client("g", { ...base(), export: exp }, rec.opts);
    expect(await dependencyNames(rec.named("g-import"))).toContain("e");
    expect(await dependencyNames(rec.named("g-nbd-import-unit"))).toContain("e");
    // written before the export re-serves on a changed port, so that the clients follow at once
    expect(await dependencyNames(rec.named("g-nbd-import-settings"))).not.toContain("e");
  });

  test.each([
    ["host.name", { host: host("xenamo9", 9) }],
    ["nodes[].name", { nodes: [...nodes(), host("xenamo1", 7)] }],
    ["slots", { slots: 2 }],
    ["mountPoint", { mountPoint: "srv/xen" }],
    ["mountOptions", { mountOptions: "defaults;reboot" }],
    ["device", { device: "/dev/nbd0 /dev/sda" }],
    ["device", { device: "/dev/nbd0" }],
    ["export.exportName", { export: { ...endpoint, exportName: "a/b" } }],
    ["export.address", { export: { ...endpoint, address: "10.0.0" } }],
    ["clusterName", { clusterName: "cluster name" }],
    ["label", { label: "$(id)", format: true }],
  ])("refuses a bad %s", (field, override) => {
    expect(() => new Ocfs2Client("bad", { ...base(), ...override } as never)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`${field} is`) }),
    );
  });
});
