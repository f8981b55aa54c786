import * as pulumi from "@pulumi/pulumi";
import { Checker } from "../core/checker";
import { childOf } from "../core/options";
import { ExportEndpoint, ExportProtocol, FormatClaims, asDependency, isPart } from "../core/parts";
import * as rules from "../core/rules";
import {
  CheckedHost,
  Host,
  RemoteFile,
  RemoteFileBlock,
  Step,
  checkHost,
  checkMembers,
  checkNotSshPort,
} from "../remote";
import { gnbdImport } from "./gnbd-import";
import { ImportSpec, ImportVariant } from "./import";
import { nbdImport } from "./nbd-import";
import { renderFstabLine, renderO2cbDefaults, renderOcfs2ClusterConf } from "./render";
import {
  MountSpec,
  formatScript,
  mountScript,
  o2cbOfflineScript,
  o2cbOnlineScript,
  remountScript,
  unmountScript,
} from "./scripts";
import { ocfs2Defaults } from "./defaults";

export interface Ocfs2ClientArgs {
  /** The Xen node this client runs on. */
  host: Host;
  /** Every node of the OCFS2 cluster, this one included, in node-number order. */
  nodes: Host[];
  /** The export to import: a GnbdExport, or its address, name, port and protocol. */
  export: ExportEndpoint;
  /**
   * What starts the export (the HeartbeatPair of its storage hosts). The client's steps wait
   * for it, except the import's settings: a changed port reaches the clients before the
   * export is re-served on it, so that they reconnect at once. Default: none.
   */
  servedBy?: pulumi.Resource;
  /** o2cb cluster name (at most 16 characters). Default {@link ocfs2Defaults.clusterName}. */
  clusterName?: pulumi.Input<string>;
  /** o2cb TCP port. Default {@link ocfs2Defaults.o2cbPort}. */
  o2cbPort?: pulumi.Input<number>;
  /**
   * Local device of the import. Default `/dev/mapper/xenstorage-<export>` (nbd: a multipath map
   * that the xenstorage-nbd-import service keeps connected through failovers; any name under
   * `/dev/mapper/` may be chosen) or `/dev/gnbd/<export>` (gnbd).
   */
  device?: pulumi.Input<string>;
  /** Where the volume is mounted. Default {@link ocfs2Defaults.mountPoint}. */
  mountPoint?: pulumi.Input<string>;
  /** Mount options. Default {@link ocfs2Defaults.mountOptions}. */
  mountOptions?: pulumi.Input<string>;
  /**
   * Format the volume from this node. Exactly one client of a volume sets it. It formats
   * only a device with no signature at all, never over an existing filesystem. Default {@link ocfs2Defaults.format}.
   */
  format?: boolean;
  /** The client that formats the volume: this one mounts only after that one's format step. Default: none. */
  formattedBy?: Ocfs2Client;
  /** Filesystem label. Default {@link ocfs2Defaults.label}. */
  label?: pulumi.Input<string>;
  /** Node slots (how many nodes can mount at once). Default and minimum: the number of nodes. */
  slots?: pulumi.Input<number>;
  /** o2cb disk heartbeat threshold: a node whose I/O stalls longer than (threshold-1)*2 s fences itself. Default {@link ocfs2Defaults.heartbeatThreshold} (60 s, well above a storage failover). */
  heartbeatThreshold?: pulumi.Input<number>;
}

/**
 * Ocfs2Client's arguments checked and completed with the defaults.
 * @internal
 */
export interface Ocfs2ClientSpec {
  host: CheckedHost;
  /** NBD or GNBD, as the export serves it. */
  importer: ImportVariant;
  import: pulumi.Output<ImportSpec>;
  device: pulumi.Output<string>;
  mountPoint: pulumi.Output<string>;
  mount: pulumi.Output<MountSpec>;
  clusterConf: pulumi.Output<string>;
  o2cbDefaults: pulumi.Output<string>;
  clusterName: pulumi.Output<string>;
  /** What the format step runs, on the client that formats. */
  format?: pulumi.Output<string>;
  /** What the steps wait for: the export, when given as a part. */
  upstream: pulumi.Resource[];
}

