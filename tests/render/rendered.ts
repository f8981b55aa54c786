/**
 * The files a stack writes, host by host, taken from the real resource graph (mocks): the
 * golden files and the real-tool checks look at exactly what `pulumi up` would send.
 */
import * as pulumi from "@pulumi/pulumi";
import { RemoteFile, RemoteFileBlock } from "../../components/remote";
import { XenStorageCluster, clusterArgsFromConfig } from "../../stacks";
import { Recorder, installMocks, resolve } from "../unit/harness";
import { loadStackConfig } from "../unit/stack-config";

export interface RenderedFile {
  host: string;
  path: string;
  content: string;
  secret: boolean;
  /** For a block inside a shared file. */
  marker?: string;
}

export async function renderStack(stack: string): Promise<RenderedFile[]> {
  installMocks();
  loadStackConfig(stack, { "xen-storage:sshPrivateKey": "PRIVATE-KEY" });
  const rec = new Recorder();
  new XenStorageCluster("xenamo", clusterArgsFromConfig(new pulumi.Config("xen-storage")), rec.opts);
  const files: RenderedFile[] = [];
  for (const r of rec.registered) {
    const resource = r.resource;
    if (!(resource instanceof RemoteFile) && !(resource instanceof RemoteFileBlock)) continue;
    const host = r.name.match(/xenamo\d/)?.[0] ?? "unknown";
    files.push({
      host,
      path: resource instanceof RemoteFile ? await resolve(resource.path) : resource.path,
      content: await resolve(r.props.stdin as string),
      secret: resource instanceof RemoteFile && resource.secret,
      marker: resource instanceof RemoteFileBlock ? resource.marker : undefined,
    });
  }
  return files;
}

/** The one rendered file at `path` on `host`. */
export function fileAt(files: RenderedFile[], host: string, path: string): RenderedFile {
  const found = files.filter((f) => f.host === host && f.path === path);
  if (found.length !== 1) throw new Error(`expected one ${path} on ${host}, found ${found.length}`);
  return found[0];
}
