/**
 * Runs a library script for real on this machine, inside private mount (and, with
 * `hostname`, UTS) namespaces whose /var/lib/xenstorage is a fresh tmpfs, so that nothing
 * the script records or renames leaks out.
 */
import { run, Ran } from "../render/tools";

export interface SandboxOptions {
  input?: string;
  env?: Record<string, string>;
  /** Commands run before the script, inside the namespaces. */
  prelude?: string;
  /** The host name the script sees. */
  hostname?: string;
}

export function inSandbox(script: string, options: SandboxOptions = {}): Ran {
  const setup = [
    "mkdir -p /var/lib/xenstorage",
    "mount -t tmpfs none /var/lib/xenstorage",
    options.hostname === undefined ? ":" : `hostname ${options.hostname}`,
    options.prelude ?? ":",
  ].join("\n");
  const namespaces = options.hostname === undefined ? ["-m"] : ["-m", "-u"];
  return run(
    "unshare",
    [...namespaces, "--propagation", "private", "sh", "-c", `${setup}\nexec sh -ec "$1"`, "sandbox", script],
    options,
  );
}
