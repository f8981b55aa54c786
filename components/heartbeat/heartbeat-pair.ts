import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Checker } from "../core/checker";
import { childOf } from "../core/options";
import {
  ClusterMembership,
  ClusterResource,
  HA_RESOURCE_DIR,
  OCF_AGENT_DIR,
  ReplicatedDevice,
  ServedExport,
  asDependency,
  isPart,
} from "../core/parts";
import * as rules from "../core/rules";
import { CheckedHost, Host, RemoteFile, Step, checkHosts } from "../remote";
import { heartbeat2006, seedExportProtocol } from "./heartbeat-2006";
import {
  AuthMethod,
  IP_AGENT,
  heartbeatModern,
  renderAuthkeys,
  renderHaCf,
  renderHaresources,
  renderIpResourceScript,
} from "./render";
import { heartbeatStartScript, heartbeatStopScript } from "./scripts";
import {
  PairCibSpec,
  pairLoadScript,
  pairUnloadScript,
  renderPairConstraints,
  renderPairResources,
  retireHeartbeatScript,
} from "./pacemaker";
import { heartbeatDefaults } from "./defaults";

type Method = AuthMethod["method"];
export type HeartbeatFlavor = "modern" | "2006";
export type PairEngine = "heartbeat" | "pacemaker";

export interface HeartbeatPairArgs {
  /** The two storage hosts. */
  nodes: Host[];
  /** Node that takes the resources when both are up (first in haresources). Default: the first node. */
  preferredNode?: string;
  /** Virtual IP with prefix length, e.g. `10.0.0.6/24`; must lie in the nodes' cluster network. */
  virtualIp: pulumi.Input<string>;
  /** Interface for the virtual IP and the unicast heartbeats. Default {@link heartbeatDefaults.interface}. */
  interface?: pulumi.Input<string>;
  /** The DRBD resource that follows the primary role (drbddisk), or its name. */
  drbdResource: pulumi.Input<string> | ReplicatedDevice;
  /** Exports started on the primary after DRBD and before the virtual IP. Default none. */
  exports?: ServedExport[];
  /** When given, both nodes must be members of this cluster (checked only; it is not waited for). */
  cluster?: ClusterMembership;
  /** Seconds between heartbeats. Default {@link heartbeatDefaults.keepalive}. */
  keepalive?: pulumi.Input<number>;
  /** Seconds before a late heartbeat is logged. Default {@link heartbeatDefaults.warntime}. */
  warntime?: pulumi.Input<number>;
  /** Seconds of silence before the peer is declared dead and its resources taken over. Default {@link heartbeatDefaults.deadtime}. */
  deadtime?: pulumi.Input<number>;
  /** Seconds to wait for the peer after heartbeat starts. Default {@link heartbeatDefaults.initdead}. */
  initdead?: pulumi.Input<number>;
  /** UDP port. Default {@link heartbeatDefaults.udpport}. */
  udpport?: pulumi.Input<number>;
  /** Serial heartbeat link (null-modem cable), e.g. `/dev/ttyS0`. Default: none. */
  serial?: pulumi.Input<string>;
  /** Serial speed. Default {@link heartbeatDefaults.baud}. */
  baud?: pulumi.Input<number>;
  /** Take the resources back when the preferred node returns. Default {@link heartbeatDefaults.autoFailback} (the seed's `off`). */
  autoFailback?: boolean;
  /** Watchdog device, e.g. `/dev/watchdog`. Default: none. */
  watchdog?: pulumi.Input<string>;
  /** authkeys: methods listed (key 1, 2, ...) and the one used. Default: methods {@link heartbeatDefaults.authMethods}, the sha1 key active. */
  auth?: { methods?: Method[]; active?: number; allowWeak?: boolean };
  /** The authkeys key. Default: {@link heartbeatDefaults.authKeyLength} random characters from `@pulumi/random`, kept secret. */
  authKey?: pulumi.Input<string>;
  /** `modern` (default {@link heartbeatDefaults.flavor}: Heartbeat 3 in v1 mode, the export's resource and the library's `xenstorage-ip`) or `2006` (the seed's files, with `IPaddr`). */
  flavor?: HeartbeatFlavor;
  /**
   * What runs the pair (modern flavor). `heartbeat` (default {@link heartbeatDefaults.engine}):
   * Heartbeat v1, which has no quorum and no fencing. `pacemaker`: the cluster's Pacemaker runs
   * DRBD (`ocf:linbit:drbd`), the exports and the address, with the five hosts' quorum and the
   * cluster's fencing; needs `cluster`, a pacemaker cluster that fences. Heartbeat's timings,
   * serial link, watchdog and authkeys do not apply to it: the cluster's token timeout and
   * fencing take their place. Switching a deployed pair to `pacemaker` hands its resources
   * over where they run, without moving them. Not yet proven under every fault it exists for:
   * see docs/fencing.md before using it.
   */
  engine?: PairEngine;
}

