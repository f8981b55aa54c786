import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Checker } from "../core/checker";
import { childOf } from "../core/options";
import { BlockDevice, ReplicatedDevice, asDependency, isPart } from "../core/parts";
import * as rules from "../core/rules";
import { CheckedHost, Host, RemoteFile, Step, checkHost, checkNotSshPort } from "../remote";
import { DrbdFencing, DrbdPeerSpec, DrbdSpec, drbdBootDropInPath, renderDrbdBootDropIn } from "./render";
import { DrbdScriptSpec, SplitBrainRecovery, drbdDownScript, splitBrainRecovery } from "./scripts";
import { DrbdVersion, drbdVariant } from "./variant";
import { fencePeerHandlerPath, fencePeerHandlerScript } from "./fence-handler";
import { shq } from "../core/shell";
import { drbdDefaults } from "./defaults";

export type { DrbdFencing, DrbdVersion };

/** One of the two sides of a DRBD resource. */
export interface DrbdPeerArgs {
  /** The storage host. */
  host: Host;
  /** Backing disk: a device path, or the LvmVolume that holds it (then the two peers' sizes must match). */
  disk: pulumi.Input<string> | BlockDevice;
  /** Replication address. Default: the host's `clusterAddress`. */
  address?: pulumi.Input<string>;
  /** Replication port. Default {@link drbdDefaults.port}. */
  port?: pulumi.Input<number>;
  /** DRBD device. Default {@link drbdDefaults.device}. */
  device?: pulumi.Input<string>;
}

/** DRBD's automatic split-brain recovery policies (`net` section). */
export interface DrbdSplitBrainArgs {
  /** No primary when the split brain is found. Default {@link drbdDefaults.splitBrain.afterSb0Pri}. */
  afterSb0Pri?: pulumi.Input<
    | "disconnect"
    | "discard-younger-primary"
    | "discard-older-primary"
    | "discard-zero-changes"
    | "discard-least-changes"
  >;
  /**
   * One primary. Default {@link drbdDefaults.splitBrain.afterSb1Pri}: the secondary's changes
   * are discarded only when it made none (as `discard-zero-changes` would decide); otherwise
   * the resource stays disconnected for an operator. `discard-secondary` can silently drop
   * writes the secondary took while it was primary during the split.
   */
  afterSb1Pri?: pulumi.Input<"disconnect" | "consensus" | "discard-secondary" | "call-pri-lost-after-sb">;
  /** Two primaries. Default {@link drbdDefaults.splitBrain.afterSb2Pri} (a human decides). */
  afterSb2Pri?: pulumi.Input<"disconnect" | "call-pri-lost-after-sb">;
}

export interface DrbdResourceArgs {
  /** Resource name. Default {@link drbdDefaults.resourceName} (the seed's). */
  resourceName?: pulumi.Input<string>;
  /** Exactly two peers. */
  peers: DrbdPeerArgs[];
  /** Replication protocol. Default {@link drbdDefaults.protocol} (synchronous: a write is done when both disks have it). */
  protocol?: pulumi.Input<"A" | "B" | "C">;
  /** `8.4` (default {@link drbdDefaults.version}: the module of Debian 13's and 12's kernels), `9`, or `0.7` (the seed's `drbd.conf`, for the 2006 flavor). */
  version?: DrbdVersion;
  /** Seconds a degraded node waits for its peer at boot. Default {@link drbdDefaults.degrWfcTimeout}. */
  degrWfcTimeout?: pulumi.Input<number>;
  /** What to do on a lower-level I/O error. Default {@link drbdDefaults.onIoError}. */
  onIoError?: pulumi.Input<"detach" | "pass_on" | "call-local-io-error">;
  /** Resync rate. Default {@link drbdDefaults.resyncRate}. */
  resyncRate?: pulumi.Input<string>;
  /** Split-brain policies; defaults as documented on each field. */
  splitBrain?: DrbdSplitBrainArgs;
  /**
   * DRBD's fencing policy. `resource-and-stonith` (what a cluster file system needs): a primary
   * that loses its peer freezes I/O until drbd-utils' `crm-fence-peer` handler has barred the
   * peer from promotion in Pacemaker's CIB and, if the peer is gone, until the cluster has
   * fenced it; the peer can then never be promoted over newer data. The handler is the host's
   * own script, adapted to Pacemaker 2.1.7's `node_state` when it predates it (written to
   * `/usr/local/lib/xenstorage/drbd/`), with `--timeout` and `--dc-timeout` that never expire:
   * it returns only once the peer is reachable or fenced, never on a timeout. Needs the pair run
   * by Pacemaker (HeartbeatPair's `pacemaker` engine) with fencing. Default
   * {@link drbdDefaults.fencing} (none: what Heartbeat v1 can run).
   */
  fencing?: DrbdFencing;
  /** Peer authentication secret. Default: {@link drbdDefaults.sharedSecretLength} random characters from `@pulumi/random`, kept secret. */
  sharedSecret?: pulumi.Input<string>;
  /**
   * Node name that becomes the initial sync source. Acts only when both sides are fresh
   * (`Inconsistent/Inconsistent`), then steps down so Heartbeat alone picks the primary.
   * Default: none (nothing is forced).
   */
  initialPrimary?: string;
  /** On delete, wipe the DRBD metadata; on create, allow `create-md` over a disk with another signature. Default {@link drbdDefaults.allowDataLoss}. */
  allowDataLoss?: boolean;
}

