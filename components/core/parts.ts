/**
 * How the parts meet: small structural interfaces, never a concrete class, so that two copies
 * of the package (or a user's own component) work together.
 */
import * as pulumi from "@pulumi/pulumi";

/** A block device another part builds on: an LvmVolume under DRBD. */
export interface BlockDevice {
  /** Device path, e.g. `/dev/vg1/cluster`. */
  devicePath: pulumi.Output<string>;
  /** Wanted size in bytes (DRBD's two peers must match). */
  sizeBytes: pulumi.Output<number>;
  /** The size as declared, when it was a plain value: DRBD compares its peers before anything is registered. */
  declaredSize?: string;
}

/** A replicated device (a DrbdResource): what the export serves and Heartbeat promotes. */
export interface ReplicatedDevice {
  /** The DRBD resource name. */
  resourceName: pulumi.Output<string>;
  /** The device node, e.g. `/dev/drbd0`. */
  device: pulumi.Output<string>;
}

export type ExportProtocol = "nbd" | "gnbd";

/** Where a client finds the export (a GnbdExport gives all of it). */
export interface ExportEndpoint {
  /** Server address: the virtual IP. */
  address: pulumi.Input<string>;
  /** Export name. */
  exportName: pulumi.Input<string>;
  /** Port (NBD). Default {@link exportDefaults.port}. */
  port?: pulumi.Input<number>;
  /** `nbd` (default {@link exportDefaults.protocol}) or `gnbd`. */
  protocol?: ExportProtocol;
}

/** A resource of the library's OCF provider (`ocf:xenstorage:TYPE`) that Pacemaker runs. */
export interface ClusterResource {
  /** The agent's name in {@link OCF_AGENT_DIR}. */
  type: string;
  /** Its instance parameters. */
  parameters: Record<string, string>;
}

/** An export that the pair starts on the primary (a GnbdExport). */
export interface ServedExport {
  /** `nbd` or `gnbd`: the 2006 Heartbeat starts only a GNBD export (through its drbddisk). */
  protocol: ExportProtocol;
  /** The Heartbeat resource that serves it, or `undefined` when the drbddisk script does. */
  haResource: pulumi.Output<string> | undefined;
  /** The Pacemaker resource that serves it (the `pacemaker` engine), when it has one. */
  clusterResource?: pulumi.Output<ClusterResource>;
}

/**
 * Where Heartbeat v1 looks for the resource scripts that haresources names.
 * @internal
 */
export const HA_RESOURCE_DIR = "/etc/ha.d/resource.d";

/**
 * The library's OCF resource agents (provider `xenstorage`), which Pacemaker runs.
 * @internal
 */
export const OCF_AGENT_DIR = "/usr/lib/ocf/resource.d/xenstorage";

/** Cluster membership (an RhcsCluster). */
export interface ClusterMembership {
  /** Member node names. */
  nodeNames: string[];
  /** Whether the cluster fences (a fence device or the watchdog). */
  fencingEnabled?: boolean;
  /** The cluster stack: `pacemaker` or `cman`. */
  stack?: string;
}

/** An export whose clients agree on one that formats it (a GnbdExport). */
export interface FormatClaims {
  /** Records `client` as the one that formats; returns the client that did so first, if another. */
  claimFormat(client: string): string | undefined;
}

/**
 * True when `value` is an object with `key`, not an Output or a plain value (a part, not an Input).
 * @internal
 */
export function isPart<T extends object>(value: unknown, key: keyof T): value is T {
  return typeof value === "object" && value !== null && !pulumi.Output.isInstance(value) && key in value;
}

/**
 * The part as a dependency when it is a resource (a component), else nothing.
 * @internal
 */
export function asDependency(value: unknown): pulumi.Resource[] {
  return pulumi.Resource.isInstance(value) ? [value] : [];
}
