/**
 * Validation rules. Each returns `undefined` for a good value, or the sentence that says
 * what is allowed. Components turn a failure into a `pulumi.ResourceError` that names the
 * field and the value (see `components/checker.ts`).
 * @internal
 */
export type Rule<T> = (value: T) => string | undefined;

const SHELL_UNSAFE = /[\0\n\r]/;
const SIZE_UNITS: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };

/**
 * An LVM size such as `10G`, `512M` or `1.5T` (binary units, as `lvcreate -L` reads them).
 * @internal
 */
export const size: Rule<string> = (value) =>
  typeof value === "string" && /^(0|[1-9][0-9]*)(\.[0-9]+)?[KMGTP]$/.test(value) && sizeToBytes(value) > 0
    ? undefined
    : "a positive size: a number followed by one of K, M, G, T, P (for example 10G or 512M)";

/**
 * Bytes in a size accepted by the `size` rule.
 * @internal
 */
export function sizeToBytes(value: string): number {
  return Math.round(parseFloat(value.slice(0, -1)) * SIZE_UNITS[value.slice(-1)]);
}

const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/**
 * A dotted IPv4 address, such as `10.0.0.4`.
 * @internal
 */
export const ipv4: Rule<string> = (value) =>
  typeof value === "string" && IPV4.test(value) ? undefined : "an IPv4 address such as 10.0.0.4";

/**
 * An IPv4 address a host can use on the cluster network: not "this network" (`0.0.0.0/8`),
 * loopback (`127.0.0.0/8`), multicast (`224.0.0.0/4`) or the limited broadcast address
 * (RFC 1122, section 3.2.1.3; RFC 1112 for multicast). Each of these binds or routes
 * somewhere other than the peer: DRBD, corosync, Heartbeat and NBD would never meet.
 * @internal
 */
export const clusterIpv4: Rule<string> = (value) => {
  if (ipv4(value) !== undefined) return ipv4(value);
  const first = Number(value.split(".")[0]);
  return first === 0 || first === 127 || first >= 224
    ? "an IPv4 address of the cluster network (not 0.x, loopback 127.x, multicast or broadcast)"
    : undefined;
};

/**
 * An IPv4 address as a number.
 * @internal
 */
export function ipToNumber(address: string): number {
  return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

/**
 * An IPv4 address with a prefix length from 1 to 32, such as `10.0.0.6/24`.
 * @internal
 */
export const cidr: Rule<string> = (value) => {
  const [address, prefix, ...rest] = typeof value === "string" ? value.split("/") : [];
  const ok = rest.length === 0 && IPV4.test(address ?? "") && /^([1-9]|[12][0-9]|3[0-2])$/.test(prefix ?? "");
  return ok ? undefined : "an IPv4 address with a prefix length of 1 to 32, such as 10.0.0.6/24";
};

/**
 * True when `address` lies in `cidr`'s network.
 * @internal
 */
export function inNetwork(address: string, cidr: string): boolean {
  const [net, prefix] = cidr.split("/");
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(ipToNumber(address) / size) === Math.floor(ipToNumber(net) / size);
}

/**
 * A virtual IP with its prefix length: a cluster address that is neither the network nor the
 * broadcast address of its network (a /31 or /32 has neither, RFC 3021).
 * @internal
 */
export const virtualIp: Rule<string> = (value) => {
  const problem = cidr(value) ?? clusterIpv4(value.split("/")[0]);
  if (problem !== undefined) return problem;
  const [address, prefix] = value.split("/");
  const size = 2 ** (32 - Number(prefix));
  const offset = ipToNumber(address) % size;
  return size >= 4 && (offset === 0 || offset === size - 1)
    ? `a host address of its network, not the network or broadcast address of a /${prefix}`
    : undefined;
};

/**
 * A host name, or an IPv4 address, to connect to.
 * @internal
 */
export const hostAddress: Rule<string> = (value) =>
  typeof value === "string" &&
  (IPV4.test(value) ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value))
    ? undefined
    : "an IPv4 address or a DNS host name";

/**
 * A TCP/UDP port.
 * @internal
 */
export const port: Rule<number> = (value) =>
  Number.isInteger(value) && value >= 1 && value <= 65535 ? undefined : "an integer port from 1 to 65535";

/**
 * A node name: one DNS label, as `uname -n` prints it (DRBD `on`, Heartbeat `node`, corosync, OCFS2).
 * @internal
 */
