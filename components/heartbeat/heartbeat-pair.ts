import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Checker } from "../core/checker";
import { DrbdResource } from "../drbd/drbd-resource";
import { GnbdExport } from "../export/gnbd-export";
import { childOf } from "../core/options";
import { Host, RemoteFile, Step, checkHosts } from "../remote";
import { AuthMethod, HeartbeatFlavor, renderAuthkeys, renderHaCf, renderHaresources } from "./render";
import { RhcsCluster } from "../cluster/rhcs-cluster";
import { heartbeatStartScript, heartbeatStopScript } from "./scripts";
import * as rules from "../core/rules";

type Method = AuthMethod["method"];

export interface HeartbeatPairArgs {
  /** The two storage hosts. */
  nodes: Host[];
  /** Node that takes the resources when both are up (first in haresources). Default: the first node. */
  preferredNode?: string;
  /** Virtual IP with prefix length, e.g. `10.0.0.6/24`; must lie in the nodes' cluster network. */
  virtualIp: pulumi.Input<string>;
  /** Interface for the virtual IP and the unicast heartbeats. Default `eth0`. */
  interface?: pulumi.Input<string>;
  /** The DRBD resource that follows the primary role (drbddisk), or its name. */
  drbdResource: pulumi.Input<string> | DrbdResource;
  /** Exports started on the primary after DRBD and before the virtual IP. Default none. */
  exports?: GnbdExport[];
  /** When given, both nodes must be members of this cluster (checked only; it is not waited for). */
  cluster?: RhcsCluster;
  /** Seconds between heartbeats. Default `1`. */
  keepalive?: pulumi.Input<number>;
  /** Seconds before a late heartbeat is logged. Default `5`. */
  warntime?: pulumi.Input<number>;
  /** Seconds of silence before the peer is declared dead and its resources taken over. Default `10`. */
  deadtime?: pulumi.Input<number>;
  /** Seconds to wait for the peer after heartbeat starts. Default `60`. */
  initdead?: pulumi.Input<number>;
  /** UDP port. Default `694`. */
  udpport?: pulumi.Input<number>;
  /** Serial heartbeat link (null-modem cable), e.g. `/dev/ttyS0`. Default: none. */
  serial?: pulumi.Input<string>;
  /** Serial speed. Default `19200`. */
  baud?: pulumi.Input<number>;
  /** Take the resources back when the preferred node returns. Default `false` (the seed's `off`). */
  autoFailback?: boolean;
  /** Watchdog device, e.g. `/dev/watchdog`. Default: none. */
  watchdog?: pulumi.Input<string>;
  /** authkeys: methods listed (key 1, 2, ...) and the one used. Default `{ methods: ["sha1"], active: 1 }`. */
  auth?: { methods?: Method[]; active?: number; allowWeak?: boolean };
  /** The authkeys key. Default: 40 random characters from `@pulumi/random`, kept secret. */
  authKey?: pulumi.Input<string>;
  /** `modern` (default: Heartbeat 3 in v1 mode, IPaddr2 and the export resource) or `2006` (the seed's files). */
  flavor?: HeartbeatFlavor;
}

/** Heartbeat on the two storage hosts: exactly one holds DRBD primary, the export and the virtual IP. */
export class HeartbeatPair extends pulumi.ComponentResource {
  /** The virtual IP (without prefix length). */
  public readonly virtualIp: pulumi.Output<string>;
  /** The node preferred for the resources. */
  public readonly preferredNode: string;
  /** Whether the resources move back to the preferred node. */
  public readonly autoFailback: boolean;
  /** The active authkeys method. */
  public readonly authMethod: Method;
  /** Heartbeat's deadtime and keepalive, in seconds (for policies and drills). */
  public readonly timings: pulumi.Output<{ keepalive: number; deadtime: number }>;

