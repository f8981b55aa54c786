import * as pulumi from "@pulumi/pulumi";
import { Checker } from "../core/checker";
import { childOf } from "../core/options";
import { CheckedHost, Host, RemoteFileBlock, Step, checkHost } from "../remote";
import { renderLvmFilter } from "./render";
import { lvmDeleteScript, lvmEnsureScript } from "./scripts";
import * as rules from "../core/rules";

export interface LvmVolumeArgs {
  /** The storage host that holds the volume. */
  host: Host;
  /** Block devices that make up the volume group (the seed: `["/dev/hda3"]`). `pvcreate` runs only on a device with no signature. */
  physicalVolumes: pulumi.Input<string>[];
  /** Volume group name. Default `vg1`. */
  volumeGroup?: pulumi.Input<string>;
  /** Logical volume name. Default `cluster`. */
  name?: pulumi.Input<string>;
  /** Size such as `10G` (binary units). A larger size grows the volume with `lvextend`; a smaller one is refused. */
  size: pulumi.Input<string>;
  /**
   * Devices LVM must never scan, written as `global_filter` to `/etc/lvm/lvmlocal.conf`:
   * DRBD's backing disk when LVM also runs on top of DRBD. Default: none (no filter written).
   */
  rejectDevices?: pulumi.Input<string>[];
  /** On delete, remove the logical volume (and the VG and PVs once empty). Default `false`: delete keeps everything. */
  allowDataLoss?: boolean;
}

/** A logical volume on one storage host: the disk under DRBD. */
export class LvmVolume extends pulumi.ComponentResource {
  /** The host it lives on. */
  public readonly host: CheckedHost;
  /** Device path, e.g. `/dev/vg1/cluster`. */
  public readonly devicePath: pulumi.Output<string>;
  /** The size as declared, when it was a plain value (lets DrbdResource compare its peers at construction). */
  public readonly declaredSize?: string;
  /** Wanted size in bytes. */
  public readonly sizeBytes: pulumi.Output<number>;

  constructor(name: string, args: LvmVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("xenstorage:lvm:LvmVolume", name, { allowDataLoss: args.allowDataLoss === true }, opts);
    const check = new Checker(this, `LvmVolume "${name}"`);
    this.host = checkHost(check, "host", args.host);
    if (!Array.isArray(args.physicalVolumes) || args.physicalVolumes.length === 0) {
      check.fail("physicalVolumes", args.physicalVolumes, "a non-empty list of block devices");
    }
    const pvs = args.physicalVolumes.map((pv, i) =>
      check.input(`physicalVolumes[${i}]`, pv, rules.absolutePath),
    );
    const vg = check.optional("volumeGroup", args.volumeGroup, "vg1", rules.objectName);
    const lv = check.optional("name", args.name, "cluster", rules.objectName);
    const size = check.input("size", args.size, rules.size);
    const rejects = (args.rejectDevices ?? []).map((d, i) =>
      check.input(`rejectDevices[${i}]`, d, rules.absolutePath),
    );
    this.declaredSize = typeof args.size === "string" ? args.size : undefined;
    this.sizeBytes = size.apply(rules.sizeToBytes);

    const spec = pulumi
      .all([pvs, vg, lv, this.sizeBytes])
      .apply(([physicalVolumes, volumeGroup, lvName, sizeBytes]) => ({
        physicalVolumes,
        volumeGroup,
        name: lvName,
        sizeBytes,
      }));

    const filter =
      rejects.length === 0
        ? undefined
        : new RemoteFileBlock(
            `${name}-lvm-filter`,
            {
              host: this.host,
              path: "/etc/lvm/lvmlocal.conf",
              marker: `lvm-filter-${name}`,
              content: pulumi.all(rejects).apply(renderLvmFilter),
            },
            childOf(this, opts?.dependsOn),
          );
    const volume = new Step(
      `${name}-volume`,
      {
        host: this.host,
        create: spec.apply(lvmEnsureScript),
        delete: spec.apply((s) => lvmDeleteScript(s, args.allowDataLoss === true)),
      },
      childOf(this, opts?.dependsOn, filter),
    );

    this.devicePath = pulumi.all([vg, lv, volume.id]).apply(([g, l]) => `/dev/${g}/${l}`);
    this.registerOutputs({ devicePath: this.devicePath, sizeBytes: this.sizeBytes });
  }
}
