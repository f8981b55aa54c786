import * as pulumi from "@pulumi/pulumi";
import { Checker } from "../core/checker";
import { ClusterMembership } from "../core/parts";
import * as rules from "../core/rules";
import { CheckedHost, Host, checkHosts } from "../remote";
import { layOutCman } from "./cman";
import { layOutPacemaker } from "./pacemaker";
import { clusterDefaults } from "./defaults";

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

/** sbd's watchdog on every node. */
export interface WatchdogArgs {
  /** The watchdog device. Default {@link clusterDefaults.watchdogDevice}. */
  device?: string;
  /** Seconds without a feed before the watchdog resets the node (`SBD_WATCHDOG_TIMEOUT`). Default {@link clusterDefaults.watchdogTimeout}. */
  timeout?: number;
}

export interface RhcsClusterArgs {
  /** Cluster name. Default {@link clusterDefaults.clusterName} (the seed's). */
  clusterName?: pulumi.Input<string>;
  /** Every member: both storage hosts and the Xen nodes. */
  nodes: Host[];
  /** `pacemaker` (default {@link clusterDefaults.stack}: corosync 3 + pacemaker, as on Debian 13 and 12) or `cman` (the seed's Red Hat Cluster Suite files). */
  stack?: ClusterStack;
  /** Fencing. Default: no devices and no watchdog, so fencing is disabled (`stonith-enabled=false`) and a warning is logged. */
  fencing?: {
    /** Fence devices. The `cman` stack uses the first for every node (the seed: `{ name: "human", agent: "fence_manual" }`). */
    devices?: FenceDeviceArgs[];
    /**
     * Watchdog fencing (pacemaker stack): sbd without a disk on every node resets a node that
     * loses quorum or whose cluster stack hangs; the quorate partition counts it fenced after
     * `stonith-watchdog-timeout` (twice the watchdog's timeout). It needs `noQuorumPolicy`
     * `suicide` (its default then): under any other policy diskless sbd takes quorum loss as
     * transient and never resets the node (docs/fencing.md). Every node needs a watchdog device
     * (a hardware one, or the `softdog` module). Enabling it on a running cluster restarts each
     * node's stack in turn under maintenance mode. Default: none.
     */
    watchdog?: WatchdogArgs;
  };
  /**
   * What a partition without quorum does (pacemaker); `suicide` fences every node in it.
   * Default {@link clusterDefaults.noQuorumPolicy}, or {@link clusterDefaults.noQuorumPolicyWithWatchdog}
   * (the only one allowed) with watchdog fencing.
   */
  noQuorumPolicy?: pulumi.Input<"stop" | "freeze" | "ignore" | "demote" | "suicide">;
  /** corosync node IDs, one per node in `nodes` order. Default 1, 2, 3, ... */
  nodeIds?: number[];
  /** corosync token timeout in ms. Default {@link clusterDefaults.tokenMs}. */
  tokenMs?: pulumi.Input<number>;
  /** `config_version` of the cman `cluster.conf`. Default {@link clusterDefaults.configVersion}. */
  configVersion?: pulumi.Input<number>;
}

/**
 * RhcsCluster's arguments checked and completed with the defaults.
 * @internal
 */
export interface RhcsClusterSpec {
  nodes: CheckedHost[];
  nodeIds: number[];
  stack: ClusterStack;
  clusterName: pulumi.Output<string>;
  devices: FenceDeviceArgs[];
  watchdog?: Required<WatchdogArgs>;
  noQuorumPolicy: pulumi.Output<string>;
  tokenMs: pulumi.Output<number>;
  configVersion: pulumi.Output<number>;
}

/**
 * Lays out one cluster stack's children on every node.
 * @internal
 */
export type ClusterLayout = (
  parent: pulumi.Resource,
  name: string,
  spec: RhcsClusterSpec,
  opts?: pulumi.ComponentResourceOptions,
) => void;

/**
 * Checks RhcsCluster's arguments (plain values now, Outputs on resolution) and applies the defaults.
 * @internal
 */
