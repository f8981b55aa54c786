/** The seed's DRBD 0.7 (the 2006 flavor): its `drbd.conf`, and the commands of its day. */
import { lines } from "../core/text";
import { DrbdPeerSpec, DrbdSpec } from "./render";
import type { DrbdVariant } from "./variant";

/** The seed's DRBD 0.7 `drbd.conf`, line for line. */
function renderDrbd07(spec: DrbdSpec): string {
  const on = (peer: DrbdPeerSpec) => [
    ` on ${peer.name} {`,
    `  device ${peer.device};`,
    `  disk ${peer.disk};`,
    `  address ${peer.address}:${peer.port};`,
    "  meta-disk internal;",
    " }",
  ];
  return lines(
    `resource ${spec.resource} {`,
    `protocol ${spec.protocol};`,
    ` incon-degr-cmd "echo '!DRBD! pri on incon-degr' | wall ;\\`,
    '  sleep 60; halt -f"',
    " startup {",
    `  degr-wfc-timeout ${spec.degrWfcTimeout};`,
    " }",
    " disk {",
    `  on-io-error ${spec.onIoError};`,
    " }",
    " net {}",
    " syncer {",
    `  rate ${spec.resyncRate};`,
    "  group 1;",
    " }",
    ...on(spec.peers[0]),
    ...on(spec.peers[1]),
    "}",
  );
}

/** @internal */
export const drbd2006: DrbdVariant = {
  configPath: () => "/etc/drbd.conf",
  render: renderDrbd07,
  bootOrder: false,
  createMdScript: () => "echo 'DRBD 0.7 keeps its metadata itself: nothing to create'",
  upScript: () => "drbdadm up all",
  initialPrimaryScript: () => "drbdadm -- --do-what-I-say primary all",
};
