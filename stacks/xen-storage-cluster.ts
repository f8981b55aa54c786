import * as pulumi from "@pulumi/pulumi";
import {
  DrbdResource,
  DrbdResourceArgs,
  GnbdExport,
  GnbdExportArgs,
  HeartbeatPair,
  HeartbeatPairArgs,
  Host,
  LvmVolume,
  Ocfs2Client,
  Ocfs2ClientArgs,
  RhcsCluster,
  RhcsClusterArgs,
} from "../components";
import { SEED_FENCE_DEVICE } from "../components/cluster/cman";
import { clusterDefaults } from "../components/cluster/defaults";
import { drbdDefaults } from "../components/drbd/defaults";
import { exportDefaults } from "../components/export/defaults";
import { heartbeatDefaults } from "../components/heartbeat/defaults";
import { heartbeatSeedSettings, seedExportProtocol } from "../components/heartbeat/heartbeat-2006";
import { MISSING_CREDENTIALS, hasCredentials } from "../components/remote/host";
import { Checker } from "../components/core/checker";
import * as rules from "../components/core/rules";

export type Flavor = "modern" | "2006";

/** The whole storage backend of the seed: two storage hosts and the Xen nodes that mount its volume. */
export interface XenStorageClusterArgs {
  /** The two storage hosts; the first is Heartbeat's preferred node and DRBD's initial sync source. */
  storageHosts: Host[];
  /** The Xen nodes that import the export and mount OCFS2. */
  xenNodes: Host[];
  /** `modern` (default: what runs on Debian 13 and 12) or `2006` (the seed's own files: DRBD 0.7, cman, GNBD, its Heartbeat files). */
  flavor?: Flavor;
  /** The volume under DRBD on each storage host. */
  lvm: {
    physicalVolumes: string[];
    volumeGroup?: string;
    name?: string;
    size: string;
    rejectDevices?: string[];
  };
  /** DRBD; defaults as in DrbdResource (`version` 0.7 in the 2006 flavor). */
  drbd?: Omit<DrbdResourceArgs, "peers" | "allowDataLoss"> & { port?: number; device?: string };
  /** Cluster manager; defaults as in RhcsCluster (`cman` with the seed's human/fence_manual in the 2006 flavor). */
  cluster?: Omit<RhcsClusterArgs, "nodes">;
  /** Heartbeat; `virtualIp` is required. The 2006 flavor adds the seed's serial link, watchdog and authkeys. */
  heartbeat: Omit<HeartbeatPairArgs, "nodes" | "drbdResource" | "exports" | "cluster">;
  /** The export; defaults as in GnbdExport (`gnbd` in the 2006 flavor). */
  export?: Omit<GnbdExportArgs, "device" | "hosts" | "virtualIp" | "allowedClients">;
  /** OCFS2 on the Xen nodes; `formatNode` (default: the first Xen node) is the one client that formats. */
  ocfs2?: Omit<Ocfs2ClientArgs, "host" | "nodes" | "export" | "format"> & { formatNode?: string };
  /** Passed to LvmVolume and DrbdResource: delete may remove volumes and metadata. Default `false`. */
  allowDataLoss?: boolean;
}

/** What the 2006 flavor changes, each overridable by the stack's own settings. */
function flavorDefaults(flavor: Flavor): {
  drbd: Partial<DrbdResourceArgs>;
  cluster: Partial<RhcsClusterArgs>;
  heartbeat: Partial<HeartbeatPairArgs>;
  export: Partial<GnbdExportArgs>;
} {
  if (flavor === "modern") return { drbd: {}, cluster: {}, heartbeat: {}, export: {} };
  return {
    drbd: { version: "0.7" },
    cluster: { stack: "cman", fencing: { devices: [SEED_FENCE_DEVICE] } },
    heartbeat: { flavor: "2006", ...heartbeatSeedSettings },
    export: { protocol: "gnbd" },
  };
}

/**
 * The storage backend built in the seed's order: LVM on both storage hosts, DRBD between
 * them, the cluster manager on all hosts, Heartbeat with the export, then the OCFS2 clients.
 */
export class XenStorageCluster extends pulumi.ComponentResource {
  public readonly volumes: LvmVolume[];
  public readonly drbd: DrbdResource;
  public readonly cluster: RhcsCluster;
  public readonly export: GnbdExport;
  public readonly heartbeat: HeartbeatPair;
  public readonly clients: Ocfs2Client[];
  /** The Xen node of each client, in the same order. */
  public readonly clientNames: string[];

