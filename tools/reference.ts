/**
 * Generates docs/reference.md, the argument reference of every component, from the TSDoc
 * on the `*Args` interfaces (and the types they use) in components/. `npm run docs`
 * writes it; a unit test fails when the committed file is out of step with the code.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { clusterDefaults } from "../components/cluster/defaults";
import { drbdDefaults } from "../components/drbd/defaults";
import { exportDefaults } from "../components/export/defaults";
import { heartbeatDefaults } from "../components/heartbeat/defaults";
import { lvmDefaults } from "../components/lvm/defaults";
import { ocfs2Defaults } from "../components/ocfs2/defaults";
import { hostDefaults } from "../components/remote/host";

const ROOT = path.join(__dirname, "..");
export const REFERENCE = path.join(ROOT, "docs", "reference.md");

/** The interfaces documented, in reading order, with the component they belong to. */
const SECTIONS: [string, string, string][] = [
  ["Host", "remote/host.ts", "The `host`, `hosts`, `nodes` and `peers[].host` of the components."],
  ["LvmVolumeArgs", "lvm/lvm-volume.ts", "`new LvmVolume(name, args)`"],
  ["DrbdResourceArgs", "drbd/drbd-resource.ts", "`new DrbdResource(name, args)`"],
  ["DrbdPeerArgs", "drbd/drbd-resource.ts", "One entry of `DrbdResourceArgs.peers`."],
  ["DrbdSplitBrainArgs", "drbd/drbd-resource.ts", "`DrbdResourceArgs.splitBrain`."],
  ["RhcsClusterArgs", "cluster/rhcs-cluster.ts", "`new RhcsCluster(name, args)`"],
  ["FenceDeviceArgs", "cluster/rhcs-cluster.ts", "One entry of `RhcsClusterArgs.fencing.devices`."],
  ["HeartbeatPairArgs", "heartbeat/heartbeat-pair.ts", "`new HeartbeatPair(name, args)`"],
  ["GnbdExportArgs", "export/gnbd-export.ts", "`new GnbdExport(name, args)`"],
  ["Ocfs2ClientArgs", "ocfs2/ocfs2-client.ts", "`new Ocfs2Client(name, args)`"],
  ["ExportEndpoint", "core/parts.ts", "`Ocfs2ClientArgs.export`: a GnbdExport, or these fields."],
  ["BlockDevice", "core/parts.ts", "`DrbdPeerArgs.disk` when it is not a path: an LvmVolume."],
  [
    "ReplicatedDevice",
    "core/parts.ts",
    "`GnbdExportArgs.device` and `HeartbeatPairArgs.drbdResource` when not a string: a DrbdResource.",
  ],
  ["ServedExport", "core/parts.ts", "One entry of `HeartbeatPairArgs.exports`: a GnbdExport."],
  ["ClusterMembership", "core/parts.ts", "`HeartbeatPairArgs.cluster`: an RhcsCluster."],
];

/** The defaults objects that the TSDoc links to (`{@link drbdDefaults.port}`): the reference shows their values. */
const DEFAULTS: Record<string, unknown> = {
  clusterDefaults,
  drbdDefaults,
  exportDefaults,
  heartbeatDefaults,
  hostDefaults,
  lvmDefaults,
  ocfs2Defaults,
};

/** The value a `{@link xDefaults.a.b}` names, as code. */
function defaultValue(link: string): string {
  const value = link
    .split(".")
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], DEFAULTS);
  if (value === undefined) throw new Error(`TSDoc links to ${link}, which is not a default`);
  return `\`${Array.isArray(value) ? JSON.stringify(value) : String(value)}\``;
}

function docOf(node: ts.Node, source: ts.SourceFile): string {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
    .join(" ")
    .replace(/\{@link (\w+Defaults[\w.]*)\s*\}/g, (_, link: string) => defaultValue(link));
  return text.replace(/\s+/g, " ").trim() || `(undocumented: ${source.fileName})`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderReference(): string {
  const out = [
    "# Component reference",
    "",
    "Generated from the TSDoc in `components/` by `npm run docs`; `npm test` fails when it is out of step. Every argument accepts a `pulumi.Input` unless its type says otherwise.",
    "",
  ];
  for (const [name, file, title] of SECTIONS) {
    const fileName = path.join(ROOT, "components", file);
    const source = ts.createSourceFile(
      fileName,
      fs.readFileSync(fileName, "utf8"),
      ts.ScriptTarget.ES2020,
      true,
    );
    const decl = source.statements.find(
      (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
    );
    if (!decl) throw new Error(`interface ${name} not found in components/${file}`);
    out.push(
      `## ${name}`,
      "",
      `${title} ${docOf(decl, source).startsWith("(undocumented") ? "" : docOf(decl, source)}`.trim(),
      "",
    );
    out.push("| argument | type | description |", "| --- | --- | --- |");
    for (const member of decl.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const optional = member.questionToken ? "" : " (required)";
      const type = member.type.getText(source).replace(/\s+/g, " ");
      out.push(
        `| \`${member.name.getText(source)}\`${optional} | \`${cell(type)}\` | ${cell(docOf(member, source))} |`,
      );
    }
    out.push("");
  }
  return out.join("\n");
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(REFERENCE), { recursive: true });
  fs.writeFileSync(REFERENCE, renderReference());
  console.log(`wrote ${path.relative(ROOT, REFERENCE)}`);
}
