import * as pulumi from "@pulumi/pulumi";
import { Checker } from "../core/checker";
import { ExportProtocol, GnbdExport } from "../export/gnbd-export";
import { childOf } from "../core/options";
import { CheckedHost, Host, RemoteFile, RemoteFileBlock, Step, checkHost, checkMembers } from "../remote";
import { NBD_IMPORT_DAEMON, nbdImportUnit, renderNbdImportDaemon, renderNbdImportUnit } from "./nbd-import";
import { renderFstabLine, renderO2cbDefaults, renderOcfs2ClusterConf } from "./render";
import {
  ImportSpec,
  formatScript,
  importScript,
  mapOf,
  MountSpec,
  mountScript,
  o2cbOfflineScript,
  o2cbOnlineScript,
  remountScript,
  unimportScript,
  unmountScript,
} from "./scripts";
import * as rules from "../core/rules";

/** Where a client finds the export (a GnbdExport gives all of it). */
export interface ExportEndpoint {
  /** Server address: the virtual IP. */
  address: pulumi.Input<string>;
  /** Export name. */
  exportName: pulumi.Input<string>;
  /** Port (NBD). Default `10809`. */
  port?: pulumi.Input<number>;
  /** `nbd` (default) or `gnbd`. */
  protocol?: ExportProtocol;
}

export interface Ocfs2ClientArgs {
  /** The Xen node this client runs on. */
  host: Host;
  /** Every node of the OCFS2 cluster, this one included, in node-number order. */
  nodes: Host[];
  /** The export to import: a GnbdExport, or its address, name, port and protocol. */
  export: GnbdExport | ExportEndpoint;
  /** o2cb cluster name (at most 16 characters). Default `xencluster`. */
  clusterName?: pulumi.Input<string>;
  /** o2cb TCP port. Default `7777`. */
  o2cbPort?: pulumi.Input<number>;
  /**
   * Local device of the import. Default `/dev/mapper/xenstorage-<export>` (nbd: a multipath map
   * that the xenstorage-nbd-import service keeps connected through failovers; any name under
   * `/dev/mapper/` may be chosen) or `/dev/gnbd/<export>` (gnbd).
   */
  device?: pulumi.Input<string>;
  /** Where the volume is mounted. Default `/srv/xen`. */
  mountPoint?: pulumi.Input<string>;
  /** Mount options. Default `_netdev,noatime`. */
  mountOptions?: pulumi.Input<string>;
  /**
   * Format the volume from this node. Exactly one client of a volume sets it. It formats
   * only a device with no signature at all, never over an existing filesystem. Default `false`.
   */
  format?: boolean;
  /** The client that formats the volume: this one mounts only after that one's format step. Default: none. */
  formattedBy?: Ocfs2Client;
  /** Filesystem label. Default `xenstore`. */
  label?: pulumi.Input<string>;
  /** Node slots (how many nodes can mount at once). Default and minimum: the number of nodes. */
  slots?: pulumi.Input<number>;
  /** o2cb disk heartbeat threshold: a node whose I/O stalls longer than (threshold-1)*2 s fences itself. Default `31` (60 s, well above a storage failover). */
  heartbeatThreshold?: pulumi.Input<number>;
}

/**
 * Seconds an NBD request may wait for a silent server before the import switches to a fresh
 * connection. Short, since the I/O is queued meanwhile: it only bounds how late the
 * client notices a dead primary.
 */
const NBD_REQUEST_TIMEOUT = 10;

/** Which client formats each export, so that a second one is refused. */
const formatterOf = new WeakMap<GnbdExport, string>();

/** One Xen node: imports the export, joins the o2cb cluster and mounts the shared OCFS2 volume. */
export class Ocfs2Client extends pulumi.ComponentResource {
  /** Where the volume is mounted. */
  public readonly mountPoint: pulumi.Output<string>;
  /** The imported device. */
  public readonly device: pulumi.Output<string>;
  /** Whether this client formats the volume. */
  public readonly formats: boolean;
  /** The format step, on the client that formats. */
  public readonly formatStep?: Step;

