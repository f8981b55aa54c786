import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Checker } from "../core/checker";
import { LvmVolume } from "../lvm/lvm-volume";
import { childOf } from "../core/options";
import { CheckedHost, Host, RemoteFile, Step, checkHost } from "../remote";
import {
  DrbdPeerSpec,
  DrbdSpec,
  drbdBootDropInPath,
  renderDrbd,
  renderDrbdBootDropIn,
  renderDrbdGlobal,
} from "./render";
import {
  DrbdScriptSpec,
  SplitBrainRecovery,
  drbdCreateMdScript,
  drbdDownScript,
  drbdInitialPrimaryScript,
  drbdUpScript,
  splitBrainRecovery,
} from "./scripts";
import * as rules from "../core/rules";

export type DrbdVersion = "0.7" | "8.4" | "9";

/** One of the two sides of a DRBD resource. */
export interface DrbdPeerArgs {
  /** The storage host. */
  host: Host;
  /** Backing disk: a device path, or the LvmVolume that holds it (then the two peers' sizes must match). */
  disk: pulumi.Input<string> | LvmVolume;
  /** Replication address. Default: the host's `clusterAddress`. */
  address?: pulumi.Input<string>;
  /** Replication port. Default `7788`. */
  port?: pulumi.Input<number>;
  /** DRBD device. Default `/dev/drbd0`. */
  device?: pulumi.Input<string>;
}

/** DRBD's automatic split-brain recovery policies (`net` section). */
export interface DrbdSplitBrainArgs {
  /** No primary when the split brain is found. Default `discard-zero-changes`. */
  afterSb0Pri?: pulumi.Input<
    | "disconnect"
    | "discard-younger-primary"
    | "discard-older-primary"
    | "discard-zero-changes"
    | "discard-least-changes"
  >;
  /**
   * One primary. Default `consensus`: the secondary's changes are discarded only when it made
   * none (as `discard-zero-changes` would decide); otherwise the resource stays disconnected
   * for an operator. `discard-secondary` can silently drop writes the secondary took while it
   * was primary during the split.
   */
  afterSb1Pri?: pulumi.Input<"disconnect" | "consensus" | "discard-secondary" | "call-pri-lost-after-sb">;
  /** Two primaries. Default `disconnect` (a human decides). */
  afterSb2Pri?: pulumi.Input<"disconnect" | "call-pri-lost-after-sb">;
}

export interface DrbdResourceArgs {
  /** Resource name. Default `cluster` (the seed's). */
  resourceName?: pulumi.Input<string>;
  /** Exactly two peers. */
  peers: DrbdPeerArgs[];
  /** Replication protocol. Default `C` (synchronous: a write is done when both disks have it). */
  protocol?: pulumi.Input<"A" | "B" | "C">;
  /** `8.4` (default: the Debian 12 kernel's module), `9`, or `0.7` (the seed's `drbd.conf`, for the 2006 flavor). */
  version?: DrbdVersion;
  /** Seconds a degraded node waits for its peer at boot. Default `120`. */
  degrWfcTimeout?: pulumi.Input<number>;
  /** What to do on a lower-level I/O error. Default `detach`. */
  onIoError?: pulumi.Input<"detach" | "pass_on" | "call-local-io-error">;
  /** Resync rate. Default `5M`. */
  resyncRate?: pulumi.Input<string>;
  /** Split-brain policies; defaults as documented on each field. */
  splitBrain?: DrbdSplitBrainArgs;
  /** Peer authentication secret. Default: 32 random characters from `@pulumi/random`, kept secret. */
  sharedSecret?: pulumi.Input<string>;
  /**
   * Node name that becomes the initial sync source. Acts only when both sides are fresh
   * (`Inconsistent/Inconsistent`), then steps down so Heartbeat alone picks the primary.
   * Default: none (nothing is forced).
   */
  initialPrimary?: string;
  /** On delete, wipe the DRBD metadata; on create, allow `create-md` over a disk with another signature. Default `false`. */
  allowDataLoss?: boolean;
}

/** A DRBD resource mirrored between the two storage hosts. */
export class DrbdResource extends pulumi.ComponentResource {
  /** The resource name. */
  public readonly resourceName: pulumi.Output<string>;
  /** The DRBD device (both peers use the same), e.g. `/dev/drbd0`. */
  public readonly device: pulumi.Output<string>;
  /** The peers' hosts. */
  public readonly hosts: CheckedHost[];
  /** The shared secret (secret). */
  public readonly sharedSecret: pulumi.Output<string>;
  /**
   * The commands that end a split brain which the policies left disconnected (both sides
   * changed): the first on the node whose changes are dropped, then the second on the other.
   */
  public readonly splitBrainRecovery: pulumi.Output<SplitBrainRecovery>;

