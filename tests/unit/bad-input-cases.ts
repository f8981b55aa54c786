/**
 * The bad configurations of the safety table (tests/unit/bad-input.test.ts): each row builds
 * something a real tool, or the parts together, would refuse. Shared with the plain-node run
 * of the Output rows (output-refusals.ts).
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
import { host } from "./harness";

const storage = () => [host("xenamo4", 4), host("xenamo5", 5)];
const xen = () => [1, 2, 3].map((n) => host(`xenamo${n}`, n));
const clusterArgs = (): XenStorageClusterArgs => ({
  storageHosts: storage(),
  xenNodes: xen(),
  lvm: { physicalVolumes: ["/dev/hda3"], size: "10G" },
  heartbeat: { virtualIp: "10.0.0.6/24" },
});

export type Case = [label: string, build: () => unknown, field: string, value: string, allowed: RegExp];

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

export const cases: Case[] = [
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
    /\/dev\/drbd followed by a minor/,
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

const out = pulumi.output;
const peersWith = (a: object, b: object = {}) =>
  drbd({
    peers: [
      { host: storage()[0], disk: "/dev/sdb", ...a },
      { host: storage()[1], disk: "/dev/sdb", ...b },
    ],
  });

const many = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    host(`xen${i}`, i + 1, { clusterAddress: `10.1.${i >> 8}.${i & 255}` }),
  );

/** Limits the tools themselves enforce (the source of each is named beside its rule). */
const toolLimitCases: Case[] = [
  ["DRBD resync rate over 4G", drbd({ resyncRate: "5G" }), "resyncRate", '"5G"', /from 1 \(KiB\/s\) to 4G/],
  [
    "DRBD resync rate in bytes",
    drbd({ resyncRate: "5MB" }),
    "resyncRate",
    '"5MB"',
    /from 1 \(KiB\/s\) to 4G/,
  ],
  [
    "DRBD degr-wfc-timeout over 300000 s",
    drbd({ degrWfcTimeout: 300001 }),
    "degrWfcTimeout",
    "300001",
    /from 0 to 300000/,
  ],
  [
    "DRBD minor over 2^20-1",
    peersWith({ device: "/dev/drbd1048576" }, { device: "/dev/drbd1048576" }),
    "peers[0].device",
    '"/dev/drbd1048576"',
    /minor number from 0 to 1048575/,
  ],
  [
    "DRBD device by name",
    peersWith({ device: "/dev/drbd_cluster" }, { device: "/dev/drbd_cluster" }),
    "peers[0].device",
    '"/dev/drbd_cluster"',
    /\/dev\/drbd followed by a minor/,
  ],
  [
    "LV named snapshot",
    lvm({ name: "snapshot" }),
    "name",
    '"snapshot"',
    /LVM does not reserve \(it reserves "snapshot"\)/,
  ],
  ["LV name starting with pvmove", lvm({ name: "pvmove0" }), "name", '"pvmove0"', /reserves "pvmove"/],
  [
    "LV name with an internal suffix",
    lvm({ name: "data_rimage_0" }),
    "name",
    '"data_rimage_0"',
    /reserves "_rimage"/,
  ],
  [
    "VG and LV whose device-mapper name is over 127 characters",
    lvm({ volumeGroup: "v-".repeat(31) + "g", name: "l-".repeat(31) + "v" }),
    "volumeGroup/name",
    "v-v-",
    /device-mapper name .* at most 127 characters/,
  ],
  [
    "the device-mapper control node as the import",
    client({ device: "/dev/mapper/control" }),
    "device",
    '"/dev/mapper/control"',
    /other than control/,
  ],
  ["256 OCFS2 slots", client({ slots: 256 }), "slots", "256", /from 1 to 255/],
  [
    "256 OCFS2 nodes",
    () =>
      new Ocfs2Client("c", {
        host: many(256)[0],
        nodes: many(256),
        export: { address: "10.0.0.6", exportName: "ocfscluster" },
      }),
    "nodes",
    '"256 nodes"',
    /at most 255 nodes/,
  ],
  [
    "OCFS2 cluster name with a hyphen (o2cb)",
    client({ clusterName: "xen-cluster" }),
    "clusterName",
    '"xen-cluster"',
    /letters and digits \(o2cb\)/,
  ],
  ["o2cb port 65535", client({ o2cbPort: 65535 }), "o2cbPort", "65535", /from 1 to 65534/],
  [
    "deadtime not over 2 x keepalive",
    heartbeat({ keepalive: 2, warntime: 3, deadtime: 4, initdead: 60 }),
    "keepalive/warntime/deadtime/initdead",
    '"deadtime":4',
    /deadtime > 2 x keepalive/,
  ],
  [
    "initdead under deadtime",
    heartbeat({ deadtime: 30, initdead: 20 }),
    "keepalive/warntime/deadtime/initdead",
    '"initdead":20',
    /deadtime <= initdead/,
  ],
  [
    "a baud rate Heartbeat does not know",
    heartbeat({ serial: "/dev/ttyS0", baud: 14400 }),
    "baud",
    "14400",
    /one of 9600, 19200/,
  ],
  [
    "no-quorum-policy suspend",
    cluster({ noQuorumPolicy: "suspend" }),
    "noQuorumPolicy",
    '"suspend"',
    /one of "stop", "freeze", "ignore", "demote", "suicide"/,
  ],
  [
    "watchdog fencing with no-quorum-policy stop",
    cluster({ fencing: { watchdog: {} }, noQuorumPolicy: "stop" }),
    "noQuorumPolicy",
    '"stop"',
    /"suicide" with watchdog fencing/,
  ],
  ["corosync token under 30 ms", cluster({ tokenMs: 20 }), "tokenMs", "20", /from 30 to/],
  [
    "knet node ID over 65535",
    cluster({ nodeIds: [1, 2, 3, 4, 70000] }),
    "nodeIds[4]",
    "70000",
    /from 1 to 65535/,
  ],
  [
    "NBD export named generic",
    exported({ exportName: "generic" }),
    "exportName",
    '"generic"',
    /other than generic/,
  ],
];

