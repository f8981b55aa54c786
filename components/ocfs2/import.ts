import * as pulumi from "@pulumi/pulumi";
import { Rule } from "../core/rules";
import { CheckedHost, RemoteFile } from "../remote";

/**
 * What a client imports.
 * @internal
 */
export interface ImportSpec {
  server: string;
  exportName: string;
  /** Local device that the import appears as (nbd: `/dev/mapper/<map>`). */
  device: string;
  /** Seconds to keep trying to reach the export. */
  connectTimeout: number;
  /** The export's port (NBD). */
  port: number;
}

/**
 * What differs between importing NBD (today) and GNBD (the seed); chosen once, by the export's protocol.
 * @internal
 */
export interface ImportVariant {
  /** The local device when none is given. */
  defaultDevice(exportName: string): string;
  /** What a given local device must look like. */
  deviceRule: Rule<string>;
  importScript(spec: ImportSpec): string;
  /** Delete: stops the import and disconnects it (the data stays on the server). */
  unimportScript(spec: ImportSpec): string;
  /** Files the import needs on the node, laid out under the client. */
  files(
    name: string,
    host: CheckedHost,
    spec: pulumi.Output<ImportSpec>,
    opts: { afterExport: pulumi.CustomResourceOptions; early: pulumi.CustomResourceOptions },
  ): ImportFiles;
}

/**
 * Files of an import.
 * @internal
 */
export interface ImportFiles {
  /** The import's program and unit: a change restarts it. */
  program: RemoteFile[];
  /**
   * What it reads each time it connects (server, port): a change restarts nothing. Written
   * without waiting for the export, so that an export re-served on a changed port finds its
   * clients' settings already changed, and they reconnect at once.
   */
  settings: RemoteFile[];
}
