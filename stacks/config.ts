import * as pulumi from "@pulumi/pulumi";
import { Host } from "../components";
import { XenStorageClusterArgs } from "./xen-storage-cluster";

/** A host as written in stack config. */
interface HostConfig {
  name: string;
  /** Management (SSH) address. */
  address: string;
  /** Storage-network address. Default: `address`. */
  clusterAddress?: string;
  port?: number;
  user?: string;
  /** Pinned SSH host key (`ssh-ed25519 AAAA...`). */
  hostKey?: string;
}

/**
 * Reads the stack config (see the README's config reference) into the cluster's arguments.
 * `sshPrivateKey` is read as a secret; without it the SSH agent is used.
 */
export function clusterArgsFromConfig(config: pulumi.Config = new pulumi.Config()): XenStorageClusterArgs {
  const privateKey = config.getSecret("sshPrivateKey");
  const user = config.get("sshUser");
  const toHost = (h: HostConfig): Host => ({
    name: h.name,
    address: h.address,
    clusterAddress: h.clusterAddress ?? h.address,
    port: h.port,
    user: h.user ?? user,
    hostKey: h.hostKey,
    privateKey,
  });
  return {
    flavor: config.get("flavor") as XenStorageClusterArgs["flavor"],
    storageHosts: config.requireObject<HostConfig[]>("storageHosts").map(toHost),
    xenNodes: config.requireObject<HostConfig[]>("xenNodes").map(toHost),
    lvm: config.requireObject("lvm"),
    drbd: config.getObject("drbd"),
    cluster: config.getObject("cluster"),
    heartbeat: config.requireObject("heartbeat"),
    export: config.getObject("export"),
    ocfs2: config.getObject("ocfs2"),
    allowDataLoss: config.getBoolean("allowDataLoss"),
  };
}
