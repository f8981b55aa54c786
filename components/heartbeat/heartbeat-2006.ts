/** The seed's Heartbeat files (the 2006 flavor): no header or syslog line, IPaddr, GNBD served by drbddisk. */
import { HeartbeatVariant } from "./render";

/** @internal */
export const heartbeat2006: HeartbeatVariant = {
  haCfHead: [],
  haCfTail: [],
  resources: (r) => [r.virtualIp, `drbddisk::${r.drbdResource}`, `IPaddr::${r.virtualIp}/${r.interface}`],
};

/**
 * What the seed's ha.cf and authkeys hold beyond today's defaults; the stack's 2006 flavor applies them.
 * @internal
 */
export const heartbeatSeedSettings = {
  serial: "/dev/ttyS0",
  watchdog: "/dev/watchdog",
  auth: { methods: ["crc", "sha1", "md5"] as ("crc" | "sha1" | "md5")[], active: 2, allowWeak: true },
};
