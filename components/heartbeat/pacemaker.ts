/**
 * The pair under Pacemaker (HeartbeatPair's `pacemaker` engine): DRBD as a promotable clone of
 * `ocf:linbit:drbd`, and the exports and the virtual IP as a group that runs with the promoted
 * instance only, after its promotion. Pure renderers of the CIB fragments and the scripts that
 * load them.
 */
import { ClusterResource } from "../core/parts";
import { shq } from "../core/shell";
import { xmlAttr } from "../core/text";
import { waitFor } from "../remote/service";

/** @internal */
export interface PairCibSpec {
  /** The DRBD resource the pair promotes. */
  drbdResource: string;
  preferredNode: string;
  /** Whether the promoted role moves back to the preferred node when it returns. */
  autoFailback: boolean;
  /** The cluster's other members (the Xen nodes): they never run or probe the pair's resources. */
  others: string[];
  /** What the promoted host serves, in start order: the exports, then the virtual IP. */
  served: ClusterResource[];
}

/** The IDs of the pair's CIB elements, all derived from the DRBD resource's name. */
export function pairIds(drbdResource: string) {
  const base = `xenstorage-${drbdResource}`;
  return {
    drbd: `${base}-drbd`,
    clone: `${base}-drbd-clone`,
    group: `${base}-served`,
  };
}

/**
 * Location score of the preferred node for the promoted role. Stickiness does not count in the
 * choice of the promoted instance (lib/pacemaker/pcmk_sched_promotable.c): between instances
 * of equal promotion priority Pacemaker keeps the one already promoted. So without failback the
 * preferred node adds nothing (the lab saw a score of 1 demote a healthy primary on the other
 * node); with failback it tips the tie towards the preferred node.
 */
const PREFERRED_SCORE = { failback: 100, noFailback: 0 };
/** The instances' stickiness: without failback they stay where they run. */
const STICKINESS = { failback: 0, noFailback: 100 };

const nvpairs = (id: string, values: Record<string, string>) =>
  Object.entries(values).map(
    ([k, v]) => `      <nvpair id="${xmlAttr(`${id}-${k}`)}" name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`,
  );

/**
 * `<resources>` for `cibadmin --modify --allow-create`: the DRBD clone and the served group.
 * @internal
 */
export function renderPairResources(spec: PairCibSpec): string {
  const ids = pairIds(spec.drbdResource);
  const op = (id: string, name: string, attrs: string) =>
    `      <op id="${xmlAttr(`${id}-${name}`)}" name="${name.split("-")[0]}" ${attrs}/>`;
  const served = spec.served.map((r, i) => {
    const id = `${ids.group}-${r.type}${spec.served.filter((s) => s.type === r.type).length > 1 ? `-${i}` : ""}`;
    return [
      `    <primitive id="${xmlAttr(id)}" class="ocf" provider="xenstorage" type="${xmlAttr(r.type)}">`,
      `     <instance_attributes id="${xmlAttr(`${id}-params`)}">`,
      ...nvpairs(`${id}-params`, r.parameters),
      "     </instance_attributes>",
      "     <operations>",
      op(id, "monitor-10s", 'interval="10s" timeout="30s"'),
      op(id, "start-0", 'interval="0s" timeout="60s"'),
      op(id, "stop-0", 'interval="0s" timeout="60s"'),
      "     </operations>",
      "    </primitive>",
    ];
  });
  const stickiness = String(spec.autoFailback ? STICKINESS.failback : STICKINESS.noFailback);
  return [
    "<resources>",
    `  <clone id="${ids.clone}">`,
    `    <meta_attributes id="${ids.clone}-meta">`,
    ...nvpairs(`${ids.clone}-meta`, {
      promotable: "true",
      "promoted-max": "1",
      "promoted-node-max": "1",
      "clone-max": "2",
      "clone-node-max": "1",
      notify: "true",
      "resource-stickiness": stickiness,
    }),
    "    </meta_attributes>",
    `    <primitive id="${ids.drbd}" class="ocf" provider="linbit" type="drbd">`,
    `     <instance_attributes id="${ids.drbd}-params">`,
    ...nvpairs(`${ids.drbd}-params`, { drbd_resource: spec.drbdResource }),
    "     </instance_attributes>",
    "     <operations>",
    // LINBIT's guide: two intervals, so that Pacemaker tells the roles' monitors apart.
    op(ids.drbd, "monitor-29s", 'interval="29s" role="Promoted" timeout="60s"'),
    op(ids.drbd, "monitor-31s", 'interval="31s" role="Unpromoted" timeout="60s"'),
    op(ids.drbd, "start-0", 'interval="0s" timeout="240s"'),
    op(ids.drbd, "promote-0", 'interval="0s" timeout="120s"'),
    op(ids.drbd, "demote-0", 'interval="0s" timeout="120s"'),
    op(ids.drbd, "stop-0", 'interval="0s" timeout="120s"'),
    op(ids.drbd, "notify-0", 'interval="0s" timeout="120s"'),
    "     </operations>",
    "    </primitive>",
    "  </clone>",
    `  <group id="${ids.group}">`,
    ...served.flat(),
    "  </group>",
    "</resources>",
    "",
  ].join("\n");
}

