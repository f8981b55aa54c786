import { DrbdResource, GnbdExport } from "../../components";
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
        /\n10\.0\.0\.1\n10\.0\.0\.2\n$/,
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

  test("nothing starts nbd-server on create: Heartbeat does, on the primary", async () => {
    const rec = new Recorder();
    new GnbdExport("n", base(), rec.opts);
    const reserve = await scripts(rec.named("n-xenamo4-reserve"));
    expect(reserve.create).toMatch(/if .*status.*then.*stop.*start.*else/);
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
