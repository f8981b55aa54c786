import { DrbdResource, GnbdExport, GnbdExportArgs } from "../../components";
import { Recorder, dependencyNames, host, installMocks, resolve, scripts } from "./harness";

beforeAll(installMocks);

const hosts = () => [host("xenamo4", 4), host("xenamo5", 5)];
const base = () => ({ hosts: hosts(), device: "/dev/drbd0", virtualIp: "10.0.0.6/24" });

describe("GnbdExport (nbd)", () => {
  test("nbd-server config, allow list and the Heartbeat resource script on both hosts", async () => {
    const rec = new Recorder();
    const exp = new GnbdExport("e", { ...base(), allowedClients: ["10.0.0.1", "10.0.0.2"] }, rec.opts);
    for (const h of ["xenamo4", "xenamo5"]) {
      const conf = await resolve(rec.named(`e-${h}-nbd-conf`).props.stdin as string);
      expect(conf).toContain("[ocfscluster]\n\texportname = /dev/drbd0\n");
      expect(conf).toContain("authfile = /etc/xenstorage/nbd/ocfscluster.allow");
      expect(await resolve(rec.named(`e-${h}-nbd-allow`).props.stdin as string)).toMatch(
        /\n::ffff:10\.0\.0\.1\n::ffff:10\.0\.0\.2\n$/,
      );
      expect((await scripts(rec.named(`e-${h}-ha-resource`))).create).toContain(
        "/etc/ha.d/resource.d/xenstorage-nbd",
      );
      expect(await dependencyNames(rec.named(`e-${h}-reserve`))).toEqual(
        expect.arrayContaining([`e-${h}-nbd-conf`, `e-${h}-nbd-allow`, `e-${h}-ha-resource`]),
      );
    }
    expect(await resolve(exp.address)).toBe("10.0.0.6");
    expect(await resolve(exp.exportName)).toBe("ocfscluster");
    expect(await resolve(exp.port)).toBe(10809);
    expect(await resolve(exp.haResource)).toBe("xenstorage-nbd::ocfscluster");
  });

  test("nbd-server runs on both hosts from boot (its unit, enabled by the serve step); Heartbeat only serves the export", async () => {
    const rec = new Recorder();
    new GnbdExport("n", base(), rec.opts);
    for (const h of ["xenamo4", "xenamo5"]) {
      const unit = await resolve(rec.named(`n-${h}-nbd-unit`).props.stdin as string);
      expect(unit).toContain("ExecStart=/bin/nbd-server -C /etc/xenstorage/nbd/ocfscluster.conf");
      expect(unit).toContain("WantedBy=multi-user.target");
      const serve = await scripts(rec.named(`n-${h}-reserve`));
      expect(serve.create).toMatch(/systemctl enable --no-reload \W*xenstorage-nbd-ocfscluster\.service/);
      expect(serve.create).toMatch(/resource\.d\/xenstorage-nbd \W*ocfscluster\W* restart/);
      expect(serve.delete).toMatch(/systemctl disable --now \W*xenstorage-nbd-ocfscluster\.service/);
    }
  });

  test("a changed allow list re-serves nothing (nbd-server reads it at each connection); a changed configuration does", async () => {
    const serve = async (args: Partial<GnbdExportArgs>) => {
      const rec = new Recorder();
      new GnbdExport("a", { ...base(), ...args }, rec.opts);
      return (await scripts(rec.named("a-xenamo4-reserve"))).update;
    };
    const before = await serve({ allowedClients: ["10.0.0.1"] });
    expect(await serve({ allowedClients: ["10.0.0.1", "10.0.0.2"] })).toBe(before);
    expect(await serve({ allowedClients: ["10.0.0.1"], port: 10810 })).not.toBe(before);
  });

  test("takes the device from a DrbdResource and waits for it", async () => {
    const rec = new Recorder();
    const drbd = new DrbdResource("d", {
      peers: hosts().map((h) => ({ host: h, disk: "/dev/sdb" })),
      resourceName: "r1",
    });
    new GnbdExport("x", { ...base(), device: drbd }, rec.opts);
    expect(await dependencyNames(rec.named("x-xenamo4-nbd-conf"))).toContain("d");
  });
});

describe("GnbdExport (gnbd, the 2006 flavor)", () => {
  test("the seed's drbddisk with gnbd_export on both hosts, and no separate Heartbeat resource", async () => {
    const rec = new Recorder();
    const exp = new GnbdExport("g", { ...base(), protocol: "gnbd" }, rec.opts);
    const text = await resolve(rec.named("g-xenamo5-drbddisk").props.stdin as string);
    expect(text).toContain("gnbd_export -e ocfscluster -d /dev/drbd0");
    expect(exp.haResource).toBeUndefined();
  });
});

test.each([
  ["exportName", { exportName: "ocfs/cluster" }],
  ["exportName", { exportName: "" }],
  ["device", { device: "drbd0" }],
  ["device", { device: "/dev/drbd0\nreboot" }],
  ["virtualIp", { virtualIp: "10.0.0.256" }],
  ["port", { port: 0 }],
  ["protocol", { protocol: "iscsi" }],
  ["allowedClients[0]", { allowedClients: ["everyone"] }],
  ["hosts[].name", { hosts: [host("xenamo4", 4), host("xenamo4", 5)] }],
])("GnbdExport refuses a bad %s", (field, override) => {
  expect(() => new GnbdExport("bad", { ...base(), ...override } as never)).toThrow(
    expect.objectContaining({ message: expect.stringContaining(`${field} is`) }),
  );
});