/** Addresses and ports: what would bind, route or listen somewhere else than meant. */
const addressCases: Case[] = [
  [
    "VIP that is its network's address",
    heartbeat({ virtualIp: "10.0.0.0/24" }),
    "virtualIp",
    '"10.0.0.0/24"',
    /network or broadcast/,
  ],
  [
    "VIP that is its network's broadcast",
    heartbeat({ virtualIp: "10.0.0.255/24" }),
    "virtualIp",
    '"10.0.0.255/24"',
    /network or broadcast/,
  ],
  ["VIP on loopback", heartbeat({ virtualIp: "127.0.0.6/8" }), "virtualIp", '"127.0.0.6/8"', /loopback/],
  [
    "VIP that a Xen node owns",
    stack({ heartbeat: { virtualIp: "10.0.0.1/24" } }),
    "heartbeat.virtualIp",
    '"10.0.0.1/24"',
    /no host owns \(xenamo1 has 10.0.0.1\)/,
  ],
  [
    "VIP that is a storage host's management address",
    stack({ heartbeat: { virtualIp: "192.0.2.5/24" } }),
    "heartbeat.virtualIp",
    '"192.0.2.5/24"',
    /no host owns \(xenamo5 has 192.0.2.5\)/,
  ],
  [
    "loopback cluster address",
    cluster({ nodes: [host("xenamo1", 1, { clusterAddress: "127.0.0.1" })] }),
    "nodes[0].clusterAddress",
    '"127.0.0.1"',
    /loopback/,
  ],
  ["DRBD peer on 0.0.0.0", peersWith({ address: "0.0.0.0" }), "peers[0].address", '"0.0.0.0"', /not 0.x/],
  [
    "export client on loopback",
    exported({ allowedClients: ["127.0.0.2"] }),
    "allowedClients[0]",
    '"127.0.0.2"',
    /loopback/,
  ],
  [
    "multicast cluster address",
    cluster({ nodes: [host("xenamo1", 1, { clusterAddress: "239.1.1.1" })] }),
    "nodes[0].clusterAddress",
    '"239.1.1.1"',
    /multicast/,
  ],
  ["DRBD on sshd's port", peersWith({ port: 22 }), "peers[0].port", "22", /sshd does not use on xenamo4/],
  [
    "NBD export on a storage host's SSH port",
    exported({ hosts: [host("xenamo4", 4), host("xenamo5", 5, { port: 2222 })], port: 2222 }),
    "port",
    "2222",
    /sshd does not use on xenamo5/,
  ],
  ["o2cb on sshd's port", client({ o2cbPort: 22 }), "o2cbPort", "22", /sshd does not use on xenamo1/],
];

