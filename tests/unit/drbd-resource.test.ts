import { DrbdResource, LvmVolume } from "../../components";
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

const peers = () => [
  { host: host("xenamo4", 4), disk: "/dev/vg1/cluster" },
  { host: host("xenamo5", 5), disk: "/dev/vg1/cluster" },
];

describe("DrbdResource", () => {
  test("per peer: global file, secret config, metadata, up; then the initial primary after both", async () => {
    const rec = new Recorder();
    const drbd = new DrbdResource("d", { peers: peers(), initialPrimary: "xenamo4" }, rec.opts);
    expect(
      rec
        .commands()
        .map((c) => c.name)
        .sort(),
    ).toEqual(
      [
        "d-initial-primary",
        ...["xenamo4", "xenamo5"].flatMap((h) => [
          `d-${h}-config`,
          `d-${h}-global`,
          `d-${h}-metadata`,
          `d-${h}-up`,
        ]),
      ].sort(),
    );
    expect(await dependencyNames(rec.named("d-xenamo4-metadata"))).toContain("d-xenamo4-config");
    expect(await dependencyNames(rec.named("d-xenamo4-up"))).toContain("d-xenamo4-metadata");
    expect(await dependencyNames(rec.named("d-initial-primary"))).toEqual(
      expect.arrayContaining(["d-xenamo4-up", "d-xenamo5-up"]),
    );
    expect(await resolve(drbd.device)).toBe("/dev/drbd0");
    expect(await resolve(drbd.resourceName)).toBe("cluster");
    expect(await resolve(drbd.splitBrainRecovery)).toEqual({
      discardOn:
        "drbdadm disconnect 'cluster'; drbdadm secondary 'cluster' && drbdadm connect --discard-my-data 'cluster'",
      keepOn: "drbdadm disconnect 'cluster'; drbdadm connect 'cluster'",
    });
  });

  test("with a fencing policy each peer writes the adapted fence-peer handler before DRBD comes up, and the config names it", async () => {
    const rec = new Recorder();
    new DrbdResource("f", { peers: peers(), fencing: "resource-and-stonith" }, rec.opts);
    for (const h of ["xenamo4", "xenamo5"]) {
      const handler = rec.named(`f-${h}-fence-handler`);
      const { create, delete: remove } = await scripts(handler);
      expect(create).toContain("/usr/lib/drbd/crm-fence-peer.sh");
      expect(create).toContain("/usr/local/lib/xenstorage/drbd/crm-fence-peer.sh");
      expect(remove).toMatch(/rm -f .*\/usr\/local\/lib\/xenstorage\/drbd\/crm-fence-peer\.sh/);
      expect(await dependencyNames(rec.named(`f-${h}-up`))).toContain(`f-${h}-fence-handler`);
    }
    const config = await resolve(rec.named("f-xenamo4-config").props.stdin as string);
    expect(config).toMatch(
      /fence-peer "\/usr\/local\/lib\/xenstorage\/drbd\/crm-fence-peer\.sh --timeout \d{9,} --dc-timeout \d{9,}";/,
    );
    const plain = new Recorder();
    new DrbdResource("n", { peers: peers() }, plain.opts);
    expect(plain.commands().map((c) => c.name)).not.toContain("n-xenamo4-fence-handler");
  });

  test("the shared secret is generated, secret, in the config's stdin and in no command line", async () => {
    const rec = new Recorder();
    const drbd = new DrbdResource("s", { peers: peers() }, rec.opts);
    const config = rec.named("s-xenamo4-config");
    expect(await secret(config.props.stdin)).toBe(true);
    expect(await secret(drbd.sharedSecret)).toBe(true);
    const text = await resolve(config.props.stdin as string);
    const key = await resolve(drbd.sharedSecret);
    expect(key).toMatch(/^MOCKSECRET/);
    expect(text).toContain(`shared-secret "${key}";`);
    expect(text).toContain("protocol C;");
    expect(await commandLines(rec)).not.toContain(key);
    expect(await commandLines(rec)).not.toContain("PRIVATE-KEY");
  });

  test("metadata is created only behind a probe; forced primary only on fresh disks", async () => {
    const rec = new Recorder();
    new DrbdResource("p", { peers: peers(), initialPrimary: "xenamo5" }, rec.opts);
    const md = (await scripts(rec.named("p-xenamo4-metadata"))).create;
    expect(md).toContain("dump-md");
    expect(md).toContain("refusing create-md");
    expect(md).not.toContain("wipefs");
    const primary = rec.named("p-initial-primary");
    expect((primary.props.connection as { host: unknown }).host).toBeDefined();
    const s = (await scripts(primary)).create;
    expect(s).toContain("Inconsistent/Inconsistent) drbdadm primary --force");
    expect(await resolve((primary.props.connection as { host: string }).host)).toBe("192.0.2.5");
  });

  test("no initial primary unless asked", () => {
    const rec = new Recorder();
    new DrbdResource("n", { peers: peers() }, rec.opts);
    expect(rec.names()).not.toContain("n-initial-primary");
  });

  test("delete takes the resource down and keeps metadata by default", async () => {
    const rec = new Recorder();
    new DrbdResource("k", { peers: peers() }, rec.opts);
    const del = (await scripts(rec.named("k-xenamo4-up"))).delete!;
    expect(del).toContain("drbdadm down");
    expect(del).not.toContain("wipe-md");
    const wipe = new Recorder();
    new DrbdResource("w", { peers: peers(), allowDataLoss: true }, wipe.opts);
    expect((await scripts(wipe.named("w-xenamo4-up"))).delete).toContain("wipe-md");
  });

  test("version 0.7 renders the seed's /etc/drbd.conf and its commands", async () => {
    const rec = new Recorder();
    new DrbdResource("o", { peers: peers(), version: "0.7", initialPrimary: "xenamo4" }, rec.opts);
    expect(rec.names()).not.toContain("o-xenamo4-global");
    expect((await scripts(rec.named("o-xenamo4-config"))).create).toContain("/etc/drbd.conf");
    expect((await scripts(rec.named("o-initial-primary"))).create).toContain("--do-what-I-say primary all");
  });

  test("waits for the LvmVolumes it sits on", async () => {
    const rec = new Recorder();
    const volumes = ["xenamo4", "xenamo5"].map(
      (h, i) => new LvmVolume(`lv-${h}`, { host: host(h, 4 + i), physicalVolumes: ["/dev/sdb"], size: "1G" }),
    );
    new DrbdResource(
      "v",
      { peers: volumes.map((v, i) => ({ host: host(["xenamo4", "xenamo5"][i], 4 + i), disk: v })) },
      rec.opts,
    );
    expect(await dependencyNames(rec.named("v-xenamo5-metadata"))).toContain("lv-xenamo5");
  });

  test.each([
    ["peers", { peers: peers().slice(0, 1) }],
    ["peers", { peers: [...peers(), { host: host("xenamo6", 6), disk: "/dev/sdb" }] }],
    ["peers[].host.name", { peers: [peers()[0], { ...peers()[0], host: host("xenamo4", 5) }] }],
    ["peers[].address", { peers: [peers()[0], { ...peers()[1], address: "10.0.0.4" }] }],
    ["peers[1].disk", { peers: [peers()[0], { ...peers()[1], disk: "vg1/cluster" }] }],
    ["peers[0].port", { peers: [{ ...peers()[0], port: 70000 }, peers()[1]] }],
    ["peers[0].port", { peers: [{ ...peers()[0], port: 0 }, peers()[1]] }],
    ["resourceName", { resourceName: "r0;reboot" }],
    ["protocol", { protocol: "D" }],
    ["resyncRate", { resyncRate: "fast" }],
    ["initialPrimary", { initialPrimary: "xenamo9" }],
    ["version", { version: "8.3" }],
    ["splitBrain.afterSb2Pri", { splitBrain: { afterSb2Pri: "discard-secondary" } }],
  ])("refuses a bad %s", (field, override) => {
    expect(() => new DrbdResource("bad", { peers: peers(), ...override } as never)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(`${field} is`) }),
    );
  });

  test("refuses peers whose volumes differ in size", () => {
    const volumes = ["10G", "12G"].map(
      (size, i) =>
        new LvmVolume(`lv${i}`, { host: host(`xenamo${4 + i}`, 4 + i), physicalVolumes: ["/dev/sdb"], size }),
    );
    expect(
      () =>
        new DrbdResource("sizes", {
          peers: volumes.map((v, i) => ({ host: host(`xenamo${4 + i}`, 4 + i), disk: v })),
        }),
    ).toThrow(/peers\[\]\.disk is "10G and 12G"; expected volumes of the same size/);
  });
});