export const nodeName: Rule<string> = (value) =>
  typeof value === "string" && /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(value)
    ? undefined
    : "a host name of letters, digits and inner hyphens, at most 63 characters";

/**
 * A resource, volume group, volume, export or cluster name: letters, digits, `_ . -`, no slash.
 * @internal
 */
export const objectName: Rule<string> = (value) =>
  typeof value === "string" && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(value) && !value.includes("..")
    ? undefined
    : "a name of 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit (no '/', spaces or shell characters)";

/**
 * An LVM logical volume name: a name as `objectName` allows that LVM does not reserve. lvm2
 * `lib/misc/lvm-string.c` (`apply_lvname_restrictions`) refuses names starting with `pvmove`
 * or `snapshot`, and names containing the suffixes of its internal volumes.
 * @internal
 */
export const lvName: Rule<string> = (value) => {
  const problem = objectName(value);
  if (problem !== undefined) return problem;
  const reserved =
    ["pvmove", "snapshot"].find((p) => value.startsWith(p)) ?? LVM_RESERVED.find((s) => value.includes(s));
  return reserved === undefined ? undefined : `a name that LVM does not reserve (it reserves "${reserved}")`;
};
const LVM_RESERVED = [
  "_cdata",
  "_cmeta",
  "_corig",
  "_cpool",
  "_cvol",
  "_wcorig",
  "_mimage",
  "_mlog",
  "_rimage",
  "_rmeta",
  "_tdata",
  "_tmeta",
  "_vdata",
  "_imeta",
  "_iorig",
  "_pmspare",
  "_vorigin",
];

/**
 * The device-mapper name LVM gives `vg/lv` (each `-` doubled, joined by `-`); libdevmapper
 * refuses names of `DM_NAME_LEN` (128) bytes or more (`linux/dm-ioctl.h`).
 * @internal
 */
export const dmNameOfVolume: Rule<string[]> = ([vg, lv]) =>
  `${vg.replace(/-/g, "--")}-${lv.replace(/-/g, "--")}`.length <= 127
    ? undefined
    : "a volume group and volume name whose device-mapper name (vg-lv, each '-' doubled) has at most 127 characters";

/**
 * An OCFS2 cluster name for the o2cb stack: 1 to 16 letters and digits (ocfs2-tools
 * `o2cb_ctl/op_cluster.c`; ocfs2.cluster.conf(5)).
 * @internal
 */
export const ocfs2ClusterName: Rule<string> = (value) =>
  typeof value === "string" && /^[A-Za-z0-9]{1,16}$/.test(value)
    ? undefined
    : "1 to 16 letters and digits (o2cb)";

/**
 * The cluster manager's cluster name: 1 to 16 letters, digits, '_' or '-' (OCFS2's own name
 * is stricter, see `ocfs2ClusterName`).
 * @internal
 */
export const clusterName: Rule<string> = (value) =>
  typeof value === "string" && /^[A-Za-z0-9_-]{1,16}$/.test(value)
    ? undefined
    : "1 to 16 letters, digits, '_' or '-'";

/**
 * An absolute path such as `/dev/vg1/cluster`, with no `..` and nothing a shell would read.
 * @internal
 */
export const absolutePath: Rule<string> = (value) =>
  typeof value === "string" && /^(\/[A-Za-z0-9_.@:+-]+)+\/?$/.test(value) && !/(^|\/)\.\.?(\/|$)/.test(value)
    ? undefined
    : "an absolute path of letters, digits and '_ . @ : + -' (for example /dev/vg1/cluster)";

/**
 * A disk for LVM or DRBD to sit on: an absolute path that is not itself a DRBD device
 * (`/dev/drbdN`, `/dev/drbd/by-res/...`), which would put DRBD on top of itself.
 * @internal
 */
export const backingDevice: Rule<string> = (value) =>
  absolutePath(value) ??
  (/^\/dev\/drbd/.test(value) ? "a disk below DRBD, not a DRBD device (/dev/drbd...)" : undefined);

/** The largest DRBD minor: `DRBD_MINOR_NUMBER_MAX` in drbd-8.4's `drbd_limits.h`, the kernel's MINORMASK. */
const DRBD_MAX_MINOR = 2 ** 20 - 1;

/**
 * A DRBD device node: `/dev/drbd<minor>`. drbdadm derives the minor from this name
 * (drbd-utils, `user/shared/drbdadm_parser.c`, `parse_device`).
 * @internal
 */
