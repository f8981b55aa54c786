import { DrbdResource, GnbdExport, HeartbeatPair, RhcsCluster } from "../../components";
import { Recorder, commandLines, dependencyNames, host, installMocks, resolve, secret } from "./harness";

beforeAll(installMocks);

const nodes = () => [host("xenamo4", 4), host("xenamo5", 5)];
const base = () => ({ nodes: nodes(), virtualIp: "10.0.0.6/24", drbdResource: "cluster" });

describe("HeartbeatPair", () => {
  test("ha.cf per node names the peer; haresources starts drbddisk, the export, then the VIP", async () => {
    const rec = new Recorder();
    const exp = new GnbdExport("e", { hosts: nodes(), device: "/dev/drbd0", virtualIp: "10.0.0.6/24" });
    const hb = new HeartbeatPair("h", { ...base(), exports: [exp] }, rec.opts);
    const haCf = await resolve(rec.named("h-xenamo4-ha-cf").props.stdin as string);
    expect(haCf).toContain("ucast eth0 10.0.0.5\n");
    expect(haCf).toContain("deadtime 10\n");
    expect(haCf).toContain("auto_failback off\n");
    expect(haCf).toContain("crm no\n");
    expect(await resolve(rec.named("h-xenamo5-ha-cf").props.stdin as string)).toContain(
      "ucast eth0 10.0.0.4\n",
    );
    expect(await resolve(rec.named("h-xenamo4-haresources").props.stdin as string)).toBe(
      "xenamo4 drbddisk::cluster xenstorage-nbd::ocfscluster xenstorage-ip::10.0.0.6/24/eth0\n",
    );
    expect(await resolve(hb.virtualIp)).toBe("10.0.0.6");
    expect(await dependencyNames(rec.named("h-xenamo4-start"))).toEqual(
      expect.arrayContaining(["e", "h-xenamo4-ha-cf", "h-xenamo4-haresources", "h-xenamo4-authkeys"]),
    );
  });

  test("authkeys: sha1 with a generated secret key, mode 0600, never on a command line", async () => {
    const rec = new Recorder();
    new HeartbeatPair("a", base(), rec.opts);
    const authkeys = rec.named("a-xenamo4-authkeys");
    expect(await secret(authkeys.props.stdin)).toBe(true);
    const text = await resolve(authkeys.props.stdin as string);
    expect(text).toMatch(/^auth 1\n1 sha1 MOCKSECRET\w+\n$/);
    const lines = await commandLines(rec);
    expect(lines).toContain("chmod '\\''0600'\\''");
    expect(lines).not.toContain(text.split(" ").pop()!.trim());
  });

  test("the preferred node comes first in haresources", async () => {
    const rec = new Recorder();
    new HeartbeatPair("p", { ...base(), preferredNode: "xenamo5" }, rec.opts);
    expect(await resolve(rec.named("p-xenamo4-haresources").props.stdin as string)).toMatch(/^xenamo5 /);
  });

  test("weak auth only when explicitly allowed", async () => {
    expect(() => new HeartbeatPair("w", { ...base(), auth: { methods: ["crc"] } })).toThrow(
      /auth\.methods\[0\] is "crc"/,
    );
    expect(() => new HeartbeatPair("w", { ...base(), auth: { methods: ["sha1", "md5"] } })).toThrow(
      /auth\.methods\[1\] is "md5"/,
    );
    const rec = new Recorder();
    new HeartbeatPair(
      "w",
      { ...base(), auth: { methods: ["crc", "sha1", "md5"], active: 2, allowWeak: true } },
      rec.opts,
    );
    expect(await resolve(rec.named("w-xenamo4-authkeys").props.stdin as string)).toMatch(
      /^auth 2\n1 crc\n2 sha1 \w+\n3 md5 \w+\n$/,
    );
  });

  test("a node that is not a cluster member is refused", () => {
    const cluster = new RhcsCluster("c", { nodes: [host("xenamo1", 1), host("xenamo4", 4)] });
    expect(() => new HeartbeatPair("m", { ...base(), cluster })).toThrow(
      /nodes\[1\]\.name is "xenamo5"; expected a member of the cluster/,
    );
  });

  test("waits for DRBD when given the resource", async () => {
    const rec = new Recorder();
    const drbd = new DrbdResource("d", { peers: nodes().map((h) => ({ host: h, disk: "/dev/sdb" })) });
    new HeartbeatPair("x", { ...base(), drbdResource: drbd }, rec.opts);
    expect(await dependencyNames(rec.named("x-xenamo5-start"))).toContain("d");
  });

  test.each([
    ["virtualIp", { virtualIp: "10.0.0.300/24" }],
    ["virtualIp", { virtualIp: "10.0.0.6/33" }],
    ["virtualIp", { virtualIp: "10.0.0.6" }],
    ["virtualIp", { virtualIp: "10.1.0.6/24" }],
    ["virtualIp", { virtualIp: "10.0.0.4/24" }],
    ["nodes", { nodes: [host("xenamo4", 4)] }],
    ["nodes[].name", { nodes: [host("xenamo4", 4), host("xenamo4", 5)] }],
    ["preferredNode", { preferredNode: "xenamo1" }],
    ["keepalive/warntime/deadtime/initdead", { deadtime: 3 }],
    ["keepalive/warntime/deadtime/initdead", { initdead: 5 }],
    ["interface", { interface: "eth0 10.0.0.9" }],
    ["serial", { serial: "ttyS0" }],
    ["drbdResource", { drbdResource: "`reboot`" }],
    ["flavor", { flavor: "1999" }],
    ["udpport", { udpport: 70000 }],
  ])("refuses a bad %s", (field, override) => {
    expect(() => new HeartbeatPair("bad", { ...base(), ...override } as never)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`${field} is`) }),
    );
  });
});
