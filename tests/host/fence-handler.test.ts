/**
 * The fence-peer handler adapted from the drbd-utils installed here (Debian 13: 9.22, both the
 * 8.4 and the 9 script), and what its node_state parsing concludes before and after, for the
 * node_state lines Pacemaker 3.0 writes.
 */
import * as fs from "fs";
import * as path from "path";
import {
  fencePeerHandlerCommand,
  fencePeerHandlerPath,
  fencePeerHandlerScript,
} from "../../components/drbd/fence-handler";
import { run, sh, tempDir } from "../render/tools";

const SCRIPTS = ["/usr/lib/drbd/crm-fence-peer.sh", "/usr/lib/drbd/crm-fence-peer.9.sh"];

function adapt(source: string, nine: boolean): { target: string; stderr: string } {
  const target = path.join(tempDir(), "handler", path.basename(source));
  const r = sh(fencePeerHandlerScript(nine, source, target));
  expect(r.status).toBe(0);
  return { target, stderr: r.stderr };
}

/** What the script's `guess_if_pacemaker_will_fence` concludes for one node_state line. */
function guess(script: string, nodeState: string): string {
  const r = run("bash", [
    "-c",
    `eval "$(sed -n '/^guess_if_pacemaker_will_fence()/,/^}/p' "$1")"
     stonith_enabled=true startup_fencing=true node_state=$2
     guess_if_pacemaker_will_fence
     echo "will_fence=$will_fence in_ccm=$in_ccm crmd=$crmd"`,
    "guess",
    script,
    nodeState,
  ]);
  expect(r.stderr).toBe("");
  return r.stdout.trim();
}

const state = (inCcm: string, crmd: string, expected: string) =>
  `<node_state id="2" uname="xenamo5" in_ccm="${inCcm}" crmd="${crmd}" crm-debug-origin="do_state_transition" join="member" expected="${expected}"/>`;
const MEMBER = state("1765112345", "1765112345", "member");
const FENCED = state("0", "0", "down");
const LOST = state("0", "0", "member");
const LEGACY = state("true", "online", "member");

describe.each(SCRIPTS)("%s", (source) => {
  const nine = source.endsWith(".9.sh");

  test("the adapted copy adds the two conversions after the node_state loop and nothing else; bash parses it", () => {
    const { target, stderr } = adapt(source, nine);
    expect(stderr).toBe("");
    const diff = run("diff", [source, target]);
    const added = diff.stdout.split("\n").filter((l) => l.startsWith("> "));
    expect(added).toHaveLength(3);
    expect(diff.stdout).not.toMatch(/^< /m);
    expect(added[1]).toContain("case $in_ccm in 0) in_ccm=false");
    expect(run("bash", ["-n", target]).status).toBe(0);
    expect(fs.statSync(target).mode & 0o777).toBe(0o755);
  });

  test("the installed script takes a live member for one being fenced; the adapted copy reads it as online", () => {
    expect(guess(source, MEMBER)).toBe("will_fence=true in_ccm=1765112345 crmd=1765112345");
    expect(guess(adapt(source, nine).target, MEMBER)).toBe("will_fence=false in_ccm=true crmd=online");
  });

  test("the adapted copy reads a fenced peer as cleanly down, a lost one as still to be fenced, and the old words as before", () => {
    const { target } = adapt(source, nine);
    expect(guess(target, FENCED)).toBe("will_fence=false in_ccm=false crmd=offline");
    expect(guess(target, LOST)).toBe("will_fence=true in_ccm=false crmd=offline");
    expect(guess(target, LEGACY)).toBe(guess(source, LEGACY));
    expect(guess(source, LEGACY)).toBe("will_fence=false in_ccm=true crmd=online");
  });

  test("the command line in drbd.conf sets both of the script's timeouts beyond any failover, and the script takes them", () => {
    const { target } = adapt(source, nine);
    const args = fencePeerHandlerCommand(nine).slice(fencePeerHandlerPath(nine).length);
    // Traced up to its check of DRBD_RESOURCE, which drbdadm sets and this run does not.
    const r = run("bash", ["-c", `env -u DRBD_RESOURCE bash -x ${target}${args}`]);
    expect(r.stderr).toContain("Environment variable $DRBD_RESOURCE not found");
    const seconds = (name: string) => Number(r.stderr.match(new RegExp(`== ${name} +== (\\d+)`))?.[1]);
    for (const name of ["timeout", "dc_timeout"]) expect(seconds(name)).toBeGreaterThan(10 * 365 * 24 * 3600);
  });
});

test("a script that already reads timestamps (drbd-utils 9.28 and later) is used as it is", () => {
  const dir = tempDir({ "crm-fence-peer.sh": "#!/bin/bash\nif [[ $in_ccm =~ ^[0-9]+$ ]]; then :; fi\n" });
  const { target } = adapt(path.join(dir, "crm-fence-peer.sh"), false);
  expect(fs.readFileSync(target, "utf8")).toBe(fs.readFileSync(path.join(dir, "crm-fence-peer.sh"), "utf8"));
});

test("a script whose node_state loop is not found is used as it is, with a warning", () => {
  const dir = tempDir({ "crm-fence-peer.sh": "#!/bin/bash\necho some other handler\n" });
  const { target, stderr } = adapt(path.join(dir, "crm-fence-peer.sh"), false);
  expect(stderr).toContain("could not adapt");
  expect(fs.readFileSync(target, "utf8")).toBe("#!/bin/bash\necho some other handler\n");
});