/**
 * Checks where the values are Outputs: refused when they resolve. The second column is the
 * text a command would carry had the value got through.
 */
export const outputCases: [
  label: string,
  carried: string,
  build: () => unknown,
  field: string,
  value: string,
  allowed: RegExp,
][] = [
  [
    "DRBD peers on one address:port, as Outputs",
    "10.0.0.9",
    peersWith({ address: out("10.0.0.9") }, { address: out("10.0.0.9") }),
    "peers[].address",
    '"10.0.0.9:7788"',
    /different address:port/,
  ],
  [
    "VIP outside the storage network, as an Output",
    "10.1.0.6",
    heartbeat({ virtualIp: out("10.1.0.6/24") }),
    "virtualIp",
    '"10.1.0.6/24"',
    /storage network/,
  ],
  [
    "VIP that a node owns, as an Output",
    "10.0.0.5/24",
    heartbeat({ virtualIp: out("10.0.0.5/24") }),
    "virtualIp",
    '"10.0.0.5/24"',
    /no node owns/,
  ],
  [
    "VIP that a Xen node owns, as an Output",
    "10.0.0.2/24",
    stack({ heartbeat: { virtualIp: out("10.0.0.2/24") } }),
    "heartbeat.virtualIp",
    '"10.0.0.2/24"',
    /no host owns/,
  ],
  [
    "duplicate cluster addresses, as Outputs",
    "10.0.0.9",
    cluster({ nodes: [1, 2].map((n) => host(`xenamo${n}`, n, { clusterAddress: out("10.0.0.9") })) }),
    "nodes[].clusterAddress",
    '"10.0.0.9"',
    /each value once/,
  ],
  [
    "peers of different sizes, as Outputs",
    "drbdadm",
    twoVolumes(out("10G") as never, out("12G") as never),
    "peers[].disk",
    '"10737418240 and 12884901888"',
    /same size/,
  ],
  [
    "DRBD on sshd's port, as an Output",
    "10.0.0.4:22",
    peersWith({ port: out(22) }),
    "peers[0].port",
    "22",
    /sshd does not use/,
  ],
  [
    "loopback VIP, as an Output",
    "127.0.0.1",
    exported({ virtualIp: out("127.0.0.1") }),
    "virtualIp",
    '"127.0.0.1"',
    /loopback/,
  ],
];

/** Values of the wrong type (what a JavaScript caller or a stack file can pass). */
const typeCases: Case[] = [
  [
    "autoFailback as the text off",
    heartbeat({ autoFailback: "off" }),
    "autoFailback",
    '"off"',
    /true or false/,
  ],
  ["allowDataLoss as the text yes", lvm({ allowDataLoss: "yes" }), "allowDataLoss", '"yes"', /true or false/],
  ["format as the text true", client({ format: "true" }), "format", '"true"', /true or false/],
  ["deadtime as text", heartbeat({ deadtime: "30" }), "deadtime", '"30"', /positive whole number/],
  ["a null host", cluster({ nodes: [host("xenamo1", 1), null] }), "nodes[1]", "null", /host object/],
];

