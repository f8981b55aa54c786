/**
 * The seed's Red Hat Cluster Suite files (the `cman` flavor of RhcsCluster), rendered as
 * the 2006 article wrote them.
 */
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../core/options";
import { shq } from "../core/shell";
import { lines, xmlAttr } from "../core/text";
import { RemoteFile, RemoteFileBlock, Step } from "../remote";
import type { ClusterLayout, FenceDeviceArgs } from "./rhcs-cluster";

/**
 * The seed's fencing: a human acknowledges (`fence_ack_manual`); the stack's 2006 flavor sets it.
 * @internal
 */
export const SEED_FENCE_DEVICE: FenceDeviceArgs = { name: "human", agent: "fence_manual" };

/** @internal */
export interface FenceDeviceSpec {
  name: string;
  agent: string;
}

/** @internal */
export interface ClusterConfSpec {
  clusterName: string;
  configVersion: number;
  nodes: string[];
  /** Every node is fenced by this device through a method named `single`, as in the seed. */
  fenceDevice: FenceDeviceSpec;
}

/**
 * `/etc/cluster/cluster.conf`.
 * @internal
 */
export function renderClusterConf(spec: ClusterConfSpec): string {
  const device = xmlAttr(spec.fenceDevice.name);
  return lines(
    '<?xml version="1.0"?>',
    `<cluster name="${xmlAttr(spec.clusterName)}" config_version="${spec.configVersion}">`,
    "<cman>",
    "</cman>",
    "<clusternodes>",
    ...spec.nodes.flatMap((node) => [
      `<clusternode name="${xmlAttr(node)}">`,
      "        <fence>",
      '                <method name="single">',
      `                  <device name="${device}" nodename="${xmlAttr(node)}"/>`,
      "                </method>",
      "        </fence>",
      "</clusternode>",
    ]),
    "</clusternodes>",
    "<fencedevices>",
    `        <fencedevice name="${device}" agent="${xmlAttr(spec.fenceDevice.agent)}"/>`,
    "</fencedevices>",
    "</cluster>",
  );
}

/**
 * The kernel modules the seed adds to `/etc/modules`.
 * @internal
 */
export const CMAN_MODULES = ["dm-mod", "gfs", "lock_dlm"];

/**
 * Lines for `/etc/modules`.
 * @internal
 */
export function renderModules(modules: readonly string[]): string {
  return lines(...modules);
}

/**
 * `/etc/sysconfig/cluster`, read by the cluster init scripts.
 * @internal
 */
export function renderSysconfigCluster(clusterName: string): string {
  return lines('CCSD_OPTS=""', `CLUSTERNAME="${clusterName}"`);
}

/**
 * Start and stop sequence numbers of the seed's init scripts (all after DRBD, stopped before it).
 * @internal
 */
export const CMAN_RC_ORDER: readonly { service: string; start: number; stop: number }[] = [
  { service: "ccsd", start: 71, stop: 52 },
  { service: "cman", start: 72, stop: 51 },
  { service: "fenced", start: 73, stop: 50 },
  { service: "clvmd", start: 74, stop: 49 },
];

/**
 * The seed's init-script edits and rc ordering for cman/ccsd/fenced/clvmd (after DRBD, stopped before it).
 * @internal
 */
export function cmanRcScript(order: readonly { service: string; start: number; stop: number }[]): string {
  const patched = order.map((o) => o.service).filter((s) => s !== "clvmd");
  return [
    `for s in ${patched.join(" ")}; do`,
    "  f=/etc/init.d/$s",
    '  if [ ! -x "$f" ]; then echo "RhcsCluster: $f is missing: the cman flavor needs Red Hat Cluster Suite 1.x (cluster-1.02.00) built from source; Debian 12 and 13 do not package it" >&2; exit 3; fi',
    "  sed -i -e '/^[^#]*\\. \\/etc\\/init\\.d\\/functions/s/^/#/' -e '/^[^#]*\\<\\(status\\|success\\|failure\\)\\>/s/^/#/' \"$f\"",
    "done",
    ...order.map((o) => `update-rc.d ${shq(o.service)} defaults ${o.start} ${o.stop}`),
  ].join("\n");
}

