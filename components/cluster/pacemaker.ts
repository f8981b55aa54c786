/** The pacemaker side of RhcsCluster: corosync and pacemaker start and stop, cluster properties, CIB fragments. */
import { shq } from "../core/shell";
import { xmlAttr } from "../core/text";
import { enableService, service, startService, waitFor } from "../remote/service";

/** Starts corosync and pacemaker, or makes a running corosync re-read its config. */
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

export function pacemakerStopScript(): string {
  return [`${service("pacemaker", "stop")} || :`, `${service("corosync", "stop")} || :`].join("\n");
}

export interface ClusterPropertiesSpec {
  stonithEnabled: boolean;
  noQuorumPolicy: string;
  /** Seconds to wait for a designated controller. */
  timeout: number;
}

/** Sets the cluster-wide properties once pacemaker has a designated controller; fence devices come on stdin (CIB XML). */
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

export interface StonithDeviceSpec {
  name: string;
  agent: string;
  /** Agent parameters (may hold passwords: the XML goes to the host on stdin only). */
  parameters: Record<string, string>;
  /** Nodes this device can fence (`pcmk_host_list`). */
  hosts: string[];
}

/** `<resources>` with one stonith primitive per device, for `cibadmin --modify --allow-create`. */
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
