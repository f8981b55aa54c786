import { AuthMethod } from "./render";

/**
 * Every default of HeartbeatPair, written once.
 * @internal
 */
export const heartbeatDefaults = {
  interface: "eth0",
  keepalive: 1,
  warntime: 5,
  deadtime: 10,
  initdead: 60,
  udpport: 694,
  baud: 19200,
  autoFailback: false,
  authMethods: ["sha1"] as AuthMethod["method"][],
  authKeyLength: 40,
  flavor: "modern",
  engine: "heartbeat",
  /** Seconds the pair's steps wait for Pacemaker (a controller; the peer's hand-over). */
  pacemakerTimeout: 180,
} as const;
