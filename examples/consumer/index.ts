/**
 * A stack of someone else's that imports the library by its package name and reuses two
 * components for a different host layout: DRBD straight on whole disks (no LVM) between
 * two SAN heads, and two hypervisors that mount an NBD export served by their own
 * appliance rather than by the library's GnbdExport.
 */
import * as pulumi from "@pulumi/pulumi";
import { DrbdResource, Host, Ocfs2Client } from "@xenamo/xen-storage";

const config = new pulumi.Config();
const privateKey = config.getSecret("sshPrivateKey");
const host = (name: string, address: string, clusterAddress: string): Host => ({
  name,
  address,
  clusterAddress,
  privateKey,
});

const sanA = host("san-a", "192.0.2.11", "198.51.100.11");
const sanB = host("san-b", "192.0.2.12", "198.51.100.12");
const hv = [host("hv1", "192.0.2.21", "198.51.100.21"), host("hv2", "192.0.2.22", "198.51.100.22")];

const mirror = new DrbdResource("vmstore", {
  resourceName: "vmstore",
  version: "9",
  peers: [
    { host: sanA, disk: "/dev/sdb", port: 7790 },
    { host: sanB, disk: "/dev/sdb", port: 7790 },
  ],
  resyncRate: "100M",
  initialPrimary: "san-a",
});

const appliance = { address: "198.51.100.10", exportName: "vmstore", port: 10810 };
const first = new Ocfs2Client("hv1", {
  host: hv[0],
  nodes: hv,
  export: appliance,
  mountPoint: "/var/lib/xen/images",
  format: true,
});
new Ocfs2Client("hv2", {
  host: hv[1],
  nodes: hv,
  export: appliance,
  mountPoint: "/var/lib/xen/images",
  formattedBy: first,
});

export const device = mirror.device;
export const mountPoint = first.mountPoint;
