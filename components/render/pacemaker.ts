/** Pacemaker CIB fragments. */
import { xmlAttr } from "./xml";

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
