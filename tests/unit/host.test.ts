import { LvmVolume } from "../../components";
import { host, installMocks } from "./harness";

const noKey = () => ({ ...host("xenamo4", 4), privateKey: undefined, agentSocketPath: undefined });
const args = () => ({ host: noKey(), physicalVolumes: ["/dev/sdb"], size: "1G" });
const savedAgent = process.env.SSH_AUTH_SOCK;

beforeEach(() => delete process.env.SSH_AUTH_SOCK);
afterAll(() => (process.env.SSH_AUTH_SOCK = savedAgent));

test("an update without SSH credentials fails before any host is touched", () => {
  installMocks(false);
  expect(() => new LvmVolume("v", args())).toThrow(
    /host\.privateKey is "missing"; expected an SSH private key/,
  );
});

test("a preview without SSH credentials goes on (it never connects)", () => {
  installMocks(true);
  expect(() => new LvmVolume("v", args())).not.toThrow();
});

test("the SSH agent stands in for a key", () => {
  installMocks(false);
  process.env.SSH_AUTH_SOCK = "/run/agent.sock";
  expect(() => new LvmVolume("v", args())).not.toThrow();
});
