import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Checker } from "../core/checker";
import { childOf } from "../core/options";
import { CheckedHost, Host, RemoteFile, RemoteFileBlock, Step, checkHosts } from "../remote";
import {
  CMAN_MODULES,
  CMAN_RC_ORDER,
  renderClusterConf,
  renderClvmdInit,
  renderModules,
  cmanRcScript,
  renderSysconfigCluster,
} from "./cman";
import { renderCorosync } from "./corosync";
import {
  pacemakerPropertiesScript,
  pacemakerStartScript,
  pacemakerStopScript,
  renderStonithResources,
} from "./pacemaker";
import * as rules from "../core/rules";

export type ClusterStack = "pacemaker" | "cman";

/** A fence device. */
export interface FenceDeviceArgs {
  /** Device name (the seed: `human`). */
  name: string;
  /** Fence agent, e.g. `fence_ipmilan`; the seed's `fence_manual` exists only in the `cman` stack. */
  agent: string;
  /** Agent parameters (pacemaker only), e.g. `{ ip, username, password }`. Sent to the host on stdin; mark passwords secret. Default none. */
  parameters?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Nodes this device fences. Default: all nodes. */
  hosts?: string[];
}

export interface RhcsClusterArgs {
  /** Cluster name. Default `xencluster` (the seed's). */
  clusterName?: pulumi.Input<string>;
  /** Every member: both storage hosts and the Xen nodes. */
  nodes: Host[];
  /** `pacemaker` (default: corosync 3 + pacemaker, as on Debian 12) or `cman` (the seed's Red Hat Cluster Suite files). */
  stack?: ClusterStack;
  /** Fencing. Default: no devices, so fencing is disabled (`stonith-enabled=false`) and a warning is logged. */
  fencing?: {
    /** Fence devices. The `cman` stack uses the first for every node (the seed: `{ name: "human", agent: "fence_manual" }`). */
    devices?: FenceDeviceArgs[];
  };
  /** What a partition without quorum does (pacemaker). Default `stop`. */
  noQuorumPolicy?: pulumi.Input<"stop" | "freeze" | "ignore" | "demote" | "suspend">;
  /** corosync node IDs, one per node in `nodes` order. Default 1, 2, 3, ... */
  nodeIds?: number[];
  /** corosync token timeout in ms. Default `3000`. */
  tokenMs?: pulumi.Input<number>;
  /** `config_version` of the cman `cluster.conf`. Default `1`. */
  configVersion?: pulumi.Input<number>;
}

/** Cluster membership and fencing for all five hosts: corosync/pacemaker today, cman in the seed. */
export class RhcsCluster extends pulumi.ComponentResource {
  /** Cluster name. */
  public readonly clusterName: pulumi.Output<string>;
  /** Member node names. */
  public readonly nodeNames: string[];
  /** Whether fencing is enabled. */
  public readonly fencingEnabled: boolean;
  /** The fence agents configured. */
  public readonly fenceAgents: string[];
  /** The cluster stack. */
  public readonly stack: ClusterStack;

  constructor(name: string, args: RhcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "xenstorage:cluster:RhcsCluster",
      name,
      { stack: args.stack ?? "pacemaker", fenceAgents: (args.fencing?.devices ?? []).map((d) => d.agent) },
      opts,
    );
    const check = new Checker(this, `RhcsCluster "${name}"`);
    const nodes = checkHosts(check, "nodes", args.nodes);
    this.stack = check.plain(
      "stack",
      args.stack ?? "pacemaker",
      rules.oneOf<ClusterStack>("pacemaker", "cman"),
    );
    const clusterName = check.optional("clusterName", args.clusterName, "xencluster", rules.o2cbClusterName);
    const devices = args.fencing?.devices ?? [];
    devices.forEach((d, i) => {
      check.plain(`fencing.devices[${i}].name`, d.name, rules.objectName);
      check.plain(
        `fencing.devices[${i}].agent`,
        d.agent,
        (a) => rules.objectName(a) ?? (a.startsWith("fence_") ? undefined : "a fence agent named fence_*"),
      );
      (d.hosts ?? []).forEach((h, j) => {
        if (!nodes.some((n) => n.name === h))
          check.fail(`fencing.devices[${i}].hosts[${j}]`, h, "a node of this cluster");
      });
    });
    check.unique(
      "fencing.devices[].name",
      devices.map((d) => d.name),
    );
    this.nodeNames = nodes.map((n) => n.name);
    const nodeIds = args.nodeIds ?? nodes.map((_, i) => i + 1);
    if (nodeIds.length !== nodes.length)
      check.fail("nodeIds", nodeIds, `one node ID for each of the ${nodes.length} nodes`);
    nodeIds.forEach((id, i) => check.plain(`nodeIds[${i}]`, id, rules.positiveInteger));
    check.unique("nodeIds", nodeIds);
    this.fenceAgents = devices.map((d) => d.agent);
    this.fencingEnabled = devices.length > 0;
    if (!this.fencingEnabled) {
      pulumi.log.warn(
        `RhcsCluster "${name}": no fence devices, so fencing is disabled; do not run production like this`,
        this,
      );
    }

