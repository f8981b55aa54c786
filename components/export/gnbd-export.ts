import * as pulumi from "@pulumi/pulumi";
import { Checker } from "../core/checker";
import { DrbdResource } from "../drbd/drbd-resource";
import { childOf } from "../core/options";
import { CheckedHost, Host, RemoteFile, Step, checkHosts, shq } from "../remote";
import {
  HA_RESOURCE_DIR,
  renderGnbdDrbddisk,
  renderNbdAuthFile,
  renderNbdResourceScript,
  renderNbdServerConf,
} from "./render";
import * as rules from "../core/rules";

export type ExportProtocol = "nbd" | "gnbd";

/** Where the library keeps the nbd-server configuration of each export. */
export const NBD_CONF_DIR = "/etc/xenstorage/nbd";

export interface GnbdExportArgs {
  /** Export name. Default `ocfscluster` (the seed's). No `/`. */
  exportName?: pulumi.Input<string>;
  /** The device to export: a path, or the DrbdResource whose device it is. */
  device: pulumi.Input<string> | DrbdResource;
  /** Both storage hosts: whichever is primary serves the export. */
  hosts: Host[];
  /** Address clients connect to: the Heartbeat virtual IP (`10.0.0.6` or `10.0.0.6/24`). */
  virtualIp: pulumi.Input<string>;
  /** `nbd` (default: nbd-server, started and stopped by Heartbeat with the primary role) or `gnbd` (the seed's gnbd_serv/gnbd_export in drbddisk). */
  protocol?: ExportProtocol;
  /** NBD port. Default `10809`. */
  port?: pulumi.Input<number>;
  /** Client addresses allowed to connect (nbd authfile). Default: any client. */
  allowedClients?: pulumi.Input<string>[];
}

/**
 * The block-device export on the storage hosts. It is installed on both, and Heartbeat
 * starts it on the primary only (list `haResource` in HeartbeatPair's haresources).
 */
export class GnbdExport extends pulumi.ComponentResource {
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

  constructor(name: string, args: GnbdExportArgs, opts?: pulumi.ComponentResourceOptions) {
    super("xenstorage:export:GnbdExport", name, {}, opts);
    const check = new Checker(this, `GnbdExport "${name}"`);
    const hosts = checkHosts(check, "hosts", args.hosts);
    this.protocol = check.plain(
      "protocol",
      args.protocol ?? "nbd",
      rules.oneOf<ExportProtocol>("nbd", "gnbd"),
    );
    this.exportName = check.optional("exportName", args.exportName, "ocfscluster", rules.objectName);
    const device =
      args.device instanceof DrbdResource
        ? args.device.device
        : check.input("device", args.device, rules.absolutePath);
    this.address = check
      .input("virtualIp", args.virtualIp, (v) => (rules.ipv4(v) === undefined ? undefined : rules.cidr(v)))
      .apply((v) => v.split("/")[0]);
    this.port = check.optional("port", args.port, 10809, rules.port);
    const clients = (args.allowedClients ?? []).map((c, i) =>
      check.input(`allowedClients[${i}]`, c, rules.ipv4),
    );
    const upstream = args.device instanceof DrbdResource ? [args.device] : [];

    if (this.protocol === "gnbd") {
      const drbddisk = pulumi
        .all([this.exportName, device])
        .apply(([exportName, dev]) => renderGnbdDrbddisk({ exportName, device: dev }));
      hosts.forEach(
        (host) =>
          new RemoteFile(
            `${name}-${host.name}-drbddisk`,
            { host, path: `${HA_RESOURCE_DIR}/drbddisk`, content: drbddisk, mode: "0755" },
            childOf(this, opts?.dependsOn, ...upstream),
          ),
      );
      this.haResource = undefined;
    } else {
      const confPath = this.exportName.apply((e) => `${NBD_CONF_DIR}/${e}.conf`);
      const authPath = this.exportName.apply((e) => `${NBD_CONF_DIR}/${e}.allow`);
      const conf = pulumi
        .all([this.exportName, device, this.port, authPath])
        .apply(([exportName, dev, port, authFile]) =>
          renderNbdServerConf({ name: exportName, device: dev, port, authFile }),
        );
      const allow = pulumi.all(clients).apply(renderNbdAuthFile);
      hosts.forEach((host) =>
        this.nbdHost(`${name}-${host.name}`, host, { confPath, conf, authPath, allow }, upstream, opts),
      );
      this.haResource = this.exportName.apply((e) => `xenstorage-nbd::${e}`);
    }
    this.registerOutputs({ address: this.address, exportName: this.exportName, port: this.port });
  }

  private nbdHost(
    n: string,
    host: CheckedHost,
    files: {
      confPath: pulumi.Output<string>;
      conf: pulumi.Output<string>;
      authPath: pulumi.Output<string>;
      allow: pulumi.Output<string>;
    },
    upstream: pulumi.Resource[],
    opts?: pulumi.ComponentResourceOptions,
  ): void {
    const deps = childOf(this, opts?.dependsOn, ...upstream);
    const written = [
      new RemoteFile(`${n}-nbd-conf`, { host, path: files.confPath, content: files.conf }, deps),
      new RemoteFile(`${n}-nbd-allow`, { host, path: files.authPath, content: files.allow }, deps),
      new RemoteFile(
        `${n}-ha-resource`,
        {
          host,
          path: `${HA_RESOURCE_DIR}/xenstorage-nbd`,
          content: renderNbdResourceScript(NBD_CONF_DIR),
          mode: "0755",
        },
        deps,
      ),
    ];
    // A changed export is re-served at once where it runs (clients reconnect by themselves).
    const restart = this.exportName.apply((e) => {
      const script = `${HA_RESOURCE_DIR}/xenstorage-nbd ${shq(e)}`;
      return `if ${script} status >/dev/null 2>&1; then ${script} stop; ${script} start; else echo 'export not served here (secondary)'; fi`;
    });
    new Step(
      `${n}-reserve`,
      {
        host,
        create: restart,
        delete: this.exportName.apply((e) => `${HA_RESOURCE_DIR}/xenstorage-nbd ${shq(e)} stop || :`),
        rerunOn: written.map((f) => f.contentHash),
      },
      childOf(this, opts?.dependsOn, ...upstream, ...written),
    );
  }
}