/** One peer, checked: its host, its disk (and the volume behind it, if any) and its spec. */
interface ResolvedPeer {
  host: CheckedHost;
  volume?: BlockDevice;
  spec: pulumi.Output<DrbdPeerSpec>;
}

/**
 * DrbdResource's arguments checked and completed with the defaults.
 * @internal
 */
export interface DrbdResourceSpec {
  version: DrbdVersion;
  resource: pulumi.Output<string>;
  peers: ResolvedPeer[];
  /** Everything of the config file but the shared secret (which the layout may generate). */
  config: pulumi.Output<Omit<DrbdSpec, "sharedSecret" | "peers">>;
  sharedSecret?: pulumi.Output<string>;
  initialPrimary?: number;
  allowDataLoss: boolean;
  /** What policies read (tools/policy): no secrets here. */
  policy: Record<string, unknown>;
}

/**
 * Checks DrbdResource's arguments (plain values now, Outputs on resolution) and applies the defaults.
 * @internal
 */
export function resolveDrbdResource(name: string, args: DrbdResourceArgs): DrbdResourceSpec {
  const d = drbdDefaults;
  const check = new Checker(`DrbdResource "${name}"`);
  if (!Array.isArray(args.peers) || args.peers.length !== 2) {
    check.fail("peers", `${Array.isArray(args.peers) ? args.peers.length : "no"} peers`, "exactly two peers");
  }
  const version = check.plain(
    "version",
    args.version ?? d.version,
    rules.oneOf<DrbdVersion>("0.7", "8.4", "9"),
  );
  const hosts = args.peers.map((p, i) => checkHost(check, `peers[${i}].host`, p.host));
  check.unique(
    "peers[].host.name",
    hosts.map((h) => h.name),
  );
  const initialPrimary =
    args.initialPrimary === undefined
      ? undefined
      : check.plain("initialPrimary", args.initialPrimary, (p) =>
          hosts.some((h) => h.name === p)
            ? undefined
            : `one of the peers (${hosts.map((h) => h.name).join(", ")})`,
        );
  const volumes = args.peers.map((p) => (isPart<BlockDevice>(p.disk, "devicePath") ? p.disk : undefined));
  const sameSize = check.across(
    "peers[].disk",
    volumes.map((v) => v?.declaredSize ?? v?.sizeBytes),
    (sizes) => {
      const [a, b] = sizes.map((s) => (typeof s === "string" ? rules.sizeToBytes(s) : s));
      return a !== undefined && b !== undefined && a !== b
        ? "volumes of the same size on both peers"
        : undefined;
    },
    (sizes) => sizes.join(" and "),
  );
  const distinct = check.across(
    "peers[].address",
    args.peers.map((p) => [p.address ?? p.host.clusterAddress, p.port ?? d.port]),
    ([[a, aPort], [b, bPort]]) =>
      a === b && aPort === bPort ? "a different address:port for each peer" : undefined,
    ([[a, aPort]]) => `${a}:${aPort}`,
  );
  const sameDevice = check.across(
    "peers[].device",
    args.peers.map((p, i) => check.value(`peers[${i}].device`, p.device ?? d.device, rules.drbdDevice)),
    ([a, b]) =>
      a === b ? undefined : "the same DRBD device on both peers (the export serves one device name)",
    (devices) => devices.join(" and "),
  );
  const resource = check.optional("resourceName", args.resourceName, d.resourceName, rules.objectName);
  const peers = args.peers.map((p, i): ResolvedPeer => {
    const f = `peers[${i}]`;
    const volume = volumes[i];
    const spec = pulumi
      .all([
        volume === undefined
          ? check.input(`${f}.disk`, p.disk as pulumi.Input<string>, rules.backingDevice)
          : volume.devicePath,
        p.address === undefined
          ? hosts[i].clusterAddress
          : check.input(`${f}.address`, p.address, rules.clusterIpv4),
        checkNotSshPort(check, `${f}.port`, check.value(`${f}.port`, p.port ?? d.port, rules.port), [p.host]),
        sameSize,
        distinct,
        sameDevice,
      ])
      .apply(([disk, address, port, , , devices]): DrbdPeerSpec => ({
        name: hosts[i].name,
        disk,
        address,
        port,
        device: devices[i],
      }));
    return { host: hosts[i], volume, spec };
  });
  const sb = args.splitBrain ?? {};
  const protocol = check.optional(
    "protocol",
    args.protocol,
    d.protocol,
    rules.oneOf<"A" | "B" | "C">("A", "B", "C"),
  );
  const splitBrain = pulumi.output({
    afterSb0Pri: check.optional(
      "splitBrain.afterSb0Pri",
      sb.afterSb0Pri,
      d.splitBrain.afterSb0Pri,
      rules.oneOf(
        "disconnect",
        "discard-younger-primary",
        "discard-older-primary",
        "discard-zero-changes",
        "discard-least-changes",
      ),
    ),
    afterSb1Pri: check.optional(
      "splitBrain.afterSb1Pri",
      sb.afterSb1Pri,
      d.splitBrain.afterSb1Pri,
      rules.oneOf("disconnect", "consensus", "discard-secondary", "call-pri-lost-after-sb"),
    ),
    afterSb2Pri: check.optional(
      "splitBrain.afterSb2Pri",
      sb.afterSb2Pri,
      d.splitBrain.afterSb2Pri,
      rules.oneOf("disconnect", "call-pri-lost-after-sb"),
    ),
  });
  const fencing = check.plain(
    "fencing",
    args.fencing ?? d.fencing,
    rules.oneOf<DrbdFencing>("dont-care", "resource-only", "resource-and-stonith"),
  );
  if (version === "0.7" && fencing !== "dont-care")
    check.fail("fencing", fencing, `"dont-care" with DRBD 0.7 (the seed's drbd.conf has no fencing)`);
  const config = pulumi.output({
    resource,
    version,
    fencing,
    protocol,
    splitBrain,
    degrWfcTimeout: check.optional(
      "degrWfcTimeout",
      args.degrWfcTimeout,
      d.degrWfcTimeout,
      // DRBD_DEGR_WFC_TIMEOUT_MIN/MAX in drbd-utils' user/v84/linux/drbd_limits.h.
      rules.range(0, 300000, " seconds (0 waits for ever)"),
    ),
    onIoError: check.optional(
      "onIoError",
      args.onIoError,
      d.onIoError,
      rules.oneOf("detach", "pass_on", "call-local-io-error"),
    ),
    resyncRate: check.optional("resyncRate", args.resyncRate, d.resyncRate, rules.rate),
  });
  const allowDataLoss = check.plain("allowDataLoss", args.allowDataLoss ?? d.allowDataLoss, rules.boolean);
  return {
    version,
    resource,
    peers,
    config,
    sharedSecret:
      args.sharedSecret === undefined
        ? undefined
        : check.secret("sharedSecret", pulumi.secret(args.sharedSecret), rules.drbdSecret),
    initialPrimary:
      initialPrimary === undefined ? undefined : hosts.findIndex((h) => h.name === initialPrimary),
    allowDataLoss,
    policy: {
      protocol,
      version,
      fencing,
      splitBrain,
      allowDataLoss,
    },
  };
}