    if (this.stack === "cman") {
      if (devices.length === 0)
        check.fail(
          "fencing.devices",
          "[]",
          "one fence device for the cman stack (the seed: human / fence_manual)",
        );
      const conf = pulumi
        .all([clusterName, check.optional("configVersion", args.configVersion, 1, rules.positiveInteger)])
        .apply(([cluster, configVersion]) =>
          renderClusterConf({
            clusterName: cluster,
            configVersion,
            nodes: this.nodeNames,
            fenceDevice: devices[0],
          }),
        );
      nodes.forEach((host) => this.cmanNode(`${name}-${host.name}`, host, conf, clusterName, opts));
    } else {
      if (devices.some((d) => d.agent === "fence_manual")) {
        check.fail(
          "fencing.devices[].agent",
          "fence_manual",
          "a pacemaker fence agent (fence_manual exists only in the cman stack)",
        );
      }
      this.pacemaker(name, args, nodes, nodeIds, clusterName, devices, check, opts);
    }

    this.clusterName = clusterName;
    this.registerOutputs({ clusterName, nodeNames: this.nodeNames, fencingEnabled: this.fencingEnabled });
  }

  private pacemaker(
    name: string,
    args: RhcsClusterArgs,
    nodes: CheckedHost[],
    nodeIds: number[],
    clusterName: pulumi.Output<string>,
    devices: FenceDeviceArgs[],
    check: Checker,
    opts?: pulumi.ComponentResourceOptions,
  ): void {
    const conf = pulumi
      .all([
        clusterName,
        pulumi.all(nodes.map((n) => n.clusterAddress)),
        check.optional("tokenMs", args.tokenMs, 3000, rules.positiveInteger),
      ])
      .apply(([cluster, addresses, token]) =>
        renderCorosync({
          clusterName: cluster,
          token,
          nodes: nodes.map((n, i) => ({ name: n.name, nodeId: nodeIds[i], address: addresses[i] })),
        }),
      );
    // corosync reads the key file as raw bytes, 128 to 4096 of them (totem.h: KNET_MIN_KEY_LEN,
    // KNET_MAX_KEY_LEN); 256 random letters and digits carry about 1500 bits. Not RandomBytes:
    // Pulumi's random provider makes its value the resource ID (computeRandomBytesID in
    // pulumi-random's provider/resources.go), and no state encrypts an ID.
    const authkey = new random.RandomPassword(
      `${name}-corosync-authkey`,
      { length: 256, special: false },
      { parent: this },
    ).result;
    const started = nodes.map((host) => {
      const n = `${name}-${host.name}`;
      const confFile = new RemoteFile(
        `${n}-corosync-conf`,
        { host, path: "/etc/corosync/corosync.conf", content: conf },
        childOf(this, opts?.dependsOn),
      );
      const keyFile = new RemoteFile(
        `${n}-corosync-authkey`,
        {
          host,
          path: "/etc/corosync/authkey",
          content: authkey,
          secret: true,
          mode: "0400",
        },
        childOf(this, opts?.dependsOn),
      );
      return new Step(
        `${n}-start`,
        {
          host,
          create: pacemakerStartScript(),
          delete: pacemakerStopScript(),
          rerunOn: [confFile.contentHash, keyFile.contentHash],
        },
        childOf(this, opts?.dependsOn, confFile, keyFile),
      );
    });
    const stonith =
      devices.length === 0
        ? undefined
        : pulumi.secret(
            pulumi.all(devices.map((d) => pulumi.output(d.parameters ?? {}))).apply((params) =>
              renderStonithResources(
                devices.map((d, i) => ({
                  name: d.name,
                  agent: d.agent,
                  parameters: params[i] as Record<string, string>,
                  hosts: d.hosts ?? this.nodeNames,
                })),
              ),
            ),
          );
    new Step(
      `${name}-properties`,
      {
        host: nodes[0],
        create: check
          .optional(
            "noQuorumPolicy",
            args.noQuorumPolicy,
            "stop",
            rules.oneOf("stop", "freeze", "ignore", "demote", "suspend"),
          )
          .apply((noQuorumPolicy) =>
            pacemakerPropertiesScript(
              { stonithEnabled: devices.length > 0, noQuorumPolicy, timeout: 180 },
              stonith !== undefined,
            ),
          ),
        stdin: stonith,
      },
      childOf(this, opts?.dependsOn, ...started),
    );
  }

  private cmanNode(
    n: string,
    host: CheckedHost,
    conf: pulumi.Output<string>,
    clusterName: pulumi.Output<string>,
    opts?: pulumi.ComponentResourceOptions,
  ): void {
    const deps = childOf(this, opts?.dependsOn);
    const files = [
      new RemoteFile(`${n}-cluster-conf`, { host, path: "/etc/cluster/cluster.conf", content: conf }, deps),
      new RemoteFile(
        `${n}-sysconfig`,
        { host, path: "/etc/sysconfig/cluster", content: clusterName.apply(renderSysconfigCluster) },
        deps,
      ),
      new RemoteFile(
        `${n}-clvmd-init`,
        { host, path: "/etc/init.d/clvmd", content: renderClvmdInit(), mode: "0755" },
        deps,
      ),
      new RemoteFileBlock(
        `${n}-modules`,
        { host, path: "/etc/modules", marker: "cman", content: renderModules(CMAN_MODULES) },
        deps,
      ),
    ];
    new Step(
      `${n}-rc-order`,
      { host, create: cmanRcScript(CMAN_RC_ORDER) },
      childOf(this, opts?.dependsOn, ...files),
    );
  }
}
