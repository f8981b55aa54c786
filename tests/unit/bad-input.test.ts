/**
 * The safety table: bad configurations, each refused at construction (so nothing reaches
 * a host) by a pulumi.ResourceError that names the field, shows the value and says what is
 * allowed.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  DrbdResource,
  GnbdExport,
  HeartbeatPair,
  LvmVolume,
  Ocfs2Client,
  RhcsCluster,
} from "../../components";
import { XenStorageCluster, XenStorageClusterArgs } from "../../stacks";
import { host, installMocks } from "./harness";

beforeAll(installMocks);

const storage = () => [host("xenamo4", 4), host("xenamo5", 5)];
const xen = () => [1, 2, 3].map((n) => host(`xenamo${n}`, n));
const clusterArgs = (): XenStorageClusterArgs => ({
  storageHosts: storage(),
  xenNodes: xen(),
  lvm: { physicalVolumes: ["/dev/hda3"], size: "10G" },
  heartbeat: { virtualIp: "10.0.0.6/24" },
});

type Case = [label: string, build: () => unknown, field: string, value: string, allowed: RegExp];

const lvm = (o: object) => () =>
  new LvmVolume("lv", { host: host("xenamo4", 4), physicalVolumes: ["/dev/hda3"], size: "10G", ...o });
const drbd = (o: object) => () =>
  new DrbdResource("drbd", { peers: storage().map((h) => ({ host: h, disk: "/dev/vg1/cluster" })), ...o });
const heartbeat = (o: object) => () =>
  new HeartbeatPair("hb", { nodes: storage(), virtualIp: "10.0.0.6/24", drbdResource: "cluster", ...o });
const exported = (o: object) => () =>
  new GnbdExport("exp", { hosts: storage(), device: "/dev/drbd0", virtualIp: "10.0.0.6", ...o });
const client = (o: object) => () =>
  new Ocfs2Client("c", {
    host: xen()[0],
    nodes: xen(),
    export: { address: "10.0.0.6", exportName: "ocfscluster" },
    ...o,
  });
const cluster = (o: object) => () => new RhcsCluster("rc", { nodes: [...xen(), ...storage()], ...o });
const stack = (o: Partial<XenStorageClusterArgs>) => () =>
  new XenStorageCluster("x", { ...clusterArgs(), ...o });
const twoVolumes = (a: string, b: string) => () => {
  const [v4, v5] = [a, b].map(
    (size, i) => new LvmVolume(`v${i}`, { host: storage()[i], physicalVolumes: ["/dev/sdb"], size }),
  );
  return new DrbdResource("d", {
    peers: [
      { host: storage()[0], disk: v4 },
      { host: storage()[1], disk: v5 },
    ],
  });
};
const twoFormatters = () => {
  const exp = new GnbdExport("e", { hosts: storage(), device: "/dev/drbd0", virtualIp: "10.0.0.6" });
  new Ocfs2Client("first", { host: xen()[0], nodes: xen(), export: exp, format: true });
  return new Ocfs2Client("second", { host: xen()[1], nodes: xen(), export: exp, format: true });
};

const SIZE = /positive size/;
const IP = /IPv4 address/;
const PORT = /port from 1 to 65535/;
const NAME = /letters, digits/;
const PATH = /absolute path/;

const cases: Case[] = [
  ["LV size with a B", lvm({ size: "10GB" }), "size", '"10GB"', SIZE],
  ["negative LV size", lvm({ size: "-1G" }), "size", '"-1G"', SIZE],
  ["LV size zero", lvm({ size: "0" }), "size", '"0"', SIZE],
  ["empty LV size", lvm({ size: "" }), "size", '""', SIZE],
  ["LV size 0G", lvm({ size: "0G" }), "size", '"0G"', SIZE],
  ["relative PV", lvm({ physicalVolumes: ["hda3"] }), "physicalVolumes[0]", '"hda3"', PATH],
  [
    "PV with ..",
    lvm({ physicalVolumes: ["/dev/../etc/passwd"] }),
    "physicalVolumes[0]",
    '"/dev/../etc/passwd"',
    PATH,
  ],
  ["VG with ;", lvm({ volumeGroup: "vg1;reboot" }), "volumeGroup", '"vg1;reboot"', NAME],
  ["LV name with $()", lvm({ name: "$(reboot)" }), "name", '"$(reboot)"', NAME],
  ["LV name with a backtick", lvm({ name: "`id`" }), "name", '"`id`"', NAME],
  ["peers of different sizes", twoVolumes("10G", "12G"), "peers[].disk", '"10G and 12G"', /same size/],
  [
    "one DRBD peer",
    drbd({
      peers: storage()
        .slice(0, 1)
        .map((h) => ({ host: h, disk: "/dev/sdb" })),
    }),
    "peers",
    '"1 peers"',
    /exactly two/,
  ],
  [
    "three DRBD peers",
    drbd({ peers: [...storage(), host("xenamo6", 6)].map((h) => ({ host: h, disk: "/dev/sdb" })) }),
    "peers",
    '"3 peers"',
    /exactly two/,
  ],
  [
    "DRBD peers on one host",
    drbd({ peers: [storage()[0], storage()[0]].map((h) => ({ host: h, disk: "/dev/sdb" })) }),
    "peers[].host.name",
    '"xenamo4"',
    /each value once/,
  ],
  [
    "DRBD address 10.0.0.300",
    drbd({
      peers: [
        { host: storage()[0], disk: "/dev/sdb", address: "10.0.0.300" },
        { host: storage()[1], disk: "/dev/sdb" },
      ],
    }),
    "peers[0].address",
    '"10.0.0.300"',
    IP,
  ],
  [
    "DRBD port 0",
    drbd({
      peers: [
        { host: storage()[0], disk: "/dev/sdb", port: 0 },
        { host: storage()[1], disk: "/dev/sdb" },
      ],
    }),
    "peers[0].port",
    "0",
    PORT,
  ],
  [
    "DRBD port 70000",
    drbd({
      peers: [
        { host: storage()[0], disk: "/dev/sdb", port: 70000 },
        { host: storage()[1], disk: "/dev/sdb" },
      ],
    }),
    "peers[0].port",
    "70000",
    PORT,
  ],
  [
    "DRBD peers on the same address:port",
    drbd({
      peers: [
        { host: storage()[0], disk: "/dev/sdb" },
        { host: storage()[1], disk: "/dev/sdb", address: "10.0.0.4" },
      ],
    }),
    "peers[].address",
    '"10.0.0.4:7788"',
    /different address:port/,
  ],
  [
    "relative DRBD disk",
    drbd({
      peers: [
        { host: storage()[0], disk: "vg1/cluster" },
        { host: storage()[1], disk: "/dev/sdb" },
      ],
    }),
    "peers[0].disk",
    '"vg1/cluster"',
    PATH,
  ],
  [
    "DRBD device with a newline",
    drbd({
      peers: [
        { host: storage()[0], disk: "/dev/sdb", device: "/dev/drbd0\nreboot" },
        { host: storage()[1], disk: "/dev/sdb" },
      ],
    }),
    "peers[0].device",
    '"/dev/drbd0\\nreboot"',
    PATH,
  ],
  ["DRBD resource with a quote", drbd({ resourceName: "r'0" }), "resourceName", `"r'0"`, NAME],
  [
    "CIDR /33",
    heartbeat({ virtualIp: "10.0.0.6/33" }),
    "virtualIp",
    '"10.0.0.6/33"',
    /prefix length of 1 to 32/,
  ],
  [
    "VIP 10.0.0.300",
    heartbeat({ virtualIp: "10.0.0.300/24" }),
    "virtualIp",
    '"10.0.0.300/24"',
    /prefix length/,
  ],
  [
    "VIP outside the storage network",
    heartbeat({ virtualIp: "10.1.0.6/24" }),
    "virtualIp",
    '"10.1.0.6/24"',
    /storage network/,
  ],
  [
    "VIP that a node owns",
    heartbeat({ virtualIp: "10.0.0.5/24" }),
    "virtualIp",
    '"10.0.0.5/24"',
    /no node owns/,
  ],
  [
    "Heartbeat node missing from the cluster",
    () => heartbeat({ cluster: new RhcsCluster("c1", { nodes: [...xen(), storage()[0]] }) })(),
    "nodes[1].name",
    '"xenamo5"',
    /member of the cluster/,
  ],
  ["Heartbeat udpport 70000", heartbeat({ udpport: 70000 }), "udpport", "70000", PORT],
  ["Heartbeat crc auth", heartbeat({ auth: { methods: ["crc"] } }), "auth.methods[0]", '"crc"', /sha1/],
  [
    "deadtime under warntime",
    heartbeat({ deadtime: 4 }),
    "keepalive/warntime/deadtime/initdead",
    '"deadtime":4',
    /keepalive < warntime < deadtime <= initdead/,
  ],
  ["interface with a space", heartbeat({ interface: "eth0 up" }), "interface", '"eth0 up"', /interface name/],
  [
    "export name with a slash",
    exported({ exportName: "ocfs/cluster" }),
    "exportName",
    '"ocfs/cluster"',
    NAME,
  ],
  ["export port 0", exported({ port: 0 }), "port", "0", PORT],
  ["export device not absolute", exported({ device: "drbd0" }), "device", '"drbd0"', PATH],
  [
    "export client 256.1.1.1",
    exported({ allowedClients: ["256.1.1.1"] }),
    "allowedClients[0]",
    '"256.1.1.1"',
    IP,
  ],
  ["OCFS2 slots below the clients", client({ slots: 2 }), "slots", "2", /at least the number of nodes \(3\)/],
  ["two clients set to format", twoFormatters, "format", "true", /exactly one client/],
  ["mount point not absolute", client({ mountPoint: "srv/xen" }), "mountPoint", '"srv/xen"', PATH],
  [
    "mount options with ;",
    client({ mountOptions: "_netdev;reboot" }),
    "mountOptions",
    '"_netdev;reboot"',
    /comma-separated mount options/,
  ],
  ["OCFS2 label with $()", client({ format: true, label: "$(id)" }), "label", '"$(id)"', NAME],
  [
    "client not among the nodes",
    client({ host: host("xenamo9", 9) }),
    "host.name",
    '"xenamo9"',
    /one of nodes/,
  ],
  [
    "duplicate node names",
    cluster({ nodes: [host("xenamo1", 1), host("xenamo1", 2)] }),
    "nodes[].name",
    '"xenamo1"',
    /each value once/,
  ],
  [
    "duplicate cluster addresses",
    cluster({ nodes: [host("xenamo1", 1), host("xenamo2", 1)] }),
    "nodes[].clusterAddress",
    '"10.0.0.1"',
    /each value once/,
  ],
  ["duplicate node numbers", cluster({ nodeIds: [1, 2, 3, 4, 1] }), "nodeIds", "1", /each value once/],
  [
    "node name with a dot",
    cluster({ nodes: [host("xenamo1.lab", 1)] }),
    "nodes[0].name",
    '"xenamo1.lab"',
    /host name/,
  ],
  [
    "node name with a NUL",
    cluster({ nodes: [host("xen\0amo", 1)] }),
    "nodes[0].name",
    '"xen\\u0000amo"',
    /host name/,
  ],
  [
    "SSH port 70000",
    cluster({ nodes: [host("xenamo1", 1, { port: 70000 })] }),
    "nodes[0].port",
    "70000",
    PORT,
  ],
  [
    "management address with $()",
    cluster({ nodes: [host("xenamo1", 1, { address: "$(reboot)" })] }),
    "nodes[0].address",
    '"$(reboot)"',
    /IPv4 address or a DNS host name/,
  ],
  [
    "SSH user with a space",
    cluster({ nodes: [host("xenamo1", 1, { user: "root -o x" })] }),
    "nodes[0].user",
    '"root -o x"',
    /user name/,
  ],
  [
    "fence_manual under pacemaker",
    cluster({ fencing: { devices: [{ name: "human", agent: "fence_manual" }] } }),
    "fencing.devices[].agent",
    '"fence_manual"',
    /pacemaker fence agent/,
  ],
  ["same TCP port for DRBD and NBD", stack({ drbd: { port: 10809 } }), "export.port", "10809", /DRBD/],
  [
    "Heartbeat on corosync's UDP port",
    stack({ heartbeat: { virtualIp: "10.0.0.6/24", udpport: 5405 } }),
    "heartbeat.udpport",
    "5405",
    /corosync/,
  ],
  [
    "format node that is not a Xen node",
    stack({ ocfs2: { formatNode: "xenamo4" } }),
    "ocfs2.formatNode",
    '"xenamo4"',
    /one of the Xen nodes/,
  ],
];

test("the table has at least 40 bad configurations", () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
});

test.each(cases)(
  "%s: refused at construction, naming field, value and what is allowed",
  (_label, build, field, value, allowed) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(pulumi.ResourceError);
    const message = (error as Error).message;
    expect(message).toContain(`${field} is `);
    expect(message).toContain(value);
    expect(message).toMatch(allowed);
  },
);