/** A DRBD resource mirrored between the two storage hosts. */
export class DrbdResource extends pulumi.ComponentResource implements ReplicatedDevice {
  /** The resource name. */
  public readonly resourceName: pulumi.Output<string>;
  /** The DRBD device (both peers use the same), e.g. `/dev/drbd0`. */
  public readonly device: pulumi.Output<string>;
  /** The shared secret (secret). */
  public readonly sharedSecret: pulumi.Output<string>;
  /**
   * The commands that end a split brain which the policies left disconnected (both sides
   * changed): the first on the node whose changes are dropped, then the second on the other.
   */
  public readonly splitBrainRecovery: pulumi.Output<SplitBrainRecovery>;

  constructor(name: string, args: DrbdResourceArgs, opts?: pulumi.ComponentResourceOptions) {
    const spec = resolveDrbdResource(name, args);
    super("xenstorage:drbd:DrbdResource", name, spec.policy, opts);
    const variant = drbdVariant(spec.version);
    this.sharedSecret =
      spec.sharedSecret ??
      pulumi.secret(
        new random.RandomPassword(
          `${name}-shared-secret`,
          { length: drbdDefaults.sharedSecretLength, special: false },
          { parent: this },
        ).result,
      );
    const configText = pulumi
      .all([spec.config, this.sharedSecret, pulumi.all(spec.peers.map((p) => p.spec))])
      .apply(([config, sharedSecret, [a, b]]) => variant.render({ ...config, sharedSecret, peers: [a, b] }));
    const configPath = spec.resource.apply(variant.configPath);
    const scriptSpecs = spec.peers.map((peer) =>
      pulumi.all([spec.resource, peer.spec]).apply(([resource, p]): DrbdScriptSpec => ({
        resource,
        disk: p.disk,
        connectTimeout: drbdDefaults.connectTimeout,
        bootDropIn: peer.volume !== undefined && variant.bootOrder ? drbdBootDropInPath(resource) : undefined,
      })),
    );

    const upSteps = spec.peers.map((peer, i) => {
      const n = `${name}-${peer.host.name}`;
      const host = peer.host;
      const upstream = asDependency(peer.volume);
      const global =
        variant.global === undefined
          ? undefined
          : new RemoteFile(
              `${n}-global`,
              { host, path: "/etc/drbd.d/global_common.conf", content: variant.global },
              childOf(this, opts?.dependsOn),
            );
      const config = new RemoteFile(
        `${n}-config`,
        { host, path: configPath, content: configText, secret: true },
        childOf(this, opts?.dependsOn, global),
      );
      const bootOrder =
        peer.volume === undefined || !variant.bootOrder
          ? undefined
          : new RemoteFile(
              `${n}-boot-order`,
              {
                host,
                path: spec.resource.apply(drbdBootDropInPath),
                content: peer.volume.devicePath.apply(renderDrbdBootDropIn),
              },
              childOf(this, opts?.dependsOn, ...upstream),
            );
      const fenceHandler =
        spec.policy.fencing === "dont-care"
          ? undefined
          : new Step(
              `${n}-fence-handler`,
              {
                host,
                create: fencePeerHandlerScript(spec.version === "9"),
                delete: `rm -f ${shq(fencePeerHandlerPath(spec.version === "9"))}`,
              },
              childOf(this, opts?.dependsOn),
            );
      const metadata = new Step(
        `${n}-metadata`,
        { host, create: scriptSpecs[i].apply((s) => variant.createMdScript(s, spec.allowDataLoss)) },
        childOf(this, opts?.dependsOn, config, ...upstream),
      );
      return new Step(
        `${n}-up`,
        {
          host,
          create: scriptSpecs[i].apply(variant.upScript),
          delete: scriptSpecs[i].apply((s) => drbdDownScript(s, spec.allowDataLoss)),
          rerunOn: [config.contentHash, ...(bootOrder ? [bootOrder.contentHash] : [])],
        },
        childOf(this, opts?.dependsOn, metadata, bootOrder, fenceHandler),
      );
    });

    if (spec.initialPrimary !== undefined) {
      new Step(
        `${name}-initial-primary`,
        {
          host: spec.peers[spec.initialPrimary].host,
          create: scriptSpecs[spec.initialPrimary].apply(variant.initialPrimaryScript),
        },
        childOf(this, opts?.dependsOn, ...upSteps),
      );
    }

    this.resourceName = spec.resource;
    this.splitBrainRecovery = spec.resource.apply(splitBrainRecovery);
    this.device = spec.peers[0].spec.apply((p) => p.device);
    this.registerOutputs({
      resourceName: this.resourceName,
      device: this.device,
      splitBrainRecovery: this.splitBrainRecovery,
    });
  }
}