  constructor(name: string, args: HeartbeatPairArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "xenstorage:heartbeat:HeartbeatPair",
      name,
      {
        authMethods: args.auth?.methods ?? ["sha1"],
        autoFailback: args.autoFailback ?? false,
        keepalive: args.keepalive ?? 1,
        deadtime: args.deadtime ?? 10,
      },
      opts,
    );
    const check = new Checker(this, `HeartbeatPair "${name}"`);
    if (!Array.isArray(args.nodes) || args.nodes.length !== 2) {
      check.fail(
        "nodes",
        `${Array.isArray(args.nodes) ? args.nodes.length : "no"} nodes`,
        "exactly two storage hosts",
      );
    }
    const nodes = checkHosts(check, "nodes", args.nodes);
    const names = nodes.map((n) => n.name) as [string, string];
    this.preferredNode = args.preferredNode ?? names[0];
    check.plain("preferredNode", this.preferredNode, (p) =>
      names.includes(p) ? undefined : `one of the nodes (${names.join(", ")})`,
    );
    const ordered: [string, string] = this.preferredNode === names[0] ? names : [names[1], names[0]];
    if (args.cluster !== undefined) {
      names.forEach((n, i) => {
        if (!args.cluster!.nodeNames.includes(n))
          check.fail(
            `nodes[${i}].name`,
            n,
            `a member of the cluster (${args.cluster!.nodeNames.join(", ")})`,
          );
      });
    }
    const flavor = check.plain(
      "flavor",
      args.flavor ?? "modern",
      rules.oneOf<HeartbeatFlavor>("modern", "2006"),
    );
    this.autoFailback = args.autoFailback ?? false;

    const methods = args.auth?.methods ?? ["sha1"];
    methods.forEach((m, i) => {
      check.plain(`auth.methods[${i}]`, m, rules.oneOf<Method>("sha1", "md5", "crc"));
      if (m !== "sha1" && args.auth?.allowWeak !== true) {
        check.fail(
          `auth.methods[${i}]`,
          m,
          "sha1 (crc and md5 are weak; set auth.allowWeak to list them anyway)",
        );
      }
    });
    const active = check.plain("auth.active", args.auth?.active ?? methods.indexOf("sha1") + 1, (a) =>
      Number.isInteger(a) && a >= 1 && a <= methods.length
        ? undefined
        : `a key number from 1 to ${methods.length}`,
    );
    this.authMethod = methods[active - 1];
    if (this.authMethod !== "sha1" && args.auth?.allowWeak !== true)
      check.fail("auth.active", active, "the sha1 key");

    const vip = check.input("virtualIp", args.virtualIp, rules.cidr);
    checkVipInNetwork(check, args.virtualIp, args.nodes);
    const iface = check.optional("interface", args.interface, "eth0", rules.interfaceName);
    checkPlainTimings(check, args);
    const timings = pulumi
      .output({
        keepalive: check.optional("keepalive", args.keepalive, 1, rules.positiveInteger),
        warntime: check.optional("warntime", args.warntime, 5, rules.positiveInteger),
        deadtime: check.optional("deadtime", args.deadtime, 10, rules.positiveInteger),
        initdead: check.optional("initdead", args.initdead, 60, rules.positiveInteger),
      })
      .apply((t) => {
        if (!(t.keepalive < t.warntime && t.warntime < t.deadtime && t.deadtime <= t.initdead)) {
          check.fail(
            "keepalive/warntime/deadtime/initdead",
            t,
            "keepalive < warntime < deadtime <= initdead",
          );
        }
        return t;
      });
    this.timings = timings.apply((t) => ({ keepalive: t.keepalive, deadtime: t.deadtime }));

