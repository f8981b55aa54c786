import * as pulumi from "@pulumi/pulumi";
import { CheckedHost } from "./host";
import { shq } from "../core/shell";
import { Step, sha256 } from "./step";

/**
 * Where the library keeps what it needs to undo its own writes on a host.
 * @internal
 */
export const STATE_DIR = "/var/lib/xenstorage";

/**
 * A whole file on a host; see `RemoteFile`.
 * @internal
 */
export interface RemoteFileArgs {
  host: CheckedHost;
  /** Absolute path of the file. */
  path: pulumi.Input<string>;
  /** The file's content, sent through standard input. */
  content: pulumi.Input<string>;
  /** Octal mode. Default `0644`. */
  mode?: string;
  /** `user:group`. Default `root:root`. */
  owner?: string;
  /** Keep the content secret (state, logs); the file is written mode 0600 unless `mode` says otherwise. Default false. */
  secret?: boolean;
}

/**
 * A file written atomically (temp file in the same directory, then rename) from standard
 * input. A changed content is a changed `stdin`: the step updates in place and writes the
 * new content over the old, so the file never disappears. The first write keeps any file
 * that was there before under `/var/lib/xenstorage/orig`; delete puts it back, or removes
 * the file when there was none.
 * @internal
 */
export class RemoteFile extends Step {
  /** Path of the file on the host. */
  public readonly path: pulumi.Output<string>;
  /** Whether the content is secret. */
  public readonly secret: boolean;
  /** sha256 of the content (secret when the content is); a step that reloads a daemon re-runs on it (`rerunOn`). */
  public readonly contentHash: pulumi.Output<string>;

  constructor(name: string, args: RemoteFileArgs, opts: pulumi.CustomResourceOptions) {
    const content = args.secret ? pulumi.secret(args.content) : pulumi.output(args.content);
    const contentHash = content.apply(sha256);
    const mode = args.mode ?? (args.secret ? "0600" : "0644");
    const path = pulumi.output(args.path);
    const write = path.apply((p) => writeFileScript(p, mode, args.owner ?? "root:root"));
    super(
      name,
      {
        host: args.host,
        create: write,
        stdin: content,
        delete: path.apply(removeFileScript),
      },
      opts,
    );
    this.contentHash = contentHash;
    this.path = path;
    this.secret = args.secret === true;
  }
}

/**
 * A block of lines between markers inside a shared file; see `RemoteFileBlock`.
 * @internal
 */
export interface RemoteFileBlockArgs {
  host: CheckedHost;
  /** Absolute path of the shared file (for example `/etc/fstab`). */
  path: string;
  /** Identifies the block; one file can hold blocks of several components. */
  marker: string;
  /** The lines of the block. */
  content: pulumi.Input<string>;
}

/**
 * Lines this library owns inside a file that others edit too (`/etc/fstab`,
 * `/etc/modules`, `/etc/lvm/lvmlocal.conf`): a block between `# BEGIN xenstorage MARKER`
 * and `# END xenstorage MARKER`, replaced atomically, removed on delete.
 * @internal
 */
export class RemoteFileBlock extends Step {
  /** Path of the shared file. */
  public readonly path: string;
  /** The block's marker. */
  public readonly marker: string;
  public readonly contentHash: pulumi.Output<string>;

  constructor(name: string, args: RemoteFileBlockArgs, opts: pulumi.CustomResourceOptions) {
    const content = pulumi.output(args.content);
    const contentHash = content.apply(sha256);
    super(
      name,
      {
        host: args.host,
        create: writeBlockScript(args.path, args.marker, true),
        delete: writeBlockScript(args.path, args.marker, false),
        stdin: content,
      },
      opts,
    );
    this.contentHash = contentHash;
    this.path = args.path;
    this.marker = args.marker;
  }
}

/**
 * Script: write stdin to `path` atomically with mode and owner, keeping a pre-existing file once.
 * @internal
 */
export function writeFileScript(path: string, mode: string, owner: string): string {
  return [
    `p=${shq(path)}; orig=${shq(`${STATE_DIR}/orig`)}"$p"; owned=${shq(`${STATE_DIR}/owned`)}"$p"`,
    // Directories it creates are readable by the daemons that read the file (nbd-server runs as nbd);
    // the library's own bookkeeping and the temp file are root's alone.
    'umask 022; mkdir -p "$(dirname "$p")"; umask 077; mkdir -p "$(dirname "$orig")" "$(dirname "$owned")"',
    'if [ -e "$p" ] && [ ! -e "$owned" ]; then cp -p "$p" "$orig"; fi',
    't=$(mktemp "$p.XXXXXX"); trap \'rm -f "$t"\' EXIT',
    'cat > "$t"',
    `chmod ${shq(mode)} "$t"; chown ${shq(owner)} "$t"`,
    'mv -f "$t" "$p"; trap - EXIT; : > "$owned"',
  ].join("\n");
}

/**
 * Script: put back the file that was there before the first write, or remove ours.
 * @internal
 */
export function removeFileScript(path: string): string {
  return [
    `p=${shq(path)}; orig=${shq(`${STATE_DIR}/orig`)}"$p"; owned=${shq(`${STATE_DIR}/owned`)}"$p"`,
    'if [ -e "$orig" ]; then mv -f "$orig" "$p"; elif [ -e "$owned" ]; then rm -f "$p"; fi',
    'rm -f "$owned"',
  ].join("\n");
}

/**
 * Script: replace (or, with `insert` false, remove) the marked block; the new block comes on stdin.
 * @internal
 */
export function writeBlockScript(path: string, marker: string, insert: boolean): string {
  return [
    `p=${shq(path)}; begin=${shq(`# BEGIN xenstorage ${marker}`)}; end=${shq(`# END xenstorage ${marker}`)}`,
    'mkdir -p "$(dirname "$p")"; [ -e "$p" ] || : > "$p"',
    't=$(mktemp "$p.XXXXXX"); trap \'rm -f "$t"\' EXIT',
    'BEGIN="$begin" END="$end" awk \'$0 == ENVIRON["BEGIN"] {skip = 1; next} $0 == ENVIRON["END"] {skip = 0; next} !skip\' "$p" > "$t"',
    insert ? '{ printf \'%s\\n\' "$begin"; awk 1; printf \'%s\\n\' "$end"; } >> "$t"' : ":",
    'chmod --reference="$p" "$t"; chown --reference="$p" "$t"',
    'mv -f "$t" "$p"; trap - EXIT',
  ].join("\n");
}
