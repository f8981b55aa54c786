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
  /** SSH port. Default {@link hostDefaults.port}. */
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
 * Every default of a Host, written once.
 * @internal
 */
export const hostDefaults = {
  port: 22,
  user: "root",
} as const;

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

/** Fails unless `host` is an object with a valid node name (a YAML `- ~` gives null). */
function checkHostObject(check: Checker, field: string, host: Host | undefined | null): asserts host is Host {
  if (host === undefined || host === null || typeof host !== "object")
    check.fail(field, host, "a host object");
  check.plain(`${field}.name`, host.name, rules.nodeName);
}

/**
 * Checks every field of a host and builds its SSH connection (private key wrapped as a secret).
 * @internal
 */
export function checkHost(check: Checker, field: string, host: Host | undefined): CheckedHost {
  checkHostObject(check, field, host);
  const key = keyOf(host);
  // A preview never connects, so it may run without credentials; anything else may not.
  if (!hasCredentials(host) && !pulumi.runtime.isDryRun())
    check.fail(`${field}.privateKey`, "missing", MISSING_CREDENTIALS);
  const user = check.optional(`${field}.user`, host.user, hostDefaults.user, rules.accountName);
  return {
    name: host.name,
    clusterAddress: check.input(`${field}.clusterAddress`, host.clusterAddress, rules.clusterIpv4),
    user,
    connection: {
      host: check.input(`${field}.address`, host.address, rules.hostAddress),
      port: check.optional(`${field}.port`, host.port, hostDefaults.port, rules.port),
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
  const distinct = check.distinct(
    `${field}[].clusterAddress`,
    hosts.map((h) => h.clusterAddress),
  );
  return checked.map((h) => ({
    ...h,
    clusterAddress: pulumi.all([h.clusterAddress, distinct]).apply(([a]) => a),
  }));
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
  hosts.forEach((host, i) => checkHostObject(check, `${field}[${i}]`, host));
  const names = hosts.map((h) => h.name);
  check.unique(`${field}[].name`, names);
  return {
    names,
    // Plain addresses stay plain: every client checks the whole list, and an Output per host
    // per client made 300 clients cost 300² Outputs.
    clusterAddresses: check.distinct(
      `${field}[].clusterAddress`,
      hosts.map((h, i) => check.value(`${field}[${i}].clusterAddress`, h.clusterAddress, rules.clusterIpv4)),
    ),
  };
}

/**
 * Checks that a service's `port` is not the SSH port of any of `hosts` (sshd holds it there,
 * so the service could not listen); gives the port.
 * @internal
 */
export function checkNotSshPort(
  check: Checker,
  field: string,
  port: pulumi.Input<number>,
  hosts: readonly Host[],
): pulumi.Output<number> {
  return check
    .across(
      field,
      { port, ssh: hosts.map((h) => h.port ?? hostDefaults.port) },
      ({ port: p, ssh }) => {
        const i = ssh.indexOf(p);
        return i < 0 ? undefined : `a port that sshd does not use on ${hosts[i].name}`;
      },
      (v) => v.port,
    )
    .apply((v) => v.port);
}
