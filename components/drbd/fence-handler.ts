import { shq } from "../core/shell";

/**
 * DRBD's fence-peer handler for Pacemaker: drbd-utils' own `crm-fence-peer` script, adapted on
 * the host when it predates Pacemaker 2.1.7.
 *
 * Since Pacemaker 2.1.7 a `node_state` holds timestamps in `in_ccm` and `crmd` (0 when the node
 * is not a member, not online), where drbd-utils before 9.28.0 compare them with `false` and
 * `online`. Such a script never takes the peer for reachable nor for fenced: it waits out its
 * whole `--timeout` (90 s) in every failover, then places the constraint as for an unreachable
 * peer. Debian 13 ships drbd-utils 9.22 with Pacemaker 3.0. The adapted copy turns the
 * timestamps back into the words the script compares, right after it parses them, and changes
 * nothing else; a script that already understands them is used as it is.
 */
const FENCE_HANDLER_DIR = "/usr/local/lib/xenstorage/drbd";

const script = (nine: boolean) => `crm-fence-peer${nine ? ".9" : ""}.sh`;

/** Where DRBD finds the fence-peer handler. @internal */
export const fencePeerHandlerPath = (nine: boolean) => `${FENCE_HANDLER_DIR}/${script(nine)}`;

/**
 * The handler's `--timeout` and `--dc-timeout`, in seconds: for ever, in practice. Past either,
 * the script takes a peer that is neither reachable nor fenced for dead: an UpToDate node places
 * its constraint and exits 5, and DRBD resumes I/O. A primary cut off from the majority would
 * then write alone until its watchdog resets it, which under a cut between the two storage
 * hosts alone comes after the majority has promoted the peer (docs/fencing.md, "Open
 * problems" 1). So the handler returns only once the peer is reachable (exit 4) or fenced
 * (exit 7), and a primary whose peer is neither keeps I/O frozen until its own reset.
 */
const NEVER_SECONDS = 2_147_483_647;

/** The fence-peer handler's command line in drbd.conf. @internal */
export const fencePeerHandlerCommand = (nine: boolean) =>
  `${fencePeerHandlerPath(nine)} --timeout ${NEVER_SECONDS} --dc-timeout ${NEVER_SECONDS}`;

/** The line that marks a copy this library adapted. */
const MARK = "# xenstorage: in_ccm and crmd as the words this script compares";

/**
 * Writes the handler from the installed script `source` to `target`. The adaptation goes after
 * the loop that reads a `node_state` (the one ending in the `ha="dead"` case); when that loop is
 * not found, the installed script is used as it is, with a warning: slow, but as safe.
 * @internal
 */
export function fencePeerHandlerScript(
  nine: boolean,
  source = `/usr/lib/drbd/${script(nine)}`,
  target = fencePeerHandlerPath(nine),
): string {
  const adapt = [
    '/ha=\\\\"dead\\\\"\\)/ { parsing = 1 }',
    "{ print }",
    "parsing && /^[[:space:]]*done[[:space:]]*$/ {",
    `  print "\\t${MARK}"`,
    '  print "\\tcase $in_ccm in 0) in_ccm=false ;; [1-9]*) in_ccm=true ;; esac"',
    '  print "\\tcase $crmd in 0) crmd=offline ;; [1-9]*) crmd=online ;; esac"',
    "  parsing = 0",
    "}",
  ].join("\n");
  const [src, dst] = [shq(source), shq(target)];
  return [
    `[ -r ${src} ] || { echo ${shq(`DrbdResource: ${source} not found: install drbd-utils`)} >&2; exit 1; }`,
    `mkdir -p "$(dirname ${dst})"`,
    `tmp=${dst}.new`,
    `if grep -q 'in_ccm =~' ${src}; then`,
    `  cp ${src} "$tmp"`,
    "else",
    `  awk ${shq(adapt)} ${src} > "$tmp"`,
    `  if ! grep -qF ${shq(MARK)} "$tmp" || ! bash -n "$tmp"; then`,
    `    echo ${shq(`DrbdResource: could not adapt ${source} to Pacemaker's node_state timestamps; using it as it is (each failover waits its full --timeout)`)} >&2`,
    `    cp ${src} "$tmp"`,
    "  fi",
    "fi",
    `chmod 0755 "$tmp" && mv "$tmp" ${dst}`,
  ].join("\n");
}
