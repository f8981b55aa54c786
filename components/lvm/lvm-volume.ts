import * as pulumi from "@pulumi/pulumi";
import { Checker } from "../core/checker";
import { childOf } from "../core/options";
import { BlockDevice } from "../core/parts";
import * as rules from "../core/rules";
import { CheckedHost, Host, RemoteFileBlock, Step, checkHost } from "../remote";
import { renderLvmFilter } from "./render";
import { LvmScriptSpec, lvmDeleteScript, lvmEnsureScript } from "./scripts";
import { lvmDefaults } from "./defaults";

export interface LvmVolumeArgs {
  /** The storage host that holds the volume. */
  host: Host;
  /** Block devices that make up the volume group (the seed: `["/dev/hda3"]`). `pvcreate` runs only on a device with no signature. */
  physicalVolumes: pulumi.Input<string>[];
  /** Volume group name. Default {@link lvmDefaults.volumeGroup}. */
  volumeGroup?: pulumi.Input<string>;
  /** Logical volume name. Default {@link lvmDefaults.name}. */
  name?: pulumi.Input<string>;
  /** Size such as `10G` (binary units). A larger size grows the volume with `lvextend`; a smaller one is refused. */
  size: pulumi.Input<string>;
  /**
   * Devices LVM must never scan, written as `global_filter` to `/etc/lvm/lvmlocal.conf`:
   * DRBD's backing disk when LVM also runs on top of DRBD. Default: none (no filter written).
   */
  rejectDevices?: pulumi.Input<string>[];
  /** On delete, remove the logical volume (and the VG and PVs once empty). Default {@link lvmDefaults.allowDataLoss}: delete keeps everything. */
  allowDataLoss?: boolean;
}

/**
 * LvmVolume's arguments checked and completed with the defaults.
 * @internal
 */
export interface LvmVolumeSpec {
  host: CheckedHost;
  volume: pulumi.Output<LvmScriptSpec>;
  /** The size as declared, when it was a plain value. */
  declaredSize?: string;
  rejectDevices: pulumi.Output<string>[];
  allowDataLoss: boolean;
}

/**
 * Checks LvmVolume's arguments (plain values now, Outputs on resolution) and applies the defaults.
 * @internal
 */
export function resolveLvmVolume(name: string, args: LvmVolumeArgs): LvmVolumeSpec {
  const check = new Checker(`LvmVolume "${name}"`);
  const host = checkHost(check, "host", args.host);
  if (!Array.isArray(args.physicalVolumes) || args.physicalVolumes.length === 0) {
    check.fail("physicalVolumes", args.physicalVolumes, "a non-empty list of block devices");
  }
  const volumeGroup = check.value(
    "volumeGroup",
    args.volumeGroup ?? lvmDefaults.volumeGroup,
    rules.objectName,
  );
  const lvName = check.value("name", args.name ?? lvmDefaults.name, rules.lvName);
  const names = check.across("volumeGroup/name", [volumeGroup, lvName], rules.dmNameOfVolume, (n) =>
    n.join("/"),
  );
  return {
    host,
    volume: pulumi.output({
      physicalVolumes: pulumi.all(
        args.physicalVolumes.map((pv, i) => check.input(`physicalVolumes[${i}]`, pv, rules.backingDevice)),
      ),
      volumeGroup: names.apply(([vg]) => vg),
      name: names.apply(([, lv]) => lv),
      sizeBytes: check.input("size", args.size, rules.size).apply(rules.sizeToBytes),
    }),
    declaredSize: typeof args.size === "string" ? args.size : undefined,
    rejectDevices: (args.rejectDevices ?? []).map((d, i) =>
      check.input(`rejectDevices[${i}]`, d, rules.absolutePath),
    ),
    allowDataLoss: check.plain(
      "allowDataLoss",
      args.allowDataLoss ?? lvmDefaults.allowDataLoss,
      rules.boolean,
    ),
  };
}

/** A logical volume on one storage host: the disk under DRBD. */
export class LvmVolume extends pulumi.ComponentResource implements BlockDevice {
  /** Device path, e.g. `/dev/vg1/cluster`. */
  public readonly devicePath: pulumi.Output<string>;
  /** The size as declared, when it was a plain value (lets DrbdResource compare its peers at construction). */
  public readonly declaredSize?: string;
  /** Wanted size in bytes. */
  public readonly sizeBytes: pulumi.Output<number>;

  constructor(name: string, args: LvmVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
    const spec = resolveLvmVolume(name, args);
    super("xenstorage:lvm:LvmVolume", name, { allowDataLoss: spec.allowDataLoss }, opts);
    this.declaredSize = spec.declaredSize;
    this.sizeBytes = spec.volume.apply((v) => v.sizeBytes);

    const filter =
      spec.rejectDevices.length === 0
        ? undefined
        : new RemoteFileBlock(
            `${name}-lvm-filter`,
            {
              host: spec.host,
              path: "/etc/lvm/lvmlocal.conf",
              marker: `lvm-filter-${name}`,
              content: pulumi.all(spec.rejectDevices).apply(renderLvmFilter),
            },
            childOf(this, opts?.dependsOn),
          );
    const volume = new Step(
      `${name}-volume`,
      {
        host: spec.host,
        create: spec.volume.apply(lvmEnsureScript),
        delete: spec.volume.apply((v) => lvmDeleteScript(v, spec.allowDataLoss)),
      },
      childOf(this, opts?.dependsOn, filter),
    );

    this.devicePath = pulumi.all([spec.volume, volume.id]).apply(([v]) => `/dev/${v.volumeGroup}/${v.name}`);
    this.registerOutputs({ devicePath: this.devicePath, sizeBytes: this.sizeBytes });
  }
}
