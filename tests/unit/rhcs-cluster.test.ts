import { RhcsCluster } from "../../components";
import {
  Recorder,
  commandLines,
  dependencyNames,
  host,
  installMocks,
  resolve,
  scripts,
  secret,
} from "./harness";

beforeAll(installMocks);

const nodes = () => [1, 2, 3, 4, 5].map((n) => host(`xenamo${n}`, n));

describe("RhcsCluster (pacemaker)", () => {
  test("corosync.conf and a secret authkey on every node, started, then cluster properties", async () => {
    const rec = new Recorder();
    const cluster = new RhcsCluster(
      "c",
      {
        nodes: nodes(),
        fencing: {
          devices: [
            {
              name: "ipmi",
              agent: "fence_ipmilan",
              parameters: { ip: "192.0.2.100", password: "IPMI-PASSWORD" },
            },
          ],
        },
      },
      rec.opts,
    );
    for (let n = 1; n <= 5; n++) {
      const conf = await resolve(rec.named(`c-xenamo${n}-corosync-conf`).props.stdin as string);
      expect(conf).toContain("cluster_name: xencluster");
      expect(conf).toContain(`ring0_addr: 10.0.0.${n}`);
      expect(await secret(rec.named(`c-xenamo${n}-corosync-authkey`).props.stdin)).toBe(true);
      expect(await dependencyNames(rec.named(`c-xenamo${n}-start`))).toEqual(
        expect.arrayContaining([`c-xenamo${n}-corosync-conf`, `c-xenamo${n}-corosync-authkey`]),
      );
    }
    const props = rec.named("c-properties");
    expect(await dependencyNames(props)).toEqual(
      expect.arrayContaining([1, 2, 3, 4, 5].map((n) => `c-xenamo${n}-start`)),
    );
    expect((await scripts(props)).create).toContain("stonith-enabled --update true");
    expect(await secret(props.props.stdin)).toBe(true);
    expect(await resolve(props.props.stdin as string)).toContain('name="password" value="IPMI-PASSWORD"');
    expect(await commandLines(rec)).not.toContain("IPMI-PASSWORD");
    expect(cluster.fencingEnabled).toBe(true);
    expect(cluster.nodeNames).toEqual(["xenamo1", "xenamo2", "xenamo3", "xenamo4", "xenamo5"]);
  });

  test("without fence devices, fencing is disabled explicitly", async () => {
    const rec = new Recorder();
    const cluster = new RhcsCluster("nf", { nodes: nodes() }, rec.opts);
    expect(cluster.fencingEnabled).toBe(false);
    expect((await scripts(rec.named("nf-properties"))).create).toContain("stonith-enabled --update false");
  });

  test("watchdog fencing: sbd on every node, a stonith-watchdog-timeout of twice its timeout, and a minority that resets itself", async () => {
    const rec = new Recorder();
    const cluster = new RhcsCluster(
      "wd",
      { nodes: nodes(), fencing: { watchdog: { timeout: 7 } } },
      rec.opts,
    );
    expect(cluster.fencingEnabled).toBe(true);
    const sbd = await resolve(rec.named("wd-xenamo4-sbd-config").props.stdin as string);
    expect(sbd).toMatch(/^SBD_WATCHDOG_TIMEOUT=7$/m);
    expect(sbd).toMatch(/^SBD_PACEMAKER=yes$/m);
    const create = (await scripts(rec.named("wd-properties"))).create;
    expect(create).toContain("stonith-watchdog-timeout --update 14");
    expect(create).toMatch(/no-quorum-policy --update [\\']*suicide/);
  });

  test.each([
    ["nodes[].name", { nodes: [host("xenamo1", 1), host("xenamo1", 2)] }],
    ["nodes[].clusterAddress", { nodes: [host("xenamo1", 1), host("xenamo2", 1)] }],
    ["nodes", { nodes: [] }],
    ["nodes[0].clusterAddress", { nodes: [host("xenamo1", 1, { clusterAddress: "10.0.0.300" })] }],
    ["clusterName", { clusterName: "a-very-long-cluster-name" }],
    ["stack", { stack: "heartbeat" }],
    ["fencing.devices[].agent", { fencing: { devices: [{ name: "human", agent: "fence_manual" }] } }],
    ["fencing.devices[0].agent", { fencing: { devices: [{ name: "x", agent: "ipmitool" }] } }],
    [
      "fencing.devices[0].hosts[0]",
      { fencing: { devices: [{ name: "x", agent: "fence_ipmilan", hosts: ["xenamo9"] }] } },
    ],
  ])("refuses a bad %s", (field, override) => {
    expect(() => new RhcsCluster("bad", { nodes: nodes(), ...override } as never)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`${field} is`) }),
    );
  });
});

describe("RhcsCluster (cman, the 2006 flavor)", () => {
  test("the seed's files on every node, then the rc ordering", async () => {
    const rec = new Recorder();
    new RhcsCluster(
      "m",
      { nodes: nodes(), stack: "cman", fencing: { devices: [{ name: "human", agent: "fence_manual" }] } },
      rec.opts,
    );
    const conf = await resolve(rec.named("m-xenamo3-cluster-conf").props.stdin as string);
    expect(conf).toContain('<fencedevice name="human" agent="fence_manual"/>');
    expect(await resolve(rec.named("m-xenamo3-modules").props.stdin as string)).toBe(
      "dm-mod\ngfs\nlock_dlm\n",
    );
    const rc = rec.named("m-xenamo3-rc-order");
    expect((await scripts(rc)).create).toContain("update-rc.d '\\''ccsd'\\'' defaults 71 52");
    expect(await dependencyNames(rc)).toEqual(
      expect.arrayContaining([
        "m-xenamo3-cluster-conf",
        "m-xenamo3-sysconfig",
        "m-xenamo3-clvmd-init",
        "m-xenamo3-modules",
      ]),
    );
  });

  test("needs a fence device", () => {
    expect(() => new RhcsCluster("m", { nodes: nodes(), stack: "cman" })).toThrow(
      /fencing\.devices is "\[\]"/,
    );
  });
});
