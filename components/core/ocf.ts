/** What the library's OCF resource agents share: their meta-data. */
import { xmlAttr } from "./text";

/** @internal */
export interface OcfAgentSpec {
  /** The agent's name (its file in the provider's directory). */
  name: string;
  description: string;
  parameters: { name: string; description: string }[];
}

/**
 * The lines of an agent's `meta-data` answer (the OCF resource agent API, ra-api-1): its
 * parameters, all required strings, and the actions Pacemaker may call with their default timeouts.
 * @internal
 */
export function ocfMetaData(spec: OcfAgentSpec): string[] {
  const text = (tag: string, value: string) => `<${tag} lang="en">${xmlAttr(value)}</${tag}>`;
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">',
    `<resource-agent name="${xmlAttr(spec.name)}" version="1.0">`,
    "<version>1.0</version>",
    text("longdesc", spec.description),
    text("shortdesc", spec.description),
    "<parameters>",
    ...spec.parameters.flatMap((p) => [
      `<parameter name="${xmlAttr(p.name)}" required="1" unique="1">`,
      text("longdesc", p.description),
      text("shortdesc", p.description),
      '<content type="string"/>',
      "</parameter>",
    ]),
    "</parameters>",
    "<actions>",
    '<action name="start" timeout="60s"/>',
    '<action name="stop" timeout="60s"/>',
    '<action name="monitor" timeout="30s" interval="10s" depth="0"/>',
    '<action name="meta-data" timeout="5s"/>',
    '<action name="validate-all" timeout="5s"/>',
    "</actions>",
    "</resource-agent>",
  ];
}