    const drbdName =
      args.drbdResource instanceof DrbdResource
        ? args.drbdResource.resourceName
        : check.input("drbdResource", args.drbdResource, rules.objectName);
    const exportResources = (args.exports ?? [])
      .map((e) => e.haResource)
      .filter((r): r is pulumi.Output<string> => r !== undefined);
    const haresources = pulumi
      .all([vip, iface, drbdName, pulumi.all(exportResources)])
      .apply(([v, i, drbd, exports]) =>
        renderHaresources(
          this.preferredNode,
          flavor === "2006"
            ? [v, `drbddisk::${drbd}`, `IPaddr::${v}/${i}`]
            : [`drbddisk::${drbd}`, ...exports, `IPaddr2::${v}/${i}`],
        ),
      );
    const key = pulumi.secret(
      args.authKey ??
        new random.RandomPassword(`${name}-authkey`, { length: 40, special: false }, { parent: this }).result,
    );
    const authkeys = check
      .secret("authKey", key, rules.singleLine)
      .apply((k) => renderAuthkeys({ methods, active, key: k }));
    const common = pulumi.output({
      udpport: check.optional("udpport", args.udpport, 694, rules.port),
      serial: args.serial === undefined ? undefined : check.input("serial", args.serial, rules.absolutePath),
      baud: check.optional("baud", args.baud, 19200, rules.positiveInteger),
      watchdog:
        args.watchdog === undefined ? undefined : check.input("watchdog", args.watchdog, rules.absolutePath),
      iface,
      timings,
    });
    const upstream = [
      ...(args.drbdResource instanceof DrbdResource ? [args.drbdResource] : []),
      ...(args.exports ?? []),
    ];

    nodes.forEach((host, i) => {
      const n = `${name}-${host.name}`;
      const deps = childOf(this, opts?.dependsOn, ...upstream);
      const haCf = pulumi.all([common, nodes[1 - i].clusterAddress]).apply(([c, peerAddress]) =>
        renderHaCf({
          flavor,
          ...c.timings,
          udpport: c.udpport,
          serial: c.serial,
          baud: c.baud,
          interface: c.iface,
          peerAddress,
          autoFailback: this.autoFailback,
          watchdog: c.watchdog,
          nodes: ordered,
        }),
      );
      const files = [
        new RemoteFile(`${n}-ha-cf`, { host, path: "/etc/ha.d/ha.cf", content: haCf }, deps),
        new RemoteFile(
          `${n}-haresources`,
          { host, path: "/etc/ha.d/haresources", content: haresources },
          deps,
        ),
        new RemoteFile(
          `${n}-authkeys`,
          { host, path: "/etc/ha.d/authkeys", content: authkeys, secret: true, mode: "0600" },
          deps,
        ),
      ];
      new Step(
        `${n}-start`,
        {
          host,
          create: heartbeatStartScript(),
          delete: heartbeatStopScript(),
          rerunOn: files.map((f) => f.contentHash),
        },
        childOf(this, opts?.dependsOn, ...upstream, ...files),
      );
    });

    this.virtualIp = vip.apply((v) => v.split("/")[0]);
    this.registerOutputs({ virtualIp: this.virtualIp, preferredNode: this.preferredNode });
  }
}

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** True when `address` lies in `cidr`'s network. */
export function inNetwork(address: string, cidr: string): boolean {
  const [net, prefix] = cidr.split("/");
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(ipToNumber(address) / size) === Math.floor(ipToNumber(net) / size);
}

/** With plain values: the VIP must be in the nodes' cluster network and must not be a node's own address. */
function checkVipInNetwork(check: Checker, vip: pulumi.Input<string>, nodes: Host[]): void {
  if (typeof vip !== "string" || rules.cidr(vip) !== undefined) return;
  const address = vip.split("/")[0];
  nodes.forEach((node, i) => {
    const own = node.clusterAddress;
    if (typeof own !== "string") return;
    if (own === address)
      check.fail("virtualIp", vip, `an address that no node owns (${node.name} has ${own})`);
    if (!inNetwork(own, vip))
      check.fail("virtualIp", vip, `an address in the storage network of nodes[${i}] (${own})`);
  });
}

/** With plain values, the timing order is checked at construction too. */
function checkPlainTimings(check: Checker, args: HeartbeatPairArgs): void {
  const t = {
    keepalive: args.keepalive ?? 1,
    warntime: args.warntime ?? 5,
    deadtime: args.deadtime ?? 10,
    initdead: args.initdead ?? 60,
  };
  if (Object.values(t).every((v) => typeof v === "number")) {
    const { keepalive, warntime, deadtime, initdead } = t as Record<string, number>;
    Object.entries(t).forEach(([k, v]) => check.plain(k, v as number, rules.positiveInteger));
    if (!(keepalive < warntime && warntime < deadtime && deadtime <= initdead)) {
      check.fail("keepalive/warntime/deadtime/initdead", t, "keepalive < warntime < deadtime <= initdead");
    }
  }
}
