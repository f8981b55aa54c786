/** The pacemaker side of RhcsCluster: corosync and pacemaker start and stop, cluster properties, CIB fragments. */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childOf } from "../core/options";
import { shq } from "../core/shell";
import { xmlAttr } from "../core/text";
import { RemoteFile, Step } from "../remote";
import { enableService, service, startService, waitFor } from "../remote/service";
import { renderCorosync } from "./corosync";
import { clusterDefaults } from "./defaults";
import type { ClusterLayout } from "./rhcs-cluster";

/**
 * Starts corosync and pacemaker, or makes a running corosync re-read its config.
 * @internal
 */
export function pacemakerStartScript(): string {
  return [
    enableService("corosync"),
    enableService("pacemaker"),
    "if corosync-cfgtool -s >/dev/null 2>&1; then corosync-cfgtool -R; else",
    startService("corosync"),
    "fi",
    "if ! pidof pacemakerd >/dev/null; then",
    startService("pacemaker"),
    "fi",
  ].join("\n");
}

/** @internal */
export function pacemakerStopScript(): string {
  return [`${service("pacemaker", "stop")} || :`, `${service("corosync", "stop")} || :`].join("\n");
}

/** @internal */
export interface ClusterPropertiesSpec {
  stonithEnabled: boolean;
  noQuorumPolicy: string;
  /** Seconds to wait for a designated controller. */
  timeout: number;
}

/**
 * Sets the cluster-wide properties once pacemaker has a designated controller; fence devices come on stdin (CIB XML).
 * @internal
 */
export function pacemakerPropertiesScript(spec: ClusterPropertiesSpec, withFenceDevices: boolean): string {
  return [
    waitFor(
      "crmadmin -D >/dev/null 2>&1",
      spec.timeout,
      "RhcsCluster: pacemaker elected no controller; check corosync membership",
    ),
    `crm_attribute --type crm_config --name stonith-enabled --update ${spec.stonithEnabled}`,
    `crm_attribute --type crm_config --name no-quorum-policy --update ${shq(spec.noQuorumPolicy)}`,
    withFenceDevices ? "cibadmin --modify --allow-create --scope resources --xml-pipe" : ":",
  ].join("\n");
}

/** @internal */
export interface StonithDeviceSpec {
  name: string;
  agent: string;
  /** Agent parameters (may hold passwords: the XML goes to the host on stdin only). */
  parameters: Record<string, string>;
  /** Nodes this device can fence (`pcmk_host_list`). */
  hosts: string[];
}

/**
 * `<resources>` with one stonith primitive per device, for `cibadmin --modify --allow-create`.
 * @internal
 */
export function renderStonithResources(devices: readonly StonithDeviceSpec[]): string {
  const primitive = (d: StonithDeviceSpec) => {
    const id = `fence-${d.name}`;
    const params = { ...d.parameters, pcmk_host_list: d.hosts.join(" ") };
    const nvpairs = Object.entries(params).map(
      ([k, v]) => `      <nvpair id="${xmlAttr(`${id}-${k}`)}" name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`,
    );
    return [
      `  <primitive id="${xmlAttr(id)}" class="stonith" type="${xmlAttr(d.agent)}">`,
      `    <instance_attributes id="${xmlAttr(`${id}-params`)}">`,
      ...nvpairs,
      "    </instance_attributes>",
      "  </primitive>",
    ];
  };
  return ["<resources>", ...devices.flatMap(primitive), "</resources>", ""].join("\n");
}

/**
 * corosync and pacemaker on every node, then the cluster properties and fence devices once.
 * @internal
 */
export const layOutPacemaker: ClusterLayout = (parent, name, spec, opts) => {
  const conf = pulumi
    .all([spec.clusterName, pulumi.all(spec.nodes.map((n) => n.clusterAddress)), spec.tokenMs])
    .apply(([clusterName, addresses, token]) =>
      renderCorosync({
        clusterName,
        token,
        nodes: spec.nodes.map((n, i) => ({ name: n.name, nodeId: spec.nodeIds[i], address: addresses[i] })),
      }),
    );
  // Not RandomBytes: Pulumi's random provider makes its value the resource ID
  // (computeRandomBytesID in pulumi-random's provider/resources.go), and no state encrypts an ID.
  const authkey = new random.RandomPassword(
    `${name}-corosync-authkey`,
    { length: clusterDefaults.corosyncKeyLength, special: false },
    { parent },
  ).result;
  const started = spec.nodes.map((host) => {
    const n = `${name}-${host.name}`;
    const confFile = new RemoteFile(
      `${n}-corosync-conf`,
      { host, path: "/etc/corosync/corosync.conf", content: conf },
      childOf(parent, opts?.dependsOn),
    );
    const keyFile = new RemoteFile(
      `${n}-corosync-authkey`,
      { host, path: "/etc/corosync/authkey", content: authkey, secret: true, mode: "0400" },
      childOf(parent, opts?.dependsOn),
    );
    return new Step(
      `${n}-start`,
      {
        host,
        create: pacemakerStartScript(),
        delete: pacemakerStopScript(),
        rerunOn: [confFile.contentHash, keyFile.contentHash],
      },
      childOf(parent, opts?.dependsOn, confFile, keyFile),
    );
  });
  const names = spec.nodes.map((n) => n.name);
  const stonith =
    spec.devices.length === 0
      ? undefined
      : pulumi.secret(
          pulumi.all(spec.devices.map((d) => pulumi.output(d.parameters ?? {}))).apply((params) =>
            renderStonithResources(
              spec.devices.map((d, i) => ({
                name: d.name,
                agent: d.agent,
                parameters: params[i] as Record<string, string>,
                hosts: d.hosts ?? names,
              })),
            ),
          ),
        );
  new Step(
    `${name}-properties`,
    {
      host: spec.nodes[0],
      create: spec.noQuorumPolicy.apply((noQuorumPolicy) =>
        pacemakerPropertiesScript(
          {
            stonithEnabled: spec.devices.length > 0,
            noQuorumPolicy,
            timeout: clusterDefaults.electionTimeout,
          },
          stonith !== undefined,
        ),
      ),
      stdin: stonith,
    },
    childOf(parent, opts?.dependsOn, ...started),
  );
};