/** Heartbeat's timings, in seconds. */
interface Timings {
  keepalive: number;
  warntime: number;
  deadtime: number;
  initdead: number;
}

/**
 * HeartbeatPair's arguments checked and completed with the defaults.
 * @internal
 */
export interface HeartbeatPairSpec {
  nodes: CheckedHost[];
  flavor: HeartbeatFlavor;
  engine: PairEngine;
  /** The cluster's members other than the pair (they never run its resources). */
  others: string[];
  preferredNode: string;
  /** Both node names, the preferred one first. */
  ordered: [string, string];
  autoFailback: boolean;
  methods: Method[];
  active: number;
  /** The virtual IP with prefix length. */
  virtualIp: pulumi.Output<string>;
  /** Everything of ha.cf but the peer's address and the variant's lines. */
  haCf: pulumi.Output<
    Timings & { udpport: number; serial?: string; baud: number; interface: string; watchdog?: string }
  >;
  drbdResource: pulumi.Output<string>;
  exports: pulumi.Output<string>[];
  /** The exports' Pacemaker resources. */
  clusterResources: pulumi.Output<ClusterResource>[];
  authKey?: pulumi.Output<string>;
  /** What the steps wait for: the DrbdResource and the exports, when given as parts. */
  upstream: pulumi.Resource[];
  /** What policies read (tools/policy): no secrets here. */
  policy: Record<string, unknown>;
}

/**
 * Checks HeartbeatPair's arguments (plain values now, Outputs on resolution) and applies the defaults.
 * @internal
 */