/**
 * The seed's `/etc/init.d/clvmd`.
 * @internal
 */
export function renderClvmdInit(): string {
  return lines(
    "#! /bin/sh",
    "#",
    "# clvmd         Start/Stop script for the cluster LVM daemon",
    "#",
    "# Author:       Daniel Bertolo <dbertolo@hsr.ch>.",
    "#",
    "# Version:      @(#)clvmd  1.00  25-Jun-2006  dbertolo@hsr.ch",
    "#",
    "set -e",
    "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin",
    'DESC="The cluster LVM daemon"',
    "NAME=clvmd",
    "DAEMON=/sbin/$NAME",
    "PIDFILE=/var/run/$NAME.pid",
    "SCRIPTNAME=/etc/init.d/$NAME",
    "# Gracefully exit if the package has been removed.",
    "test -x $DAEMON || exit 0",
    "#",
    "#       Function that starts the daemon/service.",
    "#",
    "d_start() {",
    "        start-stop-daemon --start --quiet --pidfile $PIDFILE \\",
    "                --exec $DAEMON",
    "}",
    "#",
    "#       Function that stops the daemon/service.",
    "#",
    "d_stop() {",
    "        start-stop-daemon --stop --quiet --pidfile $PIDFILE \\",
    "                --name $NAME",
    "}",
    "#",
    "#       Function that sends a SIGHUP to the daemon/service.",
    "#",
    "d_reload() {",
    "        start-stop-daemon --stop --quiet --pidfile $PIDFILE \\",
    "                --name $NAME --signal 1",
    "}",
    'case "$1" in',
    "  start)",
    '        echo -n "Starting $DESC: $NAME"',
    "        d_start",
    '        echo "."',
    "        ;;",
    "  stop)",
    '        echo -n "Stopping $DESC: $NAME"',
    "        d_stop",
    '        echo "."',
    "        ;;",
    "  restart|force-reload)",
    "        #",
    '        #       If the "reload" option is implemented, move the "force-reload"',
    '        #       option to the "reload" entry above. If not, "force-reload" is',
    '        #       just the same as "restart".',
    "        #",
    '        echo -n "Restarting $DESC: $NAME"',
    "        d_stop",
    "        sleep 1",
    "        d_start",
    '        echo "."',
    "        ;;",
    "  *)",
    '        # echo "Usage: $SCRIPTNAME {start|stop|restart|reload|force-reload}" >&2',
    '        echo "Usage: $SCRIPTNAME {start|stop|restart|force-reload}" >&2',
    "        exit 1",
    "        ;;",
    "esac",
    "exit 0",
  );
}

/**
 * The seed's cluster files and init-script order on every node; the first fence device fences all.
 * @internal
 */
export const layOutCman: ClusterLayout = (parent, name, spec, opts) => {
  const conf = pulumi.all([spec.clusterName, spec.configVersion]).apply(([clusterName, configVersion]) =>
    renderClusterConf({
      clusterName,
      configVersion,
      nodes: spec.nodes.map((n) => n.name),
      fenceDevice: spec.devices[0],
    }),
  );
  const deps = childOf(parent, opts?.dependsOn);
  for (const host of spec.nodes) {
    const n = `${name}-${host.name}`;
    const files = [
      new RemoteFile(`${n}-cluster-conf`, { host, path: "/etc/cluster/cluster.conf", content: conf }, deps),
      new RemoteFile(
        `${n}-sysconfig`,
        { host, path: "/etc/sysconfig/cluster", content: spec.clusterName.apply(renderSysconfigCluster) },
        deps,
      ),
      new RemoteFile(
        `${n}-clvmd-init`,
        { host, path: "/etc/init.d/clvmd", content: renderClvmdInit(), mode: "0755" },
        deps,
      ),
      new RemoteFileBlock(
        `${n}-modules`,
        { host, path: "/etc/modules", marker: "cman", content: renderModules(CMAN_MODULES) },
        deps,
      ),
    ];
    new Step(
      `${n}-rc-order`,
      { host, create: cmanRcScript(CMAN_RC_ORDER) },
      childOf(parent, opts?.dependsOn, ...files),
    );
  }
};
