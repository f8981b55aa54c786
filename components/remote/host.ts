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

/**
 * A Host whose fields have been checked; built by `checkHost`.
 * @internal
 */
export interface CheckedHost {
  name: string;
  clusterAddress: pulumi.Output<string>;
  user: pulumi.Output<string>;
  connection: command.types.input.remote.ConnectionArgs;
}

/**
 * What `pulumi up` needs when a host has neither a private key nor an SSH agent.
 * @internal
 */
export const MISSING_CREDENTIALS =
  "an SSH private key (`pulumi config set --secret sshPrivateKey`) or an SSH agent socket";

/** The private key to use, if any (an empty one counts as none). */
function keyOf(host: Host): pulumi.Input<string> | undefined {
  return host.privateKey === "" ? undefined : host.privateKey;
}

/** The agent socket to use when there is no key, if any. */
function agentOf(host: Host): pulumi.Input<string> | undefined {
  const agent = host.agentSocketPath ?? process.env.SSH_AUTH_SOCK;
  return agent === "" ? undefined : agent;
}

/**
 * Whether SSH has something to log in with: a key or an agent.
 * @internal
 */
export function hasCredentials(host: Host): boolean {
  return keyOf(host) !== undefined || agentOf(host) !== undefined;
}

/**
 * Checks every field of a host and builds its SSH connection (private key wrapped as a secret).
 * @internal
 */
export function checkHost(check: Checker, field: string, host: Host | undefined): CheckedHost {
  if (host === undefined || typeof host !== "object") check.fail(field, host, "a host object");
  check.plain(`${field}.name`, host.name, rules.nodeName);
  const key = keyOf(host);
  // A preview never connects, so it may run without credentials; anything else may not.
  if (!hasCredentials(host) && !pulumi.runtime.isDryRun())
    check.fail(`${field}.privateKey`, "missing", MISSING_CREDENTIALS);
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
      agentSocketPath: key === undefined ? agentOf(host) : undefined,
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

/**
 * Checks a list of hosts: each host, then that no name and no cluster address appears twice.
 * @internal
 */
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

/**
 * The members of a cluster as a component that does not connect to them needs them.
 * @internal
 */
export interface Members {
  names: string[];
  clusterAddresses: pulumi.Output<string[]>;
}

/**
 * Checks the names and cluster addresses of a list of hosts.
 * @internal
 */
export function checkMembers(check: Checker, field: string, hosts: readonly Host[] | undefined): Members {
  if (!Array.isArray(hosts) || hosts.length === 0) check.fail(field, hosts, "a non-empty list of hosts");
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
  return {
    names,
    // Plain addresses stay plain: every client checks the whole list, and an Output per host
    // per client made 300 clients cost 300² Outputs.
    clusterAddresses: pulumi.all(
      hosts.map((h, i) => check.value(`${field}[${i}].clusterAddress`, h.clusterAddress, rules.ipv4)),
    ),
  };
}