export function resolveHeartbeatPair(name: string, args: HeartbeatPairArgs): HeartbeatPairSpec {
  const d = heartbeatDefaults;
  const check = new Checker(`HeartbeatPair "${name}"`);
  if (!Array.isArray(args.nodes) || args.nodes.length !== 2) {
    check.fail(
      "nodes",
      `${Array.isArray(args.nodes) ? args.nodes.length : "no"} nodes`,
      "exactly two storage hosts",
    );
  }
  const nodes = checkHosts(check, "nodes", args.nodes);
  const names = nodes.map((n) => n.name) as [string, string];
  const preferredNode = check.plain("preferredNode", args.preferredNode ?? names[0], (p) =>
    names.includes(p) ? undefined : `one of the nodes (${names.join(", ")})`,
  );
  if (args.cluster !== undefined) {
    const members = args.cluster.nodeNames;
    names.forEach((n, i) => {
      if (!members.includes(n))
        check.fail(`nodes[${i}].name`, n, `a member of the cluster (${members.join(", ")})`);
    });
  }
  const flavor = check.plain(
    "flavor",
    args.flavor ?? d.flavor,
    rules.oneOf<HeartbeatFlavor>("modern", "2006"),
  );

  const engine = check.plain(
    "engine",
    args.engine ?? d.engine,
    (e) =>
      rules.oneOf<PairEngine>("heartbeat", "pacemaker")(e) ??
      (e === "pacemaker" ? pacemakerEngineProblem(flavor, args) : undefined),
  );
  if (flavor === "2006")
    (args.exports ?? []).forEach((e, i) =>
      check.plain(`exports[${i}].protocol`, e.protocol, seedExportProtocol),
    );

  const methods = args.auth?.methods ?? d.authMethods;
  const allowWeak = check.plain("auth.allowWeak", args.auth?.allowWeak ?? false, rules.boolean);
  methods.forEach((m, i) => {
    check.plain(`auth.methods[${i}]`, m, rules.oneOf<Method>("sha1", "md5", "crc"));
    if (m !== "sha1" && !allowWeak)
      check.fail(
        `auth.methods[${i}]`,
        m,
        "sha1 (crc and md5 are weak; set auth.allowWeak to list them anyway)",
      );
  });
  const active = check.plain("auth.active", args.auth?.active ?? methods.indexOf("sha1") + 1, (a) =>
    Number.isInteger(a) && a >= 1 && a <= methods.length
      ? undefined
      : `a key number from 1 to ${methods.length}`,
  );
  if (methods[active - 1] !== "sha1" && !allowWeak) check.fail("auth.active", active, "the sha1 key");

  const virtualIp = check.input("virtualIp", args.virtualIp, rules.virtualIp);
  const vipInNetwork = check.across(
    "virtualIp",
    { virtualIp: args.virtualIp, clusterAddresses: args.nodes.map((n) => n.clusterAddress) },
    ({ virtualIp: vip, clusterAddresses }) => vipProblem(vip, clusterAddresses, names),
    (v) => v.virtualIp,
  );
  const timing = (field: keyof Timings) => check.value(field, args[field] ?? d[field], rules.positiveInteger);
  const timings = check.across(
    "keepalive/warntime/deadtime/initdead",
    {
      keepalive: timing("keepalive"),
      warntime: timing("warntime"),
      deadtime: timing("deadtime"),
      initdead: timing("initdead"),
    },
    // Heartbeat refuses to start when deadtime <= 2 x keepalive or initdead < deadtime
    // (heartbeat 3.0.6 config.c, init_config); warntime between them is the library's rule.
    (t) =>
      t.keepalive < t.warntime &&
      t.warntime < t.deadtime &&
      t.deadtime <= t.initdead &&
      t.deadtime > 2 * t.keepalive
        ? undefined
        : "keepalive < warntime < deadtime <= initdead, and deadtime > 2 x keepalive",
  );
  const drbd = isPart<ReplicatedDevice>(args.drbdResource, "resourceName") ? args.drbdResource : undefined;
  const autoFailback = check.plain("autoFailback", args.autoFailback ?? d.autoFailback, rules.boolean);
  return {
    nodes,
    flavor,
    engine,
    others: (args.cluster?.nodeNames ?? []).filter((n) => !names.includes(n)),
    preferredNode,
    ordered: preferredNode === names[0] ? names : [names[1], names[0]],
    autoFailback,
    methods,
    active,
    virtualIp: pulumi.all([virtualIp, vipInNetwork]).apply(([v]) => v),
    haCf: pulumi
      .all([
        timings,
        pulumi.output({
          udpport: check.optional("udpport", args.udpport, d.udpport, rules.port),
          serial:
            args.serial === undefined ? undefined : check.input("serial", args.serial, rules.absolutePath),
          // The speeds Heartbeat knows (config.c, StringToBaud; ha.cf(5)).
          baud: check.optional(
            "baud",
            args.baud,
            d.baud,
            rules.oneOf<number>(9600, 19200, 38400, 57600, 115200, 230400, 460800),
          ),
          interface: check.optional("interface", args.interface, d.interface, rules.interfaceName),
          watchdog:
            args.watchdog === undefined
              ? undefined
              : check.input("watchdog", args.watchdog, rules.absolutePath),
        }),
      ])
      .apply(([t, rest]) => ({ ...t, ...rest })),
    drbdResource:
      drbd === undefined
        ? check.input("drbdResource", args.drbdResource as pulumi.Input<string>, rules.objectName)
        : drbd.resourceName,
    exports: (args.exports ?? [])
      .map((e) => e.haResource)
      .filter((r): r is pulumi.Output<string> => r !== undefined),
    authKey:
      args.authKey === undefined
        ? undefined
        : check.secret("authKey", pulumi.secret(args.authKey), rules.singleLine),
    upstream: [
      ...asDependency(drbd),
      ...(args.exports ?? []).flatMap(asDependency),
      ...(engine === "pacemaker" ? asDependency(args.cluster) : []),
    ],
    clusterResources: (args.exports ?? [])
      .map((e) => e.clusterResource)
      .filter((r): r is pulumi.Output<ClusterResource> => r !== undefined),
    policy: {
      authMethods: methods,
      autoFailback,
      keepalive: timings.apply((t) => t.keepalive),
      deadtime: timings.apply((t) => t.deadtime),
    },
  };
}

