import * as pulumi from "@pulumi/pulumi";
import { Checker } from "../core/checker";
import {
  ClusterResource,
  ExportEndpoint,
  ExportProtocol,
  FormatClaims,
  ReplicatedDevice,
  ServedExport,
  asDependency,
  isPart,
} from "../core/parts";
import * as rules from "../core/rules";
import { CheckedHost, Host, checkHosts, checkNotSshPort } from "../remote";
import { layOutGnbd } from "./gnbd";
import { layOutNbd } from "./nbd";
import { exportDefaults } from "./defaults";

export interface GnbdExportArgs {
  /** Export name. Default {@link exportDefaults.exportName} (the seed's). No `/`. */
  exportName?: pulumi.Input<string>;
  /** The device to export: a path, or the DrbdResource whose device it is. */
  device: pulumi.Input<string> | ReplicatedDevice;
  /** Both storage hosts: whichever is primary serves the export. */
  hosts: Host[];
  /** Address clients connect to: the Heartbeat virtual IP (`10.0.0.6` or `10.0.0.6/24`). */
  virtualIp: pulumi.Input<string>;
  /** `nbd` (default {@link exportDefaults.protocol}: nbd-server, started and stopped by Heartbeat with the primary role) or `gnbd` (the seed's gnbd_serv/gnbd_export in drbddisk). */
  protocol?: ExportProtocol;
  /** NBD port. Default {@link exportDefaults.port}. */
  port?: pulumi.Input<number>;
  /** Client IPv4 addresses allowed to connect (nbd authfile). Default: none, and nbd-server then refuses every client. */
  allowedClients?: pulumi.Input<string>[];
}

/**
 * GnbdExport's arguments checked and completed with the defaults.
 * @internal
 */
export interface GnbdExportSpec {
  hosts: CheckedHost[];
  protocol: ExportProtocol;
  exportName: pulumi.Output<string>;
  device: pulumi.Output<string>;
  /** The virtual IP without prefix length. */
  address: pulumi.Output<string>;
  port: pulumi.Output<number>;
  allowedClients: pulumi.Output<string>[];
  /** What the export's steps wait for: the DrbdResource, when one was given. */
  upstream: pulumi.Resource[];
}

/**
 * Lays out one protocol's children on the storage hosts; returns the pair's resources that serve the export, if any.
 * @internal
 */
export type ExportLayout = (
  parent: pulumi.Resource,
  name: string,
  spec: GnbdExportSpec,
  opts?: pulumi.ComponentResourceOptions,
) => Pick<ServedExport, "haResource" | "clusterResource">;

/**
 * Checks GnbdExport's arguments (plain values now, Outputs on resolution) and applies the defaults.
 * @internal
 */
export function resolveGnbdExport(name: string, args: GnbdExportArgs): GnbdExportSpec {
  const d = exportDefaults;
  const check = new Checker(`GnbdExport "${name}"`);
  const drbd = isPart<ReplicatedDevice>(args.device, "resourceName") ? args.device : undefined;
  const protocol = check.plain(
    "protocol",
    args.protocol ?? d.protocol,
    rules.oneOf<ExportProtocol>("nbd", "gnbd"),
  );
  return {
    hosts: checkHosts(check, "hosts", args.hosts),
    protocol,
    exportName: check.optional(
      "exportName",
      args.exportName,
      d.exportName,
      (e) =>
        // nbd-server reads its [generic] section as its own settings, never as an export (nbd-server(5)).
        rules.objectName(e) ??
        (protocol === "nbd" && e === "generic"
          ? "a name other than generic (nbd-server's own section)"
          : undefined),
    ),
    device:
      drbd === undefined
        ? check.input("device", args.device as pulumi.Input<string>, rules.absolutePath)
        : drbd.device,
    address: check
      .input("virtualIp", args.virtualIp, (v) =>
        rules.ipv4(v) === undefined ? rules.clusterIpv4(v) : rules.virtualIp(v),
      )
      .apply((v) => v.split("/")[0]),
    port: checkNotSshPort(check, "port", check.value("port", args.port ?? d.port, rules.port), args.hosts),
    allowedClients: (args.allowedClients ?? []).map((c, i) =>
      check.input(`allowedClients[${i}]`, c, rules.clusterIpv4),
    ),
    upstream: asDependency(drbd),
  };
}

/**
 * The block-device export on the storage hosts. It is installed on both, and Heartbeat
 * starts it on the primary only (list `haResource` in HeartbeatPair's haresources).
 */
export class GnbdExport
  extends pulumi.ComponentResource
  implements ExportEndpoint, ServedExport, FormatClaims
{
  /** Where clients connect: the virtual IP, without prefix length. */
  public readonly address: pulumi.Output<string>;
  /** The export name. */
  public readonly exportName: pulumi.Output<string>;
  /** The port (NBD). */
  public readonly port: pulumi.Output<number>;
  /** The protocol. */
  public readonly protocol: ExportProtocol;
  /**
   * The Heartbeat resource that serves the export (`xenstorage-nbd::NAME`), or `undefined`
   * for gnbd, which the seed's drbddisk starts itself.
   */
  public readonly haResource: pulumi.Output<string> | undefined;
  /** The Pacemaker resource that serves the export (`ocf:xenstorage:nbd-export`), or `undefined` for gnbd. */
  public readonly clusterResource?: pulumi.Output<ClusterResource>;
  private formatter?: string;

  constructor(name: string, args: GnbdExportArgs, opts?: pulumi.ComponentResourceOptions) {
    const spec = resolveGnbdExport(name, args);
    super("xenstorage:export:GnbdExport", name, {}, opts);
    this.protocol = spec.protocol;
    this.exportName = spec.exportName;
    this.address = spec.address;
    this.port = spec.port;
    const layOut = spec.protocol === "gnbd" ? layOutGnbd : layOutNbd;
    const served = layOut(this, name, spec, opts);
    this.haResource = served.haResource;
    this.clusterResource = served.clusterResource;
    this.registerOutputs({ address: this.address, exportName: this.exportName, port: this.port });
  }

  /** Records the client that formats the volume; returns another that did so first, if any. */
  claimFormat(client: string): string | undefined {
    if (this.formatter !== undefined && this.formatter !== client) return this.formatter;
    this.formatter = client;
    return undefined;
  }
}