/** The most nodes and slots OCFS2 has (O2NM_MAX_NODES, OCFS2_MAX_SLOTS). */
const OCFS2_MAX = 255;
/** The kernel's o2nm takes ports 1 to 65534 (fs/ocfs2/cluster/nodemanager.c, o2nm_node_ipv4_port_write). */
const O2CB_PORT = rules.range(1, 65534);

/**
 * Checks Ocfs2Client's arguments (plain values now, Outputs on resolution) and applies the defaults.
 * @internal
 */
export function resolveOcfs2Client(name: string, args: Ocfs2ClientArgs): Ocfs2ClientSpec {
  const d = ocfs2Defaults;
  const check = new Checker(`Ocfs2Client "${name}"`);
  const host = checkHost(check, "host", args.host);
  const nodes = checkMembers(check, "nodes", args.nodes);
  if (!nodes.names.includes(host.name))
    check.fail("host.name", host.name, `one of nodes (${nodes.names.join(", ")})`);
  // o2cb numbers nodes 0 to 254 (O2NM_MAX_NODES 255, ocfs2-tools include/o2cb/ocfs2_nodemanager.h).
  if (nodes.names.length > OCFS2_MAX)
    check.fail(
      "nodes",
      `${nodes.names.length} nodes`,
      `at most ${OCFS2_MAX} nodes (o2cb numbers them 0 to 254)`,
    );
  const exp = args.export;
  if (exp === undefined) check.fail("export", undefined, "a GnbdExport or { address, exportName }");
  const protocol = check.plain(
    "export.protocol",
    exp.protocol ?? d.protocol,
    rules.oneOf<ExportProtocol>("nbd", "gnbd"),
  );
  const importer = protocol === "gnbd" ? gnbdImport : nbdImport;
  const exportName = check.input("export.exportName", exp.exportName, rules.objectName);
  const device =
    args.device === undefined
      ? exportName.apply(importer.defaultDevice)
      : check.input("device", args.device, importer.deviceRule);
  const mountPoint = check.optional("mountPoint", args.mountPoint, d.mountPoint, rules.absolutePath);
  const options = check.optional("mountOptions", args.mountOptions, d.mountOptions, (o) =>
    /^[A-Za-z0-9_=.,-]+$/.test(o) ? undefined : "comma-separated mount options (letters, digits, _ = . -)",
  );
  const clusterName = check.optional("clusterName", args.clusterName, d.clusterName, rules.ocfs2ClusterName);
  const slots = check.optional(
    "slots",
    args.slots,
    nodes.names.length,
    // mkfs.ocfs2 -N takes 1 to 255 slots (OCFS2_MAX_SLOTS, ocfs2-tools mkfs.ocfs2/mkfs.c).
    (s) =>
      rules.range(1, OCFS2_MAX)(s) ??
      (s >= nodes.names.length ? undefined : `at least the number of nodes (${nodes.names.length})`),
  );
  const formats = check.plain("format", args.format ?? d.format, rules.boolean);
  if (formats && isPart<FormatClaims>(exp, "claimFormat")) {
    const other = exp.claimFormat(name);
    if (other !== undefined)
      check.fail(
        "format",
        true,
        `format on exactly one client of an export (Ocfs2Client "${other}" formats it already)`,
      );
  }
  return {
    host,
    importer,
    import: pulumi.output({
      server: check.input("export.address", exp.address, rules.clusterIpv4),
      exportName,
      device,
      connectTimeout: d.connectTimeout,
      port: check.optional("export.port", exp.port, d.port, rules.port),
    }),
    device,
    mountPoint,
    mount: pulumi.output({ device, mountPoint, options, formatTimeout: d.formatTimeout }),
    clusterConf: pulumi
      .all([
        clusterName,
        checkNotSshPort(
          check,
          "o2cbPort",
          check.value("o2cbPort", args.o2cbPort ?? d.o2cbPort, O2CB_PORT),
          args.nodes,
        ),
        nodes.clusterAddresses,
      ])
      .apply(([cluster, port, addresses]) =>
        renderOcfs2ClusterConf({
          clusterName: cluster,
          port,
          nodes: nodes.names.map((n, i) => ({ name: n, number: i, address: addresses[i] })),
        }),
      ),
    o2cbDefaults: pulumi
      .all([
        clusterName,
        check.optional(
          "heartbeatThreshold",
          args.heartbeatThreshold,
          d.heartbeatThreshold,
          rules.positiveInteger,
        ),
      ])
      .apply(([cluster, heartbeatThreshold]) =>
        renderO2cbDefaults({ clusterName: cluster, heartbeatThreshold, idleTimeoutMs: d.idleTimeoutMs }),
      ),
    clusterName,
    format: formats
      ? pulumi
          .all([device, check.optional("label", args.label, d.label, rules.objectName), slots, clusterName])
          .apply(([dev, label, s, cluster]) =>
            formatScript({ device: dev, label, slots: s, clusterName: cluster }),
          )
      : undefined,
    upstream: [...asDependency(exp), ...asDependency(args.servedBy)],
  };
}

