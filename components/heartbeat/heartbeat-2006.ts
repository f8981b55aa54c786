/** The seed's Heartbeat files (the 2006 flavor): no header or syslog line, IPaddr, GNBD served by drbddisk. */
import { ExportProtocol } from "../core/parts";
import { Rule } from "../core/rules";
import { HeartbeatVariant } from "./render";

/** @internal */
export const heartbeat2006: HeartbeatVariant = {
  haCfHead: [],
  haCfTail: [],
  resources: (r) => [r.virtualIp, `drbddisk::${r.drbdResource}`, `IPaddr::${r.virtualIp}/${r.interface}`],
  scripts: [],
};

/**
 * The one export the seed's haresources starts: GNBD, which its drbddisk serves.
 * @internal
 */
export const seedExportProtocol: Rule<ExportProtocol> = (protocol) =>
  protocol === "gnbd"
    ? undefined
    : `"gnbd" in the 2006 flavor (its haresources line starts the seed's drbddisk, which serves only GNBD: an NBD export would never start)`;

/**
 * What the seed's ha.cf and authkeys hold beyond today's defaults; the stack's 2006 flavor applies them.
 * @internal
 */
export const heartbeatSeedSettings = {
  serial: "/dev/ttyS0",
  watchdog: "/dev/watchdog",
  auth: { methods: ["crc", "sha1", "md5"] as ("crc" | "sha1" | "md5")[], active: 2, allowWeak: true },
};