  constructor(name: string, args: XenStorageClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("xenstorage:stack:XenStorageCluster", name, {}, opts);
    const check = new Checker(`XenStorageCluster "${name}"`);
    const flavor = check.plain("flavor", args.flavor ?? "modern", rules.oneOf<Flavor>("modern", "2006"));
    const defaults = flavorDefaults(flavor);
    const storage = args.storageHosts ?? [];
    const xenNodes = args.xenNodes ?? [];
    const formatNode = check.plain("ocfs2.formatNode", args.ocfs2?.formatNode ?? xenNodes[0]?.name, (f) =>
      xenNodes.some((n) => n.name === f)
        ? undefined
        : `one of the Xen nodes (${xenNodes.map((n) => n.name).join(", ")})`,
    );
    checkPorts(check, args);
    if (flavor === "2006")
      check.plain("export.protocol", args.export?.protocol ?? "gnbd", seedExportProtocol);
    const virtualIp = checkVirtualIpUnowned(check, args.heartbeat?.virtualIp, [...storage, ...xenNodes]);
    const withoutCredentials = [...storage, ...xenNodes].filter((h) => !hasCredentials(h)).map((h) => h.name);
    if (withoutCredentials.length > 0 && pulumi.runtime.isDryRun())
      pulumi.log.warn(
        `no SSH credentials for ${withoutCredentials.join(", ")}: fine for a preview, but \`pulumi up\` needs ${MISSING_CREDENTIALS}`,
        this,
      );
    const parent = { parent: this };

    this.volumes = storage.map(
      (host) =>
        new LvmVolume(
          `${name}-lvm-${host.name}`,
          { host, ...args.lvm, allowDataLoss: args.allowDataLoss },
          parent,
        ),
    );
    const { port, device, ...drbdArgs } = args.drbd ?? {};
    const engine = args.heartbeat?.engine ?? heartbeatDefaults.engine;
    this.drbd = new DrbdResource(
      `${name}-drbd`,
      {
        initialPrimary: storage[0]?.name,
        // Under Pacemaker with fencing, DRBD fences its peer before it goes on alone.
        ...(engine === "pacemaker" ? { fencing: "resource-and-stonith" as const } : {}),
        ...defaults.drbd,
        ...drbdArgs,
        peers: storage.map((host, i) => ({ host, disk: this.volumes[i], port, device })),
        allowDataLoss: args.allowDataLoss,
      },
      parent,
    );
    this.cluster = new RhcsCluster(
      `${name}-cluster`,
      { ...defaults.cluster, ...args.cluster, nodes: [...xenNodes, ...storage] },
      parent,
    );
    this.export = new GnbdExport(
      `${name}-export`,
      {
        ...defaults.export,
        ...args.export,
        device: this.drbd,
        hosts: storage,
        virtualIp,
        allowedClients: xenNodes.map((n) => n.clusterAddress),
      },
      parent,
    );
    this.heartbeat = new HeartbeatPair(
      `${name}-heartbeat`,
      {
        ...defaults.heartbeat,
        ...args.heartbeat,
        virtualIp,
        nodes: storage,
        drbdResource: this.drbd,
        exports: [this.export],
        cluster: this.cluster,
      },
      // GNBD serves only inside a cman cluster; NBD needs no cluster manager (the pacemaker
      // engine waits for the cluster itself).
      this.export.protocol === "gnbd" ? { ...parent, dependsOn: [this.cluster] } : parent,
    );
    const { formatNode: _, ...ocfs2 } = args.ocfs2 ?? {};
    const client = (host: Host, formattedBy?: Ocfs2Client) =>
      new Ocfs2Client(
        `${name}-ocfs2-${host.name}`,
        {
          ...ocfs2,
          host,
          nodes: xenNodes,
          export: this.export,
          servedBy: this.heartbeat,
          format: formattedBy === undefined,
          formattedBy,
        },
        parent,
      );
    const formatter = client(xenNodes.find((n) => n.name === formatNode)!);
    const others = xenNodes.filter((n) => n.name !== formatNode);
    this.clients = [formatter, ...others.map((host) => client(host, formatter))];
    this.clientNames = [formatNode, ...others.map((n) => n.name)];
    this.registerOutputs({ virtualIp: this.heartbeat.virtualIp });
  }
}

/**
 * Two services may not listen on the same port of one storage host: DRBD and the NBD
 * export share TCP there, Heartbeat and corosync (knet, 5405) share UDP.
 */
function checkPorts(check: Checker, args: XenStorageClusterArgs): void {
  const clash = (field: string, port: unknown, other: string) =>
    check.fail(field, port, `a port that ${other} does not use on the storage hosts`);
  const drbdPort = args.drbd?.port ?? drbdDefaults.port;
  const exportPort = args.export?.port ?? exportDefaults.port;
  if (drbdPort === exportPort) clash("export.port", exportPort, "DRBD (drbd.port)");
  const stack = args.cluster?.stack ?? (args.flavor === "2006" ? "cman" : clusterDefaults.stack);
  const udpport = args.heartbeat?.udpport ?? heartbeatDefaults.udpport;
  if (stack === "pacemaker" && (udpport === 5405 || udpport === 5404))
    clash("heartbeat.udpport", udpport, "corosync (5404-5405)");
}

/**
 * The virtual IP may not be an address of any host of the stack, Xen nodes and management
 * addresses included (HeartbeatPair sees only the storage hosts' cluster addresses): raising
 * it would take that host's address away. Gives the virtual IP, held back until the check
 * has passed.
 */
function checkVirtualIpUnowned(
  check: Checker,
  virtualIp: pulumi.Input<string> | undefined,
  hosts: readonly Host[],
): pulumi.Input<string> {
  const values = { virtualIp, owners: hosts.map((h) => [h.clusterAddress, h.address]) };
  const checked = check.across(
    "heartbeat.virtualIp",
    values,
    ({ virtualIp: vip, owners }) => {
      const address = typeof vip === "string" ? vip.split("/")[0] : undefined;
      const i = owners.findIndex((addresses) => addresses.includes(address as string));
      return i < 0 ? undefined : `an address that no host owns (${hosts[i].name} has ${address})`;
    },
    (v) => v.virtualIp,
  );
  return check.gate(virtualIp as pulumi.Input<string>, values, checked);
}