/** One Xen node: imports the export, joins the o2cb cluster and mounts the shared OCFS2 volume. */
export class Ocfs2Client extends pulumi.ComponentResource {
  /** Where the volume is mounted. */
  public readonly mountPoint: pulumi.Output<string>;
  /** The imported device. */
  public readonly device: pulumi.Output<string>;
  /** Whether this client formats the volume. */
  public readonly formats: boolean;
  /**
   * The format step, on the client that formats.
   * @internal
   */
  public readonly formatStep?: Step;

  constructor(name: string, args: Ocfs2ClientArgs, opts?: pulumi.ComponentResourceOptions) {
    const spec = resolveOcfs2Client(name, args);
    super("xenstorage:ocfs2:Ocfs2Client", name, {}, opts);
    const host = spec.host;
    const deps = (...local: (pulumi.Resource | undefined)[]) =>
      childOf(this, opts?.dependsOn, ...spec.upstream, ...local);
    this.device = spec.device;
    this.mountPoint = spec.mountPoint;
    this.formats = spec.format !== undefined;

    const importFiles = spec.importer.files(name, host, spec.import, {
      afterExport: deps(),
      early: childOf(this, opts?.dependsOn),
    });
    const imported = new Step(
      `${name}-import`,
      {
        host,
        create: spec.import.apply(spec.importer.importScript),
        delete: spec.import.apply(spec.importer.unimportScript),
        rerunOn: importFiles.program.map((f) => f.contentHash),
      },
      deps(...importFiles.program, ...importFiles.settings),
    );
    const files = [
      new RemoteFile(
        `${name}-cluster-conf`,
        { host, path: "/etc/ocfs2/cluster.conf", content: spec.clusterConf },
        deps(),
      ),
      new RemoteFile(
        `${name}-o2cb-defaults`,
        { host, path: "/etc/default/o2cb", content: spec.o2cbDefaults },
        deps(),
      ),
    ];
    const online = new Step(
      `${name}-o2cb`,
      {
        host,
        create: spec.clusterName.apply(o2cbOnlineScript),
        delete: spec.clusterName.apply(o2cbOfflineScript),
        rerunOn: files.map((f) => f.contentHash),
      },
      deps(...files),
    );
    this.formatStep =
      spec.format === undefined
        ? undefined
        : new Step(`${name}-format`, { host, create: spec.format }, deps(imported, online));
    const fstab = new RemoteFileBlock(
      `${name}-fstab`,
      {
        host,
        path: "/etc/fstab",
        marker: name,
        content: spec.mount.apply((m) => renderFstabLine(m.device, m.mountPoint, m.options)),
      },
      deps(),
    );
    new Step(
      `${name}-mount`,
      {
        host,
        create: spec.mount.apply(mountScript),
        update: spec.mount.apply(remountScript),
        delete: this.mountPoint.apply(unmountScript),
      },
      deps(imported, online, fstab, this.formatStep, args.formattedBy?.formatStep),
    );
    this.registerOutputs({ mountPoint: this.mountPoint, device: this.device });
  }
}
