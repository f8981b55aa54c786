/**
 * Every default of LvmVolume, written once.
 * @internal
 */
export const lvmDefaults = {
  volumeGroup: "vg1",
  name: "cluster",
  allowDataLoss: false,
} as const;
