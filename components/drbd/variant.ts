import { drbd2006 } from "./drbd-2006";
import { DrbdSpec, renderDrbd, renderDrbdGlobal } from "./render";
import { DrbdScriptSpec, drbdCreateMdScript, drbdInitialPrimaryScript, drbdUpScript } from "./scripts";

export type DrbdVersion = "0.7" | "8.4" | "9";

/**
 * What differs between the DRBD of today (8.4, 9) and the seed's 0.7; chosen once, by version.
 * @internal
 */
export interface DrbdVariant {
  /** Where the resource's configuration goes. */
  configPath(resource: string): string;
  render(spec: DrbdSpec): string;
  /** `global_common.conf`, for the versions that read it. */
  global?: string;
  /** Whether a drbd.service drop-in activates the resource's logical volume first at boot. */
  bootOrder: boolean;
  createMdScript(spec: DrbdScriptSpec, allowDataLoss: boolean): string;
  upScript(spec: DrbdScriptSpec): string;
  initialPrimaryScript(spec: DrbdScriptSpec): string;
}

const drbdModern: DrbdVariant = {
  configPath: (resource) => `/etc/drbd.d/${resource}.res`,
  render: renderDrbd,
  global: renderDrbdGlobal(),
  bootOrder: true,
  createMdScript: drbdCreateMdScript,
  upScript: drbdUpScript,
  initialPrimaryScript: drbdInitialPrimaryScript,
};

/** @internal */
export function drbdVariant(version: DrbdVersion): DrbdVariant {
  return version === "0.7" ? drbd2006 : drbdModern;
}
