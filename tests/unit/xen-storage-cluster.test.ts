import * as pulumi from "@pulumi/pulumi";
import { XenStorageCluster, clusterArgsFromConfig } from "../../stacks";
import { Recorder, commandLines, dependencyNames, installMocks, resolve, secret } from "./harness";
import { loadStackConfig } from "./stack-config";

beforeAll(installMocks);

function build(
  stack: string,
  extra: Record<string, unknown> = {},
): { rec: Recorder; cluster: XenStorageCluster } {
  loadStackConfig(stack, { "xen-storage:sshPrivateKey": "PRIVATE-KEY-DO-NOT-LEAK", ...extra });
  const rec = new Recorder();
  const cluster = new XenStorageCluster(
    "xenamo",
    clusterArgsFromConfig(new pulumi.Config("xen-storage")),
    rec.opts,
  );
  return { rec, cluster };
}

const hostOf = async (rec: Recorder, name: string) =>
  resolve((rec.named(name).props.connection as { host: pulumi.Input<string> }).host);

describe("the xenamo stack (dev)", () => {
  test("builds every part for the five hosts of the seed", async () => {
    const { rec, cluster } = build("dev");
    const components = rec.registered
      .filter((r) => /^xenstorage:(?!stack)/.test(r.type))
      .map((r) => `${r.type} ${r.name}`);
    expect(components.sort()).toEqual(
      [
        "xenstorage:lvm:LvmVolume xenamo-lvm-xenamo4",
        "xenstorage:lvm:LvmVolume xenamo-lvm-xenamo5",
        "xenstorage:drbd:DrbdResource xenamo-drbd",
        "xenstorage:cluster:RhcsCluster xenamo-cluster",
        "xenstorage:export:GnbdExport xenamo-export",
        "xenstorage:heartbeat:HeartbeatPair xenamo-heartbeat",
        "xenstorage:ocfs2:Ocfs2Client xenamo-ocfs2-xenamo1",
        "xenstorage:ocfs2:Ocfs2Client xenamo-ocfs2-xenamo2",
        "xenstorage:ocfs2:Ocfs2Client xenamo-ocfs2-xenamo3",
      ].sort(),
    );
    const hosts = new Set(
      await Promise.all(rec.commands().map((c) => resolve((c.props.connection as { host: string }).host))),
    );
    expect([...hosts].sort()).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]);
    expect(await resolve(cluster.heartbeat.virtualIp)).toBe("10.0.0.6");
    expect(cluster.clientNames).toEqual(["xenamo1", "xenamo2", "xenamo3"]);
  });

  test("follows the seed's order where a part needs the one before", async () => {
    const { rec } = build("dev");
    expect(await dependencyNames(rec.named("xenamo-drbd-xenamo4-metadata"))).toContain("xenamo-lvm-xenamo4");
    expect(await dependencyNames(rec.named("xenamo-export-xenamo4-nbd-conf"))).toContain("xenamo-drbd");
    expect(await dependencyNames(rec.named("xenamo-heartbeat-xenamo4-start"))).toEqual(
      expect.arrayContaining(["xenamo-drbd", "xenamo-export"]),
    );
    expect(await dependencyNames(rec.named("xenamo-ocfs2-xenamo2-import"))).toEqual(
      expect.arrayContaining(["xenamo-heartbeat", "xenamo-export"]),
    );
    // The import's settings go first: a re-served export then finds its clients' new port.
    const settings = await dependencyNames(rec.named("xenamo-ocfs2-xenamo2-nbd-import-settings"));
    expect(settings).not.toContain("xenamo-heartbeat");
    expect(settings).not.toContain("xenamo-export");
    expect(await dependencyNames(rec.named("xenamo-ocfs2-xenamo3-mount"))).toContain(
      "xenamo-ocfs2-xenamo1-format",
    );
  });

  test("exactly one client formats, on the Xen node that was asked", async () => {
    const { rec } = build("dev", { "xen-storage:ocfs2": { formatNode: "xenamo2" } });
    expect(rec.names().filter((n) => n.endsWith("-format"))).toEqual(["xenamo-ocfs2-xenamo2-format"]);
    expect(await hostOf(rec, "xenamo-ocfs2-xenamo2-format")).toBe("10.0.0.2");
  });

  test("the storage hosts run DRBD, Heartbeat and the export; the Xen nodes only the clients", async () => {
    const { rec } = build("dev");
    for (const c of rec.commands()) {
      const address = await resolve((c.props.connection as { host: string }).host);
      if (/-(drbd|heartbeat|export|lvm)-/.test(c.name)) expect(["10.0.0.4", "10.0.0.5"]).toContain(address);
      if (/-ocfs2-/.test(c.name)) expect(["10.0.0.1", "10.0.0.2", "10.0.0.3"]).toContain(address);
    }
  });

  test("no secret on any command line; every secret file goes through secret stdin", async () => {
    const { rec, cluster } = build("dev");
    const lines = await commandLines(rec);
    expect(lines).not.toContain("PRIVATE-KEY-DO-NOT-LEAK");
    expect(lines).not.toContain(await resolve(cluster.drbd.sharedSecret));
    expect(lines).not.toMatch(/MOCKSECRET|MOCKBYTES/);
    for (const name of [
      "drbd-xenamo4-config",
      "heartbeat-xenamo5-authkeys",
      "cluster-xenamo1-corosync-authkey",
    ]) {
      expect(await secret(rec.named(`xenamo-${name}`).props.stdin)).toBe(true);
    }
  });

  test("refuses a format node that is not a Xen node", () => {
    expect(() => build("dev", { "xen-storage:ocfs2": { formatNode: "xenamo4" } })).toThrow(
      /ocfs2\.formatNode is "xenamo4"/,
    );
  });
});

