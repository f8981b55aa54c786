/**
 * Guardrails for stacks built with xen-storage. Run with
 * `pulumi preview --policy-pack policy`. The mandatory policies apply to production
 * stacks: every stack except `dev*`, `lab*`, `test*` and `preview*`. The advisory ones
 * apply everywhere and only warn.
 */
import {
  PolicyPack,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";

/** The stack a resource belongs to, from its URN (`urn:pulumi:STACK::...`). */
export function stackOf(urn: string): string {
  return urn.split("::")[0].split(":").slice(2).join(":");
}

export function isProduction(urn: string): boolean {
  return !/^(dev|lab|test|preview)/.test(stackOf(urn));
}

type Check = (props: Record<string, unknown>, report: ReportViolation) => void;

function onType(type: string, check: Check, productionOnly: boolean) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type !== type || (productionOnly && !isProduction(args.urn))) return;
    check(args.props, report);
  };
}

const mandatory = (
  name: string,
  description: string,
  type: string,
  check: Check,
): ResourceValidationPolicy => ({
  name,
  description,
  enforcementLevel: "mandatory",
  validateResource: onType(type, check, true),
});

const advisory = (
  name: string,
  description: string,
  type: string,
  check: Check,
): ResourceValidationPolicy => ({
  name,
  description,
  enforcementLevel: "advisory",
  validateResource: onType(type, check, false),
});

export const policies: ResourceValidationPolicy[] = [
  mandatory(
    "fencing-enabled",
    "Production clusters fence failed nodes with a real agent: no fence_manual, no disabled fencing.",
    "xenstorage:cluster:RhcsCluster",
    (p, report) => {
      const agents = (p.fenceAgents as string[] | undefined) ?? [];
      if (agents.length === 0)
        report("fencing is disabled (no fence devices): a failed node is never fenced");
      if (agents.includes("fence_manual"))
        report("fence_manual waits for a human: use a real fence agent (fence_ipmilan, fence_virsh, ...)");
    },
  ),
  mandatory(
    "heartbeat-strong-auth",
    "Heartbeat signs its packets with sha1, not crc or md5.",
    "xenstorage:heartbeat:HeartbeatPair",
    (p, report) => {
      const weak = ((p.authMethods as string[] | undefined) ?? []).filter((m) => m === "crc" || m === "md5");
      if (weak.length > 0) report(`authkeys lists ${weak.join(", ")}: only sha1 keeps forged heartbeats out`);
    },
  ),
  mandatory(
    "drbd-protocol-c",
    "DRBD replicates synchronously (protocol C), so an acknowledged write is on both disks.",
    "xenstorage:drbd:DrbdResource",
    (p, report) => {
      if (p.protocol !== "C")
        report(
          `protocol ${String(p.protocol)} acknowledges writes before the peer has them: a failover can lose them`,
        );
    },
  ),
  mandatory(
    "drbd-split-brain-policy",
    "DRBD has automatic split-brain recovery for the no-primary and one-primary cases.",
    "xenstorage:drbd:DrbdResource",
    (p, report) => {
      const sb = (p.splitBrain as Record<string, string> | undefined) ?? {};
      if (p.version === "0.7") report("DRBD 0.7 has no split-brain policies");
      for (const key of ["afterSb0Pri", "afterSb1Pri"]) {
        if (sb[key] === undefined || sb[key] === "disconnect")
          report(
            `splitBrain.${key} is ${sb[key] ?? "missing"}: after a split brain the resource stays disconnected until a human acts`,
          );
      }
    },
  ),
  mandatory(
    "no-data-loss",
    "Production stacks never allow a delete to destroy volumes or DRBD metadata.",
    "xenstorage:drbd:DrbdResource",
    (p, report) => {
      if (p.allowDataLoss === true)
        report("allowDataLoss is set: a `pulumi destroy` would wipe the DRBD metadata");
    },
  ),
  mandatory(
    "no-data-loss-lvm",
    "Production stacks never allow a delete to remove a logical volume.",
    "xenstorage:lvm:LvmVolume",
    (p, report) => {
      if (p.allowDataLoss === true)
        report("allowDataLoss is set: a `pulumi destroy` would remove the logical volume");
    },
  ),
  advisory(
    "heartbeat-no-auto-failback",
    "auto_failback on moves the storage back (a second outage) as soon as the preferred node returns.",
    "xenstorage:heartbeat:HeartbeatPair",
    (p, report) => {
      if (p.autoFailback === true)
        report("auto_failback is on: the primary role moves back, interrupting the clients again");
    },
  ),
  advisory(
    "heartbeat-deadtime",
    "Heartbeat's deadtime is at least three keepalives, so one lost packet does not cause a failover.",
    "xenstorage:heartbeat:HeartbeatPair",
    (p, report) => {
      const keepalive = Number(p.keepalive);
      const deadtime = Number(p.deadtime);
      if (deadtime < 3 * keepalive) report(`deadtime ${deadtime} is under 3 x keepalive (${3 * keepalive})`);
    },
  ),
];

new PolicyPack("xenstorage-guardrails", { policies });