/** Parts that contradict each other. */
const contradictionCases: Case[] = [
  [
    "a physical volume that is a DRBD device",
    lvm({ physicalVolumes: ["/dev/drbd0"] }),
    "physicalVolumes[0]",
    '"/dev/drbd0"',
    /not a DRBD device/,
  ],
  [
    "a DRBD disk that is a DRBD device",
    peersWith({ disk: "/dev/drbd/by-res/cluster/0" }),
    "peers[0].disk",
    '"/dev/drbd/by-res/cluster/0"',
    /not a DRBD device/,
  ],
  [
    "a DRBD device that is no DRBD device",
    peersWith({ device: "/dev/sdb" }, { device: "/dev/sdb" }),
    "peers[0].device",
    '"/dev/sdb"',
    /\/dev\/drbd followed by a minor/,
  ],
  [
    "two DRBD minors for one export",
    peersWith({ device: "/dev/drbd0" }, { device: "/dev/drbd1" }),
    "peers[].device",
    '"/dev/drbd0 and /dev/drbd1"',
    /same DRBD device on both peers/,
  ],
  [
    "a fence parameter name with a space",
    cluster({
      fencing: { devices: [{ name: "ipmi", agent: "fence_ipmilan", parameters: { "pass word": "x" } }] },
    }),
    "fencing.devices[0].parameters",
    '["pass word"]',
    /parameter names of letters/,
  ],
  [
    "a fence parameter that the library sets",
    cluster({
      fencing: { devices: [{ name: "ipmi", agent: "fence_ipmilan", parameters: { pcmk_host_list: "x" } }] },
    }),
    "fencing.devices[0].parameters",
    '["pcmk_host_list"]',
    /without pcmk_host_list/,
  ],
  [
    "a fence parameter value with a line break",
    cluster({
      fencing: { devices: [{ name: "ipmi", agent: "fence_ipmilan", parameters: { password: "a\nb" } }] },
    }),
    "fencing.devices[0].parameters",
    '["password"]',
    /one-line text values/,
  ],
  [
    "the 2006 flavor with an NBD export",
    stack({ flavor: "2006", export: { protocol: "nbd" } }),
    "export.protocol",
    '"nbd"',
    /"gnbd" in the 2006 flavor/,
  ],
  [
    "a 2006 Heartbeat serving an NBD export",
    heartbeat({
      flavor: "2006",
      auth: { methods: ["sha1"] },
      exports: [{ protocol: "nbd", haResource: pulumi.output("xenstorage-nbd::x") }],
    }),
    "exports[0].protocol",
    '"nbd"',
    /"gnbd" in the 2006 flavor/,
  ],
  [
    "the pacemaker engine without a cluster",
    heartbeat({ engine: "pacemaker" }),
    "engine",
    '"pacemaker"',
    /"heartbeat" without a cluster/,
  ],
  [
    "the pacemaker engine on a cluster that does not fence",
    heartbeat({ engine: "pacemaker", cluster: { nodeNames: ["xenamo4", "xenamo5"], fencingEnabled: false } }),
    "engine",
    '"pacemaker"',
    /a pair without fencing can have two primaries/,
  ],
  [
    "the pacemaker engine in the 2006 flavor",
    heartbeat({ engine: "pacemaker", flavor: "2006", auth: { methods: ["sha1"] } }),
    "engine",
    '"pacemaker"',
    /"heartbeat" in the 2006 flavor/,
  ],
  [
    "watchdog fencing in the cman stack",
    cluster({
      stack: "cman",
      fencing: { devices: [{ name: "human", agent: "fence_manual" }], watchdog: {} },
    }),
    "fencing.watchdog",
    '"set"',
    /no watchdog in the cman stack/,
  ],
  [
    "a fencing policy for DRBD 0.7",
    drbd({ version: "0.7", fencing: "resource-and-stonith" }),
    "fencing",
    '"resource-and-stonith"',
    /"dont-care" with DRBD 0.7/,
  ],
];

cases.push(...toolLimitCases, ...addressCases, ...typeCases, ...contradictionCases);