describe("the xenamo stack (dev-2006)", () => {
  test("uses the seed's parts: DRBD 0.7, cman with fence_manual, GNBD, the seed's Heartbeat files", async () => {
    const { rec, cluster } = build("dev-2006");
    expect(cluster.cluster.stack).toBe("cman");
    expect(cluster.export.protocol).toBe("gnbd");
    expect(await resolve(rec.named("xenamo-drbd-xenamo4-config").props.stdin as string)).toContain(
      "incon-degr-cmd",
    );
    expect(await resolve(rec.named("xenamo-heartbeat-xenamo4-haresources").props.stdin as string)).toBe(
      "xenamo4 10.0.0.6/24 drbddisk::cluster IPaddr::10.0.0.6/24/eth0\n",
    );
    expect(rec.names()).toContain("xenamo-export-xenamo5-drbddisk");
    expect(await dependencyNames(rec.named("xenamo-heartbeat-xenamo4-start"))).toContain("xenamo-cluster");
  });
});

describe("index.ts, the program pulumi runs", () => {
  test("reads the dev stack's config and exports where the clients find the storage", async () => {
    loadStackConfig("dev", { "xen-storage:sshPrivateKey": "KEY" });
    let program: Record<string, unknown> = {};
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program runs when loaded
      program = require("../../index");
    });
    expect(await resolve(program.virtualIp as pulumi.Output<string>)).toBe("10.0.0.6");
    expect(await resolve(program.exportName as pulumi.Output<string>)).toBe("ocfscluster");
    expect(await resolve(program.drbdDevice as pulumi.Output<string>)).toBe("/dev/drbd0");
    expect(program.preferredNode).toBe("xenamo4");
    expect(program.fencingEnabled).toBe(false);
    const mounts = program.mounts as Record<string, pulumi.Output<string>>;
    expect(Object.keys(mounts)).toEqual(["xenamo1", "xenamo2", "xenamo3"]);
    expect(await resolve(mounts.xenamo2)).toBe("/srv/xen");
  });
});
