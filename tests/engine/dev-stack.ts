/**
 * The dev stack's program and config with every host's SSH pointed at one real sshd on
 * loopback: what the engine tests deploy to write a real state without real hosts.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { REPO } from "./cli";
import { Sshd } from "./sshd";

type Config = Record<string, unknown>;

const dev = (): Config =>
  (yaml.load(fs.readFileSync(path.join(REPO, "stacks", "Pulumi.dev.yaml"), "utf8")) as { config: Config })
    .config;

/** The dev config with every host reached through the sshd (cluster addresses unchanged), plus `changes` per section. */
export function devThroughSshd(sshd: Sshd, changes: Config = {}): Config {
  const config = dev();
  const throughSshd = (hosts: { name: string; address: string }[]) =>
    hosts.map((h) => ({
      ...h,
      address: "127.0.0.1",
      port: sshd.port,
      clusterAddress: h.address,
      hostKey: sshd.hostKey,
    }));
  for (const key of ["xen-storage:storageHosts", "xen-storage:xenNodes"])
    config[key] = throughSshd(config[key] as { name: string; address: string }[]);
  for (const [key, value] of Object.entries(changes)) {
    const k = `xen-storage:${key}`;
    config[k] = { ...(config[k] as Config), ...(value as Config) };
  }
  return config;
}

/** Writes a stack's config file, keeping what `pulumi` wrote into it (the salt and the secret key). */
export function writeStackConfig(file: string, config: Config): void {
  const old = (fs.existsSync(file) ? yaml.load(fs.readFileSync(file, "utf8")) : {}) as {
    config?: Config;
    encryptionsalt?: string;
  };
  const key = old.config?.["xen-storage:sshPrivateKey"];
  fs.writeFileSync(
    file,
    yaml.dump({
      config: { ...config, ...(key === undefined ? {} : { "xen-storage:sshPrivateKey": key }) },
      ...(old.encryptionsalt === undefined ? {} : { encryptionsalt: old.encryptionsalt }),
    }),
  );
}