/** Why the pacemaker engine cannot run this pair: it needs the modern flavor and a pacemaker cluster that fences. */
function pacemakerEngineProblem(flavor: HeartbeatFlavor, args: HeartbeatPairArgs): string | undefined {
  if (flavor !== "modern") return `"heartbeat" in the 2006 flavor (the seed's Heartbeat runs the pair)`;
  const cluster = args.cluster;
  if (cluster === undefined) return `"heartbeat" without a cluster (give the RhcsCluster as cluster)`;
  if (cluster.stack !== undefined && cluster.stack !== "pacemaker")
    return `"heartbeat" with a ${cluster.stack} cluster (the pacemaker engine needs the pacemaker stack)`;
  if (cluster.fencingEnabled === false)
    return `"heartbeat" with a cluster that does not fence (give it fencing.watchdog or a fence device: a pair without fencing can have two primaries)`;
  if (args.watchdog !== undefined)
    return `"heartbeat" while watchdog is set (under pacemaker the cluster's sbd owns the watchdog)`;
  return undefined;
}

/** Why the virtual IP does not fit the nodes: a node's own address, or outside a node's storage network. */
function vipProblem(vip: string, addresses: string[], names: string[]): string | undefined {
  if (rules.virtualIp(vip) !== undefined) return undefined; // the virtualIp check itself says so
  const address = vip.split("/")[0];
  for (const [i, own] of addresses.entries()) {
    if (own === address) return `an address that no node owns (${names[i]} has ${own})`;
    if (rules.ipv4(own) === undefined && !rules.inNetwork(own, vip))
      return `an address in the storage network of nodes[${i}] (${own})`;
  }
  return undefined;
}

/** Heartbeat on the two storage hosts: exactly one holds DRBD primary, the export and the virtual IP. */
export class HeartbeatPair extends pulumi.ComponentResource {
  /** The virtual IP (without prefix length). */
  public readonly virtualIp: pulumi.Output<string>;
  /** The node preferred for the resources. */
  public readonly preferredNode: string;
  /** Whether the resources move back to the preferred node. */
  public readonly autoFailback: boolean;

  constructor(name: string, args: HeartbeatPairArgs, opts?: pulumi.ComponentResourceOptions) {
    const spec = resolveHeartbeatPair(name, args);
    super("xenstorage:heartbeat:HeartbeatPair", name, spec.policy, opts);
    this.preferredNode = spec.preferredNode;
    this.autoFailback = spec.autoFailback;
    if (spec.engine === "pacemaker") layOutPacemakerPair(this, name, spec, opts);
    else layOutHeartbeat(this, name, spec, opts);

    this.virtualIp = spec.virtualIp.apply((v) => v.split("/")[0]);
    this.registerOutputs({ virtualIp: this.virtualIp, preferredNode: this.preferredNode });
  }
}

/** Heartbeat v1 on both storage hosts: ha.cf, haresources, authkeys, the variant's scripts, then heartbeat. */
function layOutHeartbeat(
  parent: pulumi.Resource,
  name: string,
  spec: HeartbeatPairSpec,
  opts?: pulumi.ComponentResourceOptions,
): void {
  const variant = spec.flavor === "2006" ? heartbeat2006 : heartbeatModern;

  const haresources = pulumi
    .all([spec.virtualIp, spec.haCf, spec.drbdResource, pulumi.all(spec.exports)])
    .apply(([virtualIp, haCf, drbdResource, exports]) =>
      renderHaresources(
        spec.preferredNode,
        variant.resources({ virtualIp, interface: haCf.interface, drbdResource, exports }),
      ),
    );
  const key =
    spec.authKey ??
    pulumi.secret(
      new random.RandomPassword(
        `${name}-authkey`,
        { length: heartbeatDefaults.authKeyLength, special: false },
        { parent },
      ).result,
    );
  const authkeys = key.apply((k) => renderAuthkeys({ methods: spec.methods, active: spec.active, key: k }));

  spec.nodes.forEach((host, i) => {
    const n = `${name}-${host.name}`;
    const deps = childOf(parent, opts?.dependsOn, ...spec.upstream);
    const haCf = pulumi.all([spec.haCf, spec.nodes[1 - i].clusterAddress]).apply(([c, peerAddress]) =>
      renderHaCf({
        ...c,
        head: variant.haCfHead,
        tail: variant.haCfTail,
        peerAddress,
        autoFailback: spec.autoFailback,
        nodes: spec.ordered,
      }),
    );
    const files = [
      new RemoteFile(`${n}-ha-cf`, { host, path: "/etc/ha.d/ha.cf", content: haCf }, deps),
      new RemoteFile(`${n}-haresources`, { host, path: "/etc/ha.d/haresources", content: haresources }, deps),
      new RemoteFile(
        `${n}-authkeys`,
        { host, path: "/etc/ha.d/authkeys", content: authkeys, secret: true, mode: "0600" },
        deps,
      ),
    ];
    // A changed resource script applies at the next takeover: heartbeat need not re-read it.
    const scripts = variant.scripts.map(
      (script) =>
        new RemoteFile(
          `${n}-${script.name}`,
          { host, path: `${HA_RESOURCE_DIR}/${script.name}`, content: script.content, mode: "0755" },
          deps,
        ),
    );
    new Step(
      `${n}-start`,
      {
        host,
        create: heartbeatStartScript(),
        delete: heartbeatStopScript(),
        rerunOn: files.map((f) => f.contentHash),
      },
      childOf(parent, opts?.dependsOn, ...spec.upstream, ...files, ...scripts),
    );
  });
}