  constructor(name: string, args: Ocfs2ClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super("xenstorage:ocfs2:Ocfs2Client", name, {}, opts);
    const check = new Checker(this, `Ocfs2Client "${name}"`);
    const host = checkHost(check, "host", args.host);
    const nodes = checkMembers(check, "nodes", args.nodes);
    if (!nodes.names.includes(host.name))
      check.fail("host.name", host.name, `one of nodes (${nodes.names.join(", ")})`);
    if (args.export === undefined) check.fail("export", undefined, "a GnbdExport or { address, exportName }");
    const exp = args.export;
    const protocol = check.plain(
      "export.protocol",
      exp.protocol ?? "nbd",
      rules.oneOf<ExportProtocol>("nbd", "gnbd"),
    );
    const exportName =
      exp instanceof GnbdExport
        ? exp.exportName
        : check.input("export.exportName", exp.exportName, rules.objectName);
    const server =
      exp instanceof GnbdExport ? exp.address : check.input("export.address", exp.address, rules.ipv4);
    const port =
      exp instanceof GnbdExport ? exp.port : check.optional("export.port", exp.port, 10809, rules.port);
    const defaultDevice = exportName.apply((e) =>
      protocol === "gnbd" ? `/dev/gnbd/${e}` : `/dev/mapper/xenstorage-${e}`,
    );
    this.device =
      args.device === undefined
        ? defaultDevice
        : check.input("device", args.device, protocol === "gnbd" ? rules.absolutePath : rules.mapperDevice);
    this.mountPoint = check.optional("mountPoint", args.mountPoint, "/srv/xen", rules.absolutePath);
    const options = check.optional("mountOptions", args.mountOptions, "_netdev,noatime", (o) =>
      /^[A-Za-z0-9_=.,-]+$/.test(o) ? undefined : "comma-separated mount options (letters, digits, _ = . -)",
    );
    const clusterName = check.optional("clusterName", args.clusterName, "xencluster", rules.o2cbClusterName);
    const slots = check.optional(
      "slots",
      args.slots,
      nodes.names.length,
      (s) =>
        rules.positiveInteger(s) ??
        (s >= nodes.names.length ? undefined : `at least the number of nodes (${nodes.names.length})`),
    );
    this.formats = args.format === true;
    if (this.formats && exp instanceof GnbdExport) {
      const other = formatterOf.get(exp);
      if (other !== undefined) {
        check.fail(
          "format",
          true,
          `format on exactly one client of an export (Ocfs2Client "${other}" formats it already)`,
        );
      }
      formatterOf.set(exp, name);
    }
    const upstream = exp instanceof GnbdExport ? [exp] : [];
    const deps = (...local: (pulumi.Resource | undefined)[]) =>
      childOf(this, opts?.dependsOn, ...upstream, ...local);

    const importSpec = pulumi.all([server, exportName, this.device]).apply(([s, e, d]) => ({
      protocol,
      server: s,
      exportName: e,
      device: d,
      connectTimeout: 300,
    }));
    const importFiles = protocol === "nbd" ? this.nbdImportFiles(name, host, importSpec, port, deps) : [];
    const imported = new Step(
      `${name}-import`,
      {
        host,
        create: importSpec.apply(importScript),
        delete: importSpec.apply(unimportScript),
        rerunOn: importFiles.map((f) => f.contentHash),
      },
      deps(...importFiles),
    );

    const clusterConf = pulumi
      .all([clusterName, check.optional("o2cbPort", args.o2cbPort, 7777, rules.port), nodes.clusterAddresses])
      .apply(([cluster, p, addresses]) =>
        renderOcfs2ClusterConf({
          clusterName: cluster,
          port: p,
          nodes: nodes.names.map((n, i) => ({ name: n, number: i, address: addresses[i] })),
        }),
      );
    const o2cbDefaults = pulumi
      .all([
        clusterName,
        check.optional("heartbeatThreshold", args.heartbeatThreshold, 31, rules.positiveInteger),
      ])
      .apply(([cluster, heartbeatThreshold]) =>
        renderO2cbDefaults({ clusterName: cluster, heartbeatThreshold, idleTimeoutMs: 30000 }),
      );
    const files = [
      new RemoteFile(
        `${name}-cluster-conf`,
        { host, path: "/etc/ocfs2/cluster.conf", content: clusterConf },
        deps(),
      ),
      new RemoteFile(
        `${name}-o2cb-defaults`,
        { host, path: "/etc/default/o2cb", content: o2cbDefaults },
        deps(),
      ),
    ];
    const online = new Step(
      `${name}-o2cb`,
      {
        host,
        create: clusterName.apply(o2cbOnlineScript),
        delete: clusterName.apply(o2cbOfflineScript),
        rerunOn: files.map((f) => f.contentHash),
      },
      deps(...files),
    );
    this.formatStep = this.formats
      ? new Step(
          `${name}-format`,
          {
            host,
            create: pulumi
              .all([
                this.device,
                check.optional("label", args.label, "xenstore", rules.objectName),
                slots,
                clusterName,
              ])
              .apply(([device, label, s, cluster]) =>
                formatScript({ device, label, slots: s, clusterName: cluster }),
              ),
          },
          deps(imported, online),
        )
      : undefined;
    const fstab = new RemoteFileBlock(
      `${name}-fstab`,
      {
        host,
        path: "/etc/fstab",
        marker: name,
        content: pulumi
          .all([this.device, this.mountPoint, options])
          .apply(([d, m, o]) => renderFstabLine(d, m, o)),
      },
      deps(),
    );
    const mount = pulumi
      .all([this.device, this.mountPoint, options])
      .apply(([device, mountPoint, o]): MountSpec => ({
        device,
        mountPoint,
        options: o,
        formatTimeout: 600,
      }));
    new Step(
      `${name}-mount`,
      {
        host,
        create: mount.apply(mountScript),
        update: mount.apply(remountScript),
        delete: this.mountPoint.apply(unmountScript),
      },
      deps(imported, online, fstab, this.formatStep, args.formattedBy?.formatStep),
    );
    this.registerOutputs({ mountPoint: this.mountPoint, device: this.device });
  }

  /** The NBD import's daemon and its systemd unit. */
  private nbdImportFiles(
    name: string,
    host: CheckedHost,
    spec: pulumi.Output<ImportSpec>,
    port: pulumi.Output<number>,
    deps: () => pulumi.CustomResourceOptions,
  ): RemoteFile[] {
    const unit = pulumi.all([spec, port]).apply(([s, p]) =>
      renderNbdImportUnit({
        exportName: s.exportName,
        server: s.server,
        port: p,
        map: mapOf(s.device),
        requestTimeout: NBD_REQUEST_TIMEOUT,
      }),
    );
    return [
      new RemoteFile(
        `${name}-nbd-import-daemon`,
        { host, path: NBD_IMPORT_DAEMON, content: renderNbdImportDaemon(), mode: "0755" },
        deps(),
      ),
      new RemoteFile(
        `${name}-nbd-import-unit`,
        {
          host,
          path: spec.apply((s) => `/etc/systemd/system/${nbdImportUnit(s.exportName)}`),
          content: unit,
        },
        deps(),
      ),
    ];
  }
}