export const drbdDevice: Rule<string> = (value) => {
  const minor = typeof value === "string" ? /^\/dev\/drbd(0|[1-9][0-9]{0,6})$/.exec(value)?.[1] : undefined;
  return minor !== undefined && Number(minor) <= DRBD_MAX_MINOR
    ? undefined
    : `/dev/drbd followed by a minor number from 0 to ${DRBD_MAX_MINOR} (for example /dev/drbd0)`;
};

/**
 * A device-mapper device such as `/dev/mapper/xenstorage-ocfscluster`.
 * @internal
 */
export const mapperDevice: Rule<string> = (value) =>
  typeof value === "string" &&
  /^\/dev\/mapper\/[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/.test(value) &&
  value !== "/dev/mapper/control" // the device-mapper control node (linux/dm-ioctl.h DM_CONTROL_NODE)
    ? undefined
    : "/dev/mapper/ followed by a name of letters, digits, '_', '.' or '-', other than control (the NBD import is a device-mapper map)";

/**
 * A network interface name such as `eth0`.
 * @internal
 */
export const interfaceName: Rule<string> = (value) =>
  typeof value === "string" && /^[A-Za-z0-9_.-]{1,15}$/.test(value)
    ? undefined
    : "an interface name of 1 to 15 letters, digits, '_', '.' or '-' (for example eth0)";

/** The most resync-rate allows, in KiB/s: `DRBD_RESYNC_RATE_MAX` (4 << 20) in drbd-utils' `user/v84/linux/drbd_limits.h`. */
const DRBD_RATE_MAX_KIB = 4 << 20;

/**
 * A DRBD resync rate such as `5M`: a bare number is KiB/s, K, M and G are powers of 1024
 * (drbd-utils `new_strtoll`; drbd.conf(5)); drbdadm accepts 1 KiB/s to 4 GiB/s.
 * @internal
 */
export const rate: Rule<string> = (value) => {
  const m = typeof value === "string" ? /^([1-9][0-9]{0,9})([KMG]?)$/.exec(value) : null;
  const kib = m === null ? 0 : Number(m[1]) * 1024 ** Math.max(0, "KMG".indexOf(m[2] || "K"));
  return kib >= 1 && kib <= DRBD_RATE_MAX_KIB
    ? undefined
    : "a rate from 1 (KiB/s) to 4G, such as 5M (a number with an optional K, M or G suffix)";
};

/**
 * A whole number from `min` to `max`.
 * @internal
 */
export function range(min: number, max: number, what = ""): Rule<number> {
  return (value) =>
    Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `a whole number from ${min} to ${max}${what}`;
}

/**
 * A positive whole number of seconds (or other count).
 * @internal
 */
export const positiveInteger: Rule<number> = (value) =>
  Number.isInteger(value) && value > 0 ? undefined : "a positive whole number";

/**
 * `true` or `false`.
 * @internal
 */
export const boolean: Rule<boolean> = (value) => (typeof value === "boolean" ? undefined : "true or false");

/**
 * A user or group name for chown.
 * @internal
 */
export const accountName: Rule<string> = (value) =>
  typeof value === "string" && /^[a-z_][a-z0-9_-]{0,31}$/.test(value)
    ? undefined
    : "a user name such as root";

/**
 * Text that goes into a config file or a script as data: no NUL, no line breaks.
 * @internal
 */
export const singleLine: Rule<string> = (value) =>
  typeof value === "string" && value.length > 0 && !SHELL_UNSAFE.test(value)
    ? undefined
    : "non-empty text on one line (no NUL or line breaks)";

/**
 * One of a fixed set of values.
 * @internal
 */
export function oneOf<T extends string | number>(...allowed: T[]): Rule<T> {
  return (value) =>
    allowed.includes(value) ? undefined : `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`;
}

/**
 * A file mode such as `0600`.
 * @internal
 */
export const fileMode: Rule<string> = (value) =>
  typeof value === "string" && /^0?[0-7]{3}$/.test(value) ? undefined : "an octal file mode such as 0600";

/**
 * A DRBD shared secret: 1 to 64 printable characters without quotes or backslashes.
 * @internal
 */
export const drbdSecret: Rule<string> = (value) =>
  typeof value === "string" && /^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(value)
    ? undefined
    : "1 to 64 printable characters without spaces, quotes or backslashes";