  constructor(name: string, args: DrbdResourceArgs, opts?: pulumi.ComponentResourceOptions) {
    // What policies read (tools/policy): no secrets here.
    super(
      "xenstorage:drbd:DrbdResource",
      name,
      {
        protocol: args.protocol ?? "C",
        version: args.version ?? "8.4",
        splitBrain: {
          afterSb0Pri: "discard-zero-changes",
          afterSb1Pri: "consensus",
          afterSb2Pri: "disconnect",
          ...args.splitBrain,
        },
        allowDataLoss: args.allowDataLoss === true,
      },
      opts,
    );
    const check = new Checker(this, `DrbdResource "${name}"`);
    if (!Array.isArray(args.peers) || args.peers.length !== 2) {
      check.fail(
        "peers",
        `${Array.isArray(args.peers) ? args.peers.length : "no"} peers`,
        "exactly two peers",
      );
    }
    const version = check.plain(
      "version",
      args.version ?? "8.4",
      rules.oneOf<DrbdVersion>("0.7", "8.4", "9"),
    );
    this.hosts = args.peers.map((p, i) => checkHost(check, `peers[${i}].host`, p.host));
    check.unique(
      "peers[].host.name",
      this.hosts.map((h) => h.name),
    );
    if (args.initialPrimary !== undefined && !this.hosts.some((h) => h.name === args.initialPrimary)) {
      check.fail(
        "initialPrimary",
        args.initialPrimary,
        `one of the peers (${this.hosts.map((h) => h.name).join(", ")})`,
      );
    }
    checkPeerSizes(check, args.peers);
    checkDistinctEndpoints(check, args.peers);

    const resource = check.optional("resourceName", args.resourceName, "cluster", rules.objectName);
    const peers = args.peers.map((p, i) => {
      const f = `peers[${i}]`;
      const disk =
        p.disk instanceof LvmVolume
          ? p.disk.devicePath
          : check.input(`${f}.disk`, p.disk, rules.absolutePath);
      return pulumi
        .all([
          disk,
          p.address === undefined
            ? this.hosts[i].clusterAddress
            : check.input(`${f}.address`, p.address, rules.ipv4),
          check.optional(`${f}.port`, p.port, 7788, rules.port),
          check.optional(`${f}.device`, p.device, "/dev/drbd0", rules.absolutePath),
        ])
        .apply(([d, address, port, device]): DrbdPeerSpec => ({
          name: this.hosts[i].name,
          disk: d,
          address,
          port,
          device,
        }));
    });
    this.sharedSecret = pulumi.secret(
      args.sharedSecret ??
        new random.RandomPassword(`${name}-shared-secret`, { length: 32, special: false }, { parent: this })
          .result,
    );
    const sb = args.splitBrain ?? {};
    const spec: pulumi.Output<DrbdSpec> = pulumi
      .output({
        resource,
        protocol: check.optional("protocol", args.protocol, "C", rules.oneOf<"A" | "B" | "C">("A", "B", "C")),
        degrWfcTimeout: check.optional("degrWfcTimeout", args.degrWfcTimeout, 120, rules.positiveInteger),
        onIoError: check.optional(
          "onIoError",
          args.onIoError,
          "detach",
          rules.oneOf("detach", "pass_on", "call-local-io-error"),
        ),
        resyncRate: check.optional("resyncRate", args.resyncRate, "5M", rules.rate),
        afterSb0Pri: check.optional(
          "splitBrain.afterSb0Pri",
          sb.afterSb0Pri,
          "discard-zero-changes",
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
          "consensus",
          rules.oneOf("disconnect", "consensus", "discard-secondary", "call-pri-lost-after-sb"),
        ),
        afterSb2Pri: check.optional(
          "splitBrain.afterSb2Pri",
          sb.afterSb2Pri,
          "disconnect",
          rules.oneOf("disconnect", "call-pri-lost-after-sb"),
        ),
        sharedSecret: check.secret("sharedSecret", this.sharedSecret, rules.drbdSecret),
        peers: pulumi.all(peers),
      })
      .apply((v): DrbdSpec => ({
        resource: v.resource,
        version,
        protocol: v.protocol as DrbdSpec["protocol"],
        degrWfcTimeout: v.degrWfcTimeout,
        onIoError: v.onIoError,
        resyncRate: v.resyncRate,
        splitBrain: { afterSb0Pri: v.afterSb0Pri, afterSb1Pri: v.afterSb1Pri, afterSb2Pri: v.afterSb2Pri },
        sharedSecret: v.sharedSecret,
        peers: [v.peers[0] as DrbdPeerSpec, v.peers[1] as DrbdPeerSpec],
      }));
    const configText = spec.apply(renderDrbd);
    const configPath = resource.apply((r) => (version === "0.7" ? "/etc/drbd.conf" : `/etc/drbd.d/${r}.res`));

    const upSteps = this.hosts.map((host, i) => {
      const peerName = `${name}-${host.name}`;
      const volume = args.peers[i].disk instanceof LvmVolume ? (args.peers[i].disk as LvmVolume) : undefined;
      const global =
        version === "0.7"
          ? undefined
          : new RemoteFile(
              `${peerName}-global`,
              { host, path: "/etc/drbd.d/global_common.conf", content: renderDrbdGlobal() },
              childOf(this, opts?.dependsOn),
            );
      const config = new RemoteFile(
        `${peerName}-config`,
        { host, path: configPath, content: configText, secret: true },
        childOf(this, opts?.dependsOn, global),
      );
      const scriptSpec = pulumi.all([resource, peers[i]]).apply(([r, p]): DrbdScriptSpec => ({
        resource: r,
        version,
        disk: p.disk,
        connectTimeout: 300,
        bootDropIn: volume === undefined || version === "0.7" ? undefined : drbdBootDropInPath(r),
      }));
      const bootOrder =
        volume === undefined || version === "0.7"
          ? undefined
          : new RemoteFile(
              `${peerName}-boot-order`,
              {
                host,
                path: resource.apply(drbdBootDropInPath),
                content: volume.devicePath.apply(renderDrbdBootDropIn),
              },
              childOf(this, opts?.dependsOn, volume),
            );
      const metadata = new Step(
        `${peerName}-metadata`,
        { host, create: scriptSpec.apply((s) => drbdCreateMdScript(s, args.allowDataLoss === true)) },
        childOf(this, opts?.dependsOn, config, volume),
      );
      return new Step(
        `${peerName}-up`,
        {
          host,
          create: scriptSpec.apply(drbdUpScript),
          delete: scriptSpec.apply((s) => drbdDownScript(s, args.allowDataLoss === true)),
          rerunOn: [config.contentHash, ...(bootOrder ? [bootOrder.contentHash] : [])],
        },
        childOf(this, opts?.dependsOn, metadata, bootOrder),
      );
    });

    if (args.initialPrimary !== undefined) {
      const i = this.hosts.findIndex((h) => h.name === args.initialPrimary);
      new Step(
        `${name}-initial-primary`,
        {
          host: this.hosts[i],
          create: pulumi
            .all([resource, peers[i]])
            .apply(([r, p]) =>
              drbdInitialPrimaryScript({ resource: r, version, disk: p.disk, connectTimeout: 300 }),
            ),
        },
        childOf(this, opts?.dependsOn, ...upSteps),
      );
    }

    this.resourceName = resource;
    this.splitBrainRecovery = resource.apply(splitBrainRecovery);
    this.device = peers[0].apply((p) => p.device);
    this.registerOutputs({
      resourceName: this.resourceName,
      device: this.device,
      splitBrainRecovery: this.splitBrainRecovery,
    });
  }
}

/** Two LvmVolume peers with plain sizes must declare the same size (DRBD uses the smaller; the rest is wasted). */
function checkPeerSizes(check: Checker, peers: DrbdPeerArgs[]): void {
  const [a, b] = peers.map((p) => (p.disk instanceof LvmVolume ? p.disk.declaredSize : undefined));
  if (a !== undefined && b !== undefined && rules.sizeToBytes(a) !== rules.sizeToBytes(b)) {
    check.fail("peers[].disk", `${a} and ${b}`, "volumes of the same size on both peers");
  }
}

/** The two peers may not share an address:port (a mismatched peer would connect to itself). */
function checkDistinctEndpoints(check: Checker, peers: DrbdPeerArgs[]): void {
  const endpoints = peers.map((p) => {
    const address = p.address ?? p.host?.clusterAddress;
    const port = p.port ?? 7788;
    return typeof address === "string" && typeof port === "number" ? `${address}:${port}` : undefined;
  });
  if (endpoints[0] !== undefined && endpoints[0] === endpoints[1]) {
    check.fail("peers[].address", endpoints[0], "a different address:port for each peer");
  }
}