export function resolveRhcsCluster(name: string, args: RhcsClusterArgs): RhcsClusterSpec {
  const d = clusterDefaults;
  const check = new Checker(`RhcsCluster "${name}"`);
  const nodes = checkHosts(check, "nodes", args.nodes);
  const stack = check.plain("stack", args.stack ?? d.stack, rules.oneOf<ClusterStack>("pacemaker", "cman"));
  const devices = args.fencing?.devices ?? [];
  devices.forEach((device, i) => {
    check.plain(`fencing.devices[${i}].name`, device.name, rules.objectName);
    check.plain(
      `fencing.devices[${i}].agent`,
      device.agent,
      (a) => rules.objectName(a) ?? (a.startsWith("fence_") ? undefined : "a fence agent named fence_*"),
    );
    (device.hosts ?? []).forEach((h, j) => {
      if (!nodes.some((n) => n.name === h))
        check.fail(`fencing.devices[${i}].hosts[${j}]`, h, "a node of this cluster");
    });
  });
  check.unique(
    "fencing.devices[].name",
    devices.map((device) => device.name),
  );
  const watchdog =
    args.fencing?.watchdog === undefined
      ? undefined
      : {
          device: check.plain(
            "fencing.watchdog.device",
            args.fencing.watchdog.device ?? d.watchdogDevice,
            rules.absolutePath,
          ),
          // sbd refuses a watchdog timeout under 1 s or one its device cannot hold; the library
          // keeps it within what Linux watchdog drivers take (WDIOC_SETTIMEOUT: 1-255 s on most).
          timeout: check.plain(
            "fencing.watchdog.timeout",
            args.fencing.watchdog.timeout ?? d.watchdogTimeout,
            rules.range(1, 255, " s"),
          ),
        };
  if (watchdog !== undefined && stack !== "pacemaker")
    check.fail("fencing.watchdog", "set", "no watchdog in the cman stack (sbd runs with pacemaker)");
  if (stack === "cman" && devices.length === 0)
    check.fail(
      "fencing.devices",
      "[]",
      "one fence device for the cman stack (the seed: human / fence_manual)",
    );
  if (stack === "pacemaker" && devices.some((device) => device.agent === "fence_manual"))
    check.fail(
      "fencing.devices[].agent",
      "fence_manual",
      "a pacemaker fence agent (fence_manual exists only in the cman stack)",
    );
  const checkedDevices = devices.map((device, i) => ({
    ...device,
    parameters:
      device.parameters === undefined
        ? undefined
        : check.across(`fencing.devices[${i}].parameters`, device.parameters, fenceParametersProblem, (p) =>
            // The names only: a value may be a password.
            Object.keys(p as Record<string, string>),
          ),
  }));
  const nodeIds = args.nodeIds ?? nodes.map((_, i) => i + 1);
  if (nodeIds.length !== nodes.length)
    check.fail("nodeIds", nodeIds, `one node ID for each of the ${nodes.length} nodes`);
  // knet, corosync 3's transport, needs node IDs from 1 to 65535 (exec/totemconfig.c, KNET_MAX_HOST).
  nodeIds.forEach((id, i) => check.plain(`nodeIds[${i}]`, id, rules.range(1, 65535)));
  check.unique("nodeIds", nodeIds);
  return {
    nodes,
    nodeIds,
    stack,
    clusterName: check.optional("clusterName", args.clusterName, d.clusterName, rules.clusterName),
    devices: checkedDevices,
    watchdog,
    noQuorumPolicy:
      watchdog === undefined
        ? check.optional(
            "noQuorumPolicy",
            args.noQuorumPolicy,
            d.noQuorumPolicy,
            // What pacemaker 2.1 and 3.0 both accept (lib/common/options.c, pcmk__valid_no_quorum_policy);
            // "fence", suicide's new name, is new in 2.1.9; anything else falls back to stop.
            rules.oneOf("stop", "freeze", "ignore", "demote", "suicide"),
          )
        : check.optional("noQuorumPolicy", args.noQuorumPolicy, d.noQuorumPolicyWithWatchdog, (p) =>
            // sbd without a disk (src/sbd-pacemaker.c, compute_status) self-fences on quorum loss
            // only under this policy; under the others the quorate side would take the minority
            // for fenced after stonith-watchdog-timeout while it still ran.
            p === "suicide"
              ? undefined
              : '"suicide" with watchdog fencing (diskless sbd resets a node that lost quorum only then)',
          ),
    // corosync refuses a token under 30 ms (exec/totemconfig.c, MINIMUM_TIMEOUT).
    tokenMs: check.optional("tokenMs", args.tokenMs, d.tokenMs, rules.range(30, 2 ** 32 - 1, " ms")),
    configVersion: check.optional(
      "configVersion",
      args.configVersion,
      d.configVersion,
      rules.positiveInteger,
    ),
  };
}

/** Cluster membership and fencing for all five hosts: corosync/pacemaker today, cman in the seed. */
export class RhcsCluster extends pulumi.ComponentResource implements ClusterMembership {
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
    const spec = resolveRhcsCluster(name, args);
    const fenceAgents = spec.devices.map((device) => device.agent);
    // What policies read (tools/policy).
    super("xenstorage:cluster:RhcsCluster", name, { stack: spec.stack, fenceAgents }, opts);
    this.stack = spec.stack;
    this.clusterName = spec.clusterName;
    this.nodeNames = spec.nodes.map((n) => n.name);
    this.fenceAgents = fenceAgents;
    this.fencingEnabled = spec.devices.length > 0 || spec.watchdog !== undefined;
    if (!this.fencingEnabled) {
      pulumi.log.warn(
        `RhcsCluster "${name}": no fence devices and no watchdog, so fencing is disabled; do not run production like this`,
        this,
      );
    }
    const layOut = spec.stack === "cman" ? layOutCman : layOutPacemaker;
    layOut(this, name, spec, opts);
    this.registerOutputs({
      clusterName: this.clusterName,
      nodeNames: this.nodeNames,
      fencingEnabled: this.fencingEnabled,
    });
  }
}

/**
 * Why fence-agent parameters would not survive the CIB XML they are written into: each name
 * becomes part of an XML ID (`fence-<device>-<name>`, an NCName) and an `nvpair` name, and an
 * XML parser turns a line break in an attribute into a space and cannot carry other control
 * characters at all. `pcmk_host_list` is the library's own (from `hosts`).
 */
function fenceParametersProblem(parameters: Record<string, string>): string | undefined {
  for (const [key, value] of Object.entries(parameters)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key))
      return `parameter names of letters, digits, '_' and '-', starting with a letter or '_' (${JSON.stringify(key)} is not)`;
    if (key === "pcmk_host_list") return "parameters without pcmk_host_list (the library sets it from hosts)";
    if (typeof value !== "string" || /[\x00-\x1f\x7f]/.test(value))
      return `one-line text values without control characters (the value of ${key} is not)`;
  }
  return undefined;
}
