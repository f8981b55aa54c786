import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { Checker } from "../core/checker";
import * as rules from "../core/rules";

/** A machine the library configures over SSH. */
export interface Host {
  /** Node name as the host itself reports it (`uname -n`): DRBD `on`, Heartbeat `node`, corosync and OCFS2 use it. */
  name: string;
  /** Management address that SSH connects to (IPv4 address or DNS name). */
  address: pulumi.Input<string>;
  /** SSH port. Default 22. */
  port?: pulumi.Input<number>;
  /** SSH user. Default `root`; any other user must have password-less `sudo`. */
  user?: pulumi.Input<string>;
  /** Private key for SSH (OpenSSH or PEM). Kept secret in state. Default: use the SSH agent (`agentSocketPath`). */
  privateKey?: pulumi.Input<string>;
  /** SSH agent socket, used when `privateKey` is absent. Default: `$SSH_AUTH_SOCK`. */
  agentSocketPath?: pulumi.Input<string>;
  /** The host's public key (`ssh-ed25519 AAAA...`). When set, SSH refuses a host that presents another key. Default: not checked. */
  hostKey?: pulumi.Input<string>;
  /** Address of this host on the cluster (storage) network: DRBD, Heartbeat, corosync and OCFS2 traffic. */
  clusterAddress: pulumi.Input<string>;
}

/** A Host whose fields have been checked; built by `checkHost`. */
export interface CheckedHost {
  name: string;
  clusterAddress: pulumi.Output<string>;
  user: pulumi.Output<string>;
  connection: command.types.input.remote.ConnectionArgs;
}

/** Checks every field of a host and builds its SSH connection (private key wrapped as a secret). */
export function checkHost(check: Checker, field: string, host: Host | undefined): CheckedHost {
  if (host === undefined || typeof host !== "object") check.fail(field, host, "a host object");
  check.plain(`${field}.name`, host.name, rules.nodeName);
  const key = host.privateKey === "" ? undefined : host.privateKey;
  const agent = host.agentSocketPath ?? process.env.SSH_AUTH_SOCK;
  if (key === undefined && (agent === undefined || agent === "")) {
    const missing = "an SSH private key (`pulumi config set --secret sshPrivateKey`) or an SSH agent socket";
    // A preview never connects, so it may run without credentials; anything else may not.
    if (!pulumi.runtime.isDryRun()) check.fail(`${field}.privateKey`, "missing", missing);
    warnOnce(`no SSH credentials for ${host.name}: fine for a preview, but \`pulumi up\` needs ${missing}`);
  }
  const user = check.optional(`${field}.user`, host.user, "root", rules.accountName);
  return {
    name: host.name,
    clusterAddress: check.input(`${field}.clusterAddress`, host.clusterAddress, rules.ipv4),
    user,
    connection: {
      host: check.input(`${field}.address`, host.address, rules.hostAddress),
      port: check.optional(`${field}.port`, host.port, 22, rules.port),
      user,
      privateKey: key === undefined ? undefined : pulumi.secret(key),
      agentSocketPath: key === undefined ? agent : undefined,
      hostKey:
        host.hostKey === undefined
          ? undefined
          : check.input(`${field}.hostKey`, host.hostKey, rules.singleLine),
      // Pulumi's command provider retries every failed dial, a refused host key included,
      // backing off from 0.1 s to 5 s: 12 dials give up after about 20 s when the host
      // answers (a wrong key, sshd not started yet), and after about 4 min when it does not
      // answer at all (still booting), at 20 s a dial.
      dialErrorLimit: 12,
      perDialTimeout: 20,
    },
  };
}

/** Checks a list of hosts: each host, then that no name and no cluster address appears twice. */
export function checkHosts(check: Checker, field: string, hosts: readonly Host[] | undefined): CheckedHost[] {
  if (!Array.isArray(hosts) || hosts.length === 0) check.fail(field, hosts, "a non-empty list of hosts");
  const checked = hosts.map((host, i) => checkHost(check, `${field}[${i}]`, host));
  check.unique(
    `${field}[].name`,
    checked.map((h) => h.name),
  );
  const plainAddresses = hosts.map((h) => h.clusterAddress).filter((a): a is string => typeof a === "string");
  check.unique(`${field}[].clusterAddress`, plainAddresses);
  return checked;
}

/** The members of a cluster as a component that does not connect to them needs them. */
export interface Members {
  names: string[];
  clusterAddresses: pulumi.Output<string[]>;
}

const membersOf = new WeakMap<readonly Host[], Members>();

/**
 * Checks the names and cluster addresses of a list of hosts. Every Xen node's client gets the
 * same list of all nodes, so it is checked once per list: with n clients, checking it per
 * client would cost n² Outputs.
 */
export function checkMembers(check: Checker, field: string, hosts: readonly Host[] | undefined): Members {
  if (!Array.isArray(hosts) || hosts.length === 0) check.fail(field, hosts, "a non-empty list of hosts");
  const known = membersOf.get(hosts);
  if (known) return known;
  hosts.forEach((host, i) => {
    if (host === undefined || typeof host !== "object") check.fail(`${field}[${i}]`, host, "a host object");
    check.plain(`${field}[${i}].name`, host.name, rules.nodeName);
  });
  const names = hosts.map((h) => h.name);
  check.unique(`${field}[].name`, names);
  check.unique(
    `${field}[].clusterAddress`,
    hosts.map((h) => h.clusterAddress).filter((a): a is string => typeof a === "string"),
  );
  const members = {
    names,
    clusterAddresses: pulumi.all(
      hosts.map((h, i) => check.input(`${field}[${i}].clusterAddress`, h.clusterAddress, rules.ipv4)),
    ),
  };
  membersOf.set(hosts, members);
  return members;
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  pulumi.log.warn(message);
}
