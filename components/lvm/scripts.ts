import { guarded } from "../remote/step";
import { shq, shqAll } from "../core/shell";

/** @internal */
export interface LvmScriptSpec {
  physicalVolumes: string[];
  volumeGroup: string;
  name: string;
  /** Wanted size in bytes. */
  sizeBytes: number;
}

/**
 * Converges PVs, VG and LV: creates what is missing, grows the LV, refuses to shrink it
 * and refuses `pvcreate` over a device that holds any signature (a filesystem, a RAID
 * member, an old DRBD), so that no existing data is lost.
 * @internal
 */
export function lvmEnsureScript(spec: LvmScriptSpec): string {
  const vg = shq(spec.volumeGroup);
  const lv = shq(`${spec.volumeGroup}/${spec.name}`);
  const pvs = shqAll(spec.physicalVolumes);
  return [
    `for pv in ${pvs}; do`,
    '  if pvs "$pv" >/dev/null 2>&1; then continue; fi',
    '  sig=$(blkid -p -o value -s TYPE "$pv" 2>/dev/null || :)',
    '  if [ -n "$sig" ]; then echo "LvmVolume: refusing pvcreate on $pv: it holds a $sig signature (existing data); wipe it yourself if it is really unused" >&2; exit 3; fi',
    '  pvcreate "$pv"',
    "done",
    guarded(`volume group ${spec.volumeGroup}`, `vgs ${vg} >/dev/null 2>&1`, `vgcreate ${vg} ${pvs}`),
    `for pv in ${pvs}; do`,
    `  in=$(pvs --noheadings -o vg_name "$pv" | tr -d ' ')`,
    `  if [ -z "$in" ]; then vgextend ${vg} "$pv"; elif [ "$in" != ${vg} ]; then echo "LvmVolume: $pv belongs to volume group $in" >&2; exit 3; fi`,
    "done",
    `want=${spec.sizeBytes}`,
    `if lvs ${lv} >/dev/null 2>&1; then`,
    `  have=$(lvs --noheadings --nosuffix --units b -o lv_size ${lv} | tr -d ' ')`,
    `  ext=$(vgs --noheadings --nosuffix --units b -o vg_extent_size ${vg} | tr -d ' ')`,
    "  want=$(( (want + ext - 1) / ext * ext ))",
    `  if [ "$have" -lt "$want" ]; then lvextend -L "\${want}b" ${lv}`,
    `  elif [ "$have" -gt "$want" ]; then echo "LvmVolume: refusing to shrink ${spec.volumeGroup}/${spec.name} from $have to $want bytes (shrinking destroys data)" >&2; exit 4`,
    "  fi",
    "else",
    `  lvcreate --yes -n ${shq(spec.name)} -L "\${want}b" ${vg}`,
    "fi",
    `lvs --noheadings -o lv_path ${lv}`,
  ].join("\n");
}

/**
 * Delete: keeps the volume unless data loss is allowed; then removes the LV (and the VG and PVs once empty).
 * @internal
 */
export function lvmDeleteScript(spec: LvmScriptSpec, allowDataLoss: boolean): string {
  if (!allowDataLoss) {
    return `echo ${shq(`LvmVolume: keeping ${spec.volumeGroup}/${spec.name} and its data (allowDataLoss is not set)`)}`;
  }
  const vg = shq(spec.volumeGroup);
  return [
    `if lvs ${shq(`${spec.volumeGroup}/${spec.name}`)} >/dev/null 2>&1; then lvremove --yes ${shq(`${spec.volumeGroup}/${spec.name}`)}; fi`,
    `if vgs ${vg} >/dev/null 2>&1 && [ "$(vgs --noheadings -o lv_count ${vg} | tr -d ' ')" = 0 ]; then vgremove --yes ${vg}; pvremove --yes ${shqAll(spec.physicalVolumes)}; fi`,
  ].join("\n");
}
