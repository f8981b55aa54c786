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
 * An IPv4 address with a prefix length from 1 to 32, such as `10.0.0.6/24`.
 * @internal
 */
export const cidr: Rule<string> = (value) => {
  const [address, prefix, ...rest] = typeof value === "string" ? value.split("/") : [];
  const ok = rest.length === 0 && IPV4.test(address ?? "") && /^([1-9]|[12][0-9]|3[0-2])$/.test(prefix ?? "");
  return ok ? undefined : "an IPv4 address with a prefix length of 1 to 32, such as 10.0.0.6/24";
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
 * An OCFS2 cluster name (o2cb allows at most 16 characters).
 * @internal
 */
export const o2cbClusterName: Rule<string> = (value) =>
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
 * A device-mapper device such as `/dev/mapper/xenstorage-ocfscluster`.
 * @internal
 */
export const mapperDevice: Rule<string> = (value) =>
  typeof value === "string" && /^\/dev\/mapper\/[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/.test(value)
    ? undefined
    : "/dev/mapper/ followed by a name of letters, digits, '_', '.' or '-' (the NBD import is a device-mapper map)";

/**
 * A network interface name such as `eth0`.
 * @internal
 */
export const interfaceName: Rule<string> = (value) =>
  typeof value === "string" && /^[A-Za-z0-9_.-]{1,15}$/.test(value)
    ? undefined
    : "an interface name of 1 to 15 letters, digits, '_', '.' or '-' (for example eth0)";

/**
 * A DRBD rate such as `5M` (bytes per second, K/M/G suffix).
 * @internal
 */
export const rate: Rule<string> = (value) =>
  typeof value === "string" && /^[1-9][0-9]*[KMG]?$/.test(value)
    ? undefined
    : "a positive rate such as 5M (a number with an optional K, M or G suffix)";

/**
 * A positive whole number of seconds (or other count).
 * @internal
 */
export const positiveInteger: Rule<number> = (value) =>
  Number.isInteger(value) && value > 0 ? undefined : "a positive whole number";

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
