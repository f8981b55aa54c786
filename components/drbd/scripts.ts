import { guarded } from "../remote/step";
import { shq } from "../core/shell";
import { enableService, reloadSystemdIfStale, waitFor } from "../remote/service";

/** @internal */
export interface DrbdScriptSpec {
  resource: string;
  /** This peer's backing disk. */
  disk: string;
  /** Seconds to wait for the peer before giving up (initial primary). */
  connectTimeout: number;
  /** The drbd.service drop-in that orders this resource's volume before it, if any. */
  bootDropIn?: string;
}

/** Succeeds when the resource is attached to its disk here (so metadata exists and is in use). */
function attached(resource: string): string {
  return `case "$(drbdadm dstate ${shq(resource)} 2>/dev/null)" in ''|Unconfigured*|Diskless*) false ;; *) true ;; esac`;
}

/**
 * Creates DRBD metadata only on a disk that has none: not when the resource is up, not
 * when `dump-md` finds metadata, and never over a disk holding another signature unless
 * data loss is allowed (then the signature is wiped first; drbdmeta refuses otherwise).
 * @internal
 */
export function drbdCreateMdScript(spec: DrbdScriptSpec, allowDataLoss: boolean): string {
  const res = shq(spec.resource);
  return [
    "modprobe drbd 2>/dev/null || :",
    guarded(
      `DRBD metadata of ${spec.resource}`,
      `{ ${attached(spec.resource)}; } || drbdadm dump-md ${res} >/dev/null 2>&1`,
      [
        `sig=$(blkid -p -o value -s TYPE ${shq(spec.disk)} 2>/dev/null || :)`,
        allowDataLoss
          ? `if [ -n "$sig" ]; then echo "DrbdResource: allowDataLoss: wiping the $sig signature on ${spec.disk}"; wipefs -a ${shq(spec.disk)}; fi`
          : `if [ -n "$sig" ]; then echo "DrbdResource: refusing create-md on ${spec.disk}: it holds a $sig signature and no DRBD metadata (set allowDataLoss to overwrite)" >&2; exit 3; fi`,
        allowDataLoss ? `drbdadm -- --force create-md ${res}` : `drbdadm create-md ${res}`,
      ].join("\n"),
    ),
  ].join("\n");
}

/** drbd-utils print a failed drbdsetup's whole command line, shared secret included. */
const HIDE_SHARED_SECRET = shq(
  's/--shared-secret=[^ ]*/--shared-secret=(hidden)/g; s/shared-secret "[^"]*"/shared-secret "(hidden)"/g',
);

/**
 * Attempts at `drbdadm adjust`, 10 s apart: on a loaded host its drbdsetup calls can outlast
 * drbdadm's own 5 s limit (a newcomer's lab, five TCG guests on two cores, met three in a row).
 */
const ADJUST_ATTEMPTS = 6;

/**
 * Brings the resource up, or adjusts a running one to the (possibly changed) config; enables it at boot.
 * @internal
 */
export function drbdUpScript(spec: DrbdScriptSpec): string {
  const res = shq(spec.resource);
  return [
    "modprobe drbd 2>/dev/null || :",
    "i=1",
    `until out=$(drbdadm adjust ${res} 2>&1); do`,
    `  printf '%s\\n' "$out" | sed ${HIDE_SHARED_SECRET} >&2`,
    `  if [ "$i" -ge ${ADJUST_ATTEMPTS} ]; then echo ${shq(`DrbdResource: drbdadm adjust ${spec.resource} failed ${ADJUST_ATTEMPTS} times`)} >&2; exit 1; fi`,
    "  i=$((i + 1)); sleep 10",
    "done",
    `[ -z "$out" ] || printf '%s\\n' "$out" | sed ${HIDE_SHARED_SECRET}`,
    reloadSystemdIfStale("drbd.service", spec.bootDropIn),
    enableService("drbd"),
  ].join("\n");
}

/**
 * Delete: takes the resource down; keeps the metadata unless data loss is allowed.
 * @internal
 */
export function drbdDownScript(spec: DrbdScriptSpec, allowDataLoss: boolean): string {
  const res = shq(spec.resource);
  return [
    `drbdadm down ${res} 2>/dev/null || drbdadm down ${res}`,
    allowDataLoss
      ? `drbdadm -- --force wipe-md ${res} || :`
      : `echo ${shq(`DrbdResource: kept the metadata and data of ${spec.resource}`)}`,
  ].join("\n");
}

/**
 * Makes this peer the initial sync source, only when both sides are fresh
 * (`Inconsistent/Inconsistent`): then forces primary and steps down again, so that
 * Heartbeat alone decides who is primary. Does nothing once either side has data.
 * @internal
 */
export function drbdInitialPrimaryScript(spec: DrbdScriptSpec): string {
  const res = shq(spec.resource);
  return [
    waitFor(
      `[ "$(drbdadm cstate ${res})" = Connected ] || [ "$(drbdadm cstate ${res})" = SyncSource ] || [ "$(drbdadm cstate ${res})" = SyncTarget ]`,
      spec.connectTimeout,
      `DrbdResource: ${spec.resource} did not connect to its peer in ${spec.connectTimeout} s; check the replication network`,
    ),
    `ds=$(drbdadm dstate ${res})`,
    'case "$ds" in',
    `Inconsistent/Inconsistent) drbdadm primary --force ${res} && drbdadm secondary ${res}; echo "DrbdResource: initial sync of ${spec.resource} started from this node" ;;`,
    '*) echo "DrbdResource: disk states are $ds; not forcing primary (one side already has data)" ;;',
    "esac",
  ].join("\n");
}

/** What an operator runs when DRBD stopped at a split brain it may not resolve by itself. */
export interface SplitBrainRecovery {
  /** On the node whose changes since the split are given up (it must not be primary). */
  discardOn: string;
  /** Then on the node whose data is kept. */
  keepOn: string;
}

/** @internal */
export function splitBrainRecovery(resource: string): SplitBrainRecovery {
  const r = shq(resource);
  return {
    discardOn: `drbdadm disconnect ${r}; drbdadm secondary ${r} && drbdadm connect --discard-my-data ${r}`,
    keepOn: `drbdadm disconnect ${r}; drbdadm connect ${r}`,
  };
}