/**
 * `<constraints>` for `cibadmin --modify --allow-create`: the group with the promoted instance
 * and after its promotion, both only on the storage hosts, the preferred node first.
 * @internal
 */
export function renderPairConstraints(spec: PairCibSpec): string {
  const ids = pairIds(spec.drbdResource);
  const score = spec.autoFailback ? PREFERRED_SCORE.failback : PREFERRED_SCORE.noFailback;
  const nowhere = (rsc: string) =>
    spec.others.map(
      (node) =>
        `  <rsc_location id="${xmlAttr(`${rsc}-not-on-${node}`)}" rsc="${rsc}" node="${xmlAttr(node)}" score="-INFINITY" resource-discovery="never"/>`,
    );
  return [
    "<constraints>",
    `  <rsc_colocation id="${ids.group}-with-promoted" rsc="${ids.group}" with-rsc="${ids.clone}" with-rsc-role="Promoted" score="INFINITY"/>`,
    `  <rsc_order id="${ids.group}-after-promote" first="${ids.clone}" first-action="promote" then="${ids.group}" then-action="start" kind="Mandatory"/>`,
    `  <rsc_location id="${xmlAttr(`${ids.clone}-prefers-${spec.preferredNode}`)}" rsc="${ids.clone}" role="Promoted" node="${xmlAttr(spec.preferredNode)}" score="${score}"/>`,
    ...nowhere(ids.clone),
    ...nowhere(ids.group),
    "</constraints>",
    "",
  ].join("\n");
}

/**
 * Loads the pair's resources and constraints (files on this host) into the CIB once Pacemaker
 * has a designated controller. `--modify --allow-create` merges by ID: a changed setting
 * changes that element in place, and nothing else of the CIB is touched.
 * @internal
 */
export function pairLoadScript(files: { resources: string; constraints: string }, timeout: number): string {
  return [
    waitFor(
      "crmadmin -D >/dev/null 2>&1",
      timeout,
      "HeartbeatPair: pacemaker elected no controller; check corosync membership",
    ),
    `cibadmin --modify --allow-create --scope resources --xml-file ${shq(files.resources)}`,
    `cibadmin --modify --allow-create --scope constraints --xml-file ${shq(files.constraints)}`,
  ].join("\n");
}

/**
 * Delete: takes the pair's elements out of the CIB (Pacemaker stops the export and the address
 * and takes DRBD down; its metadata and data stay).
 * @internal
 */
export function pairUnloadScript(spec: PairCibSpec): string {
  const ids = pairIds(spec.drbdResource);
  const remove = (tag: string, id: string) =>
    `cibadmin --delete --xml-text ${shq(`<${tag} id="${xmlAttr(id)}"/>`)} 2>/dev/null || :`;
  const constraints = renderPairConstraints(spec)
    .split("\n")
    .map((l) => /<(rsc_\w+) id="([^"]+)"/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => remove(m[1], m[2].replace(/&amp;/g, "&")));
  return [...constraints, remove("group", ids.group), remove("clone", ids.clone)].join("\n");
}

/**
 * Hands the resources from Heartbeat over to Pacemaker on a host deployed by an earlier
 * release, without moving or stopping them: Pacemaker, already running the pair's resources
 * (its probes found them where Heartbeat holds them), takes over when Heartbeat is gone.
 *
 * Heartbeat cannot stop without releasing its resources, and a peer left alone takes them over
 * after `deadtime`. So both hosts meet first (a node attribute each in the CIB) and then end
 * their Heartbeat within a second of each other with SIGKILL, well within the deadtime; then
 * it is disabled. A peer out of the cluster's partition has no Heartbeat to wait for.
 * @internal
 */
export function retireHeartbeatScript(peer: string, timeout: number): string {
  const mark = "xenstorage-retiring-heartbeat";
  return [
    "if pidof heartbeat >/dev/null 2>&1; then",
    `  crm_attribute --node "$(uname -n)" --name ${mark} --update 1 --lifetime reboot`,
    waitFor(
      `[ "$(crm_attribute --node ${shq(peer)} --name ${mark} --query --quiet --lifetime reboot 2>/dev/null)" = 1 ] || ! crm_node -p | grep -qw ${shq(peer)}`,
      timeout,
      `HeartbeatPair: ${peer} did not come to hand Heartbeat over to Pacemaker; run pulumi up again with both storage hosts up`,
    ),
    "  pkill -KILL -x heartbeat || :",
    '  logger -t xenstorage "Heartbeat ended: Pacemaker runs the pair"',
    "fi",
    // The mark stays until the node leaves the cluster: the peer may still be waiting for it.
    "systemctl disable heartbeat >/dev/null 2>&1 || :",
  ].join("\n");
}