/** Where the pair's CIB fragments are kept on the host that loads them. */
const PAIR_CIB_DIR = "/etc/xenstorage/pair";

/**
 * Pacemaker runs the pair: the library's IP agent on both storage hosts, the pair's resources
 * and constraints loaded into the CIB from the preferred node, then Heartbeat retired where an
 * earlier release left it running.
 */
function layOutPacemakerPair(
  parent: pulumi.Resource,
  name: string,
  spec: HeartbeatPairSpec,
  opts?: pulumi.ComponentResourceOptions,
): void {
  const d = heartbeatDefaults;
  const agents = spec.nodes.map(
    (host) =>
      new RemoteFile(
        `${name}-${host.name}-ocf-ip`,
        { host, path: `${OCF_AGENT_DIR}/${IP_AGENT}`, content: renderIpResourceScript(), mode: "0755" },
        childOf(parent, opts?.dependsOn, ...spec.upstream),
      ),
  );
  const cib = pulumi
    .all([spec.virtualIp, spec.haCf, spec.drbdResource, pulumi.all(spec.clusterResources)])
    .apply(([virtualIp, haCf, drbdResource, exports]): PairCibSpec => ({
      drbdResource,
      preferredNode: spec.preferredNode,
      autoFailback: spec.autoFailback,
      others: spec.others,
      served: [...exports, { type: IP_AGENT, parameters: { ip: `${virtualIp}/${haCf.interface}` } }],
    }));
  const loader = spec.nodes.find((n) => n.name === spec.preferredNode)!;
  const fragment = (kind: "resources" | "constraints", render: (c: PairCibSpec) => string) =>
    new RemoteFile(
      `${name}-cib-${kind}`,
      {
        host: loader,
        path: spec.drbdResource.apply((r) => `${PAIR_CIB_DIR}/${r}-${kind}.xml`),
        content: cib.apply(render),
      },
      childOf(parent, opts?.dependsOn, ...spec.upstream),
    );
  const resources = fragment("resources", renderPairResources);
  const constraints = fragment("constraints", renderPairConstraints);
  const loaded = new Step(
    `${name}-cib`,
    {
      host: loader,
      create: pulumi
        .all([resources.path, constraints.path])
        .apply(([r, c]) => pairLoadScript({ resources: r, constraints: c }, d.pacemakerTimeout)),
      delete: cib.apply(pairUnloadScript),
      rerunOn: [resources.contentHash, constraints.contentHash],
    },
    childOf(parent, opts?.dependsOn, ...spec.upstream, ...agents, resources, constraints),
  );
  spec.nodes.forEach((host, i) => {
    const n = `${name}-${host.name}`;
    new Step(
      `${n}-retire-heartbeat`,
      { host, create: retireHeartbeatScript(spec.nodes[1 - i].name, d.pacemakerTimeout) },
      // The Heartbeat step of an earlier release (or of the heartbeat engine) becomes this one:
      // an update, so that its delete (which stops Heartbeat and releases the resources) never runs.
      { ...childOf(parent, opts?.dependsOn, loaded), aliases: [{ name: `${n}-start` }] },
    );
  });
}
