/**
 * `pulumi-language-nodejs` for this repository's engine build.
 *
 * Pulumi's own Node.js language host cannot be fetched from the Go module proxy here, so
 * this one does the same job for our programs: for each Run it starts
 * `@pulumi/pulumi/cmd/run` (the SDK's own program runner, as the real host does) with the
 * same arguments and environment (config, secret keys, TypeScript options). It implements
 * the LanguageRuntime calls that `preview`, `up`, `destroy` and `stack` make.
 */
import { spawn } from "child_process";
import * as grpc from "@grpc/grpc-js";
import * as langrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import { engineAddressFromArgs, servePlugin } from "./serve";

const VERSION = "3.274.1";
/** Exit code with which the SDK says it has already shown the user what went wrong. */
const EXITED_AFTER_USER_MESSAGE = 32;

let engineAddress = engineAddressFromArgs(process.argv.slice(2)) ?? "";

function flag(name: string): string | undefined {
  const prefix = `-${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

function runtimeOption(req: langproto.RunRequest, name: string): unknown {
  const options = req.getInfo()?.getOptions()?.toJavaScript() ?? {};
  return options[name] ?? flag(name);
}

function runArguments(req: langproto.RunRequest, runPath: string): string[] {
  const args = [runPath];
  const add = (key: string, value: string | undefined) => {
    if (value) args.push(`--${key}`, value);
  };
  add("monitor", req.getMonitorAddress());
  add("engine", engineAddress);
  add("organization", req.getOrganization());
  add("project", req.getProject());
  add("root-directory", req.getInfo()?.getRootDirectory());
  add("stack", req.getStack());
  add("pwd", req.getInfo()?.getProgramDirectory() || req.getPwd());
  if (req.getDryrun()) args.push("--dry-run");
  add("parallel", String(req.getParallel()));
  args.push(req.getInfo()?.getEntryPoint() || req.getProgram() || ".");
  return [...args, ...req.getArgsList()];
}

function run(
  call: grpc.ServerUnaryCall<langproto.RunRequest, langproto.RunResponse>,
  done: grpc.sendUnaryData<langproto.RunResponse>,
) {
  const req = call.request;
  const programDirectory = req.getInfo()?.getProgramDirectory() || req.getPwd() || process.cwd();
  const response = new langproto.RunResponse();
  let runPath: string;
  try {
    runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [programDirectory] });
  } catch {
    response.setError(`@pulumi/pulumi is not installed in ${programDirectory}: run npm ci`);
    return done(null, response);
  }
  const config: Record<string, string> = {};
  req.getConfigMap().forEach((value, key) => (config[key] = value));
  const typescript = runtimeOption(req, "typescript");
  const tsconfig = runtimeOption(req, "tsconfig");
  const nodeargs = runtimeOption(req, "nodeargs");
  const child = spawn(
    process.execPath,
    [
      ...(typeof nodeargs === "string" && nodeargs !== "" ? nodeargs.split(/\s+/) : []),
      ...runArguments(req, runPath),
    ],
    {
      cwd: programDirectory,
      stdio: "inherit",
      env: {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
        PULUMI_NODEJS_TYPESCRIPT: String(
          typescript === undefined ? true : typescript === true || typescript === "true",
        ),
        ...(typeof tsconfig === "string" ? { PULUMI_NODEJS_TSCONFIG_PATH: tsconfig } : {}),
      },
    },
  );
  child.on("error", (err) => {
    response.setError(`could not run the program: ${err.message}`);
    done(null, response);
  });
  child.on("exit", (code, signal) => {
    if (code === EXITED_AFTER_USER_MESSAGE) response.setBail(true);
    else if (code !== 0)
      response.setError(
        signal ? `Program was killed by ${signal}` : `Program exited with non-zero exit code: ${code}`,
      );
    done(null, response);
  });
}

/**
 * Runs a plugin written in Node.js, such as a policy pack: the SDK's runner for its kind,
 * in the plugin's directory, with its output streamed back to the engine.
 */
function runPlugin(call: grpc.ServerWritableStream<langproto.RunPluginRequest, langproto.RunPluginResponse>) {
  const req = call.request;
  const directory = req.getInfo()?.getProgramDirectory() || req.getPwd();
  const runner =
    req.getKind() === "resource" ? "@pulumi/pulumi/cmd/run-plugin" : "@pulumi/pulumi/cmd/run-policy-pack";
  const send = (set: (r: langproto.RunPluginResponse) => void) => {
    const response = new langproto.RunPluginResponse();
    set(response);
    call.write(response);
  };
  let runPath: string;
  try {
    runPath = require.resolve(runner, { paths: [directory] });
  } catch {
    send((r) => r.setStderr(Buffer.from(`${runner} is not installed for ${directory}: run npm ci\n`)));
    send((r) => r.setExitcode(1));
    call.end();
    return;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  for (const entry of req.getEnvList()) {
    const at = entry.indexOf("=");
    env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  // run-plugin takes the plugin's directory first; run-policy-pack takes the engine's address first.
  const args =
    req.getKind() === "resource" ? [directory, ...req.getArgsList()] : [...req.getArgsList(), directory];
  const child = spawn(process.execPath, [runPath, ...args], { cwd: req.getPwd() || directory, env });
  child.stdout.on("data", (d: Buffer) => send((r) => r.setStdout(d)));
  child.stderr.on("data", (d: Buffer) => send((r) => r.setStderr(d)));
  child.on("close", (code) => {
    send((r) => r.setExitcode(code ?? 1));
    call.end();
  });
}

const impl: grpc.UntypedServiceImplementation = {
  handshake(
    call: grpc.ServerUnaryCall<langproto.LanguageHandshakeRequest, unknown>,
    done: grpc.sendUnaryData<unknown>,
  ) {
    engineAddress = call.request.getEngineAddress() || engineAddress;
    done(null, new langproto.LanguageHandshakeResponse());
  },
  getPluginInfo(_call: unknown, done: grpc.sendUnaryData<plugproto.PluginInfo>) {
    const info = new plugproto.PluginInfo();
    info.setVersion(VERSION);
    done(null, info);
  },
  // Provider plugins are found on PATH (the engine's ambient plugins); none to download.
  getRequiredPlugins(_call: unknown, done: grpc.sendUnaryData<langproto.GetRequiredPluginsResponse>) {
    done(null, new langproto.GetRequiredPluginsResponse());
  },
  getRequiredPackages(_call: unknown, done: grpc.sendUnaryData<langproto.GetRequiredPackagesResponse>) {
    done(null, new langproto.GetRequiredPackagesResponse());
  },
  getProgramDependencies(_call: unknown, done: grpc.sendUnaryData<langproto.GetProgramDependenciesResponse>) {
    done(null, new langproto.GetProgramDependenciesResponse());
  },
  runtimeOptionsPrompts(_call: unknown, done: grpc.sendUnaryData<langproto.RuntimeOptionsResponse>) {
    done(null, new langproto.RuntimeOptionsResponse());
  },
  about(_call: unknown, done: grpc.sendUnaryData<langproto.AboutResponse>) {
    const about = new langproto.AboutResponse();
    about.setExecutable(process.execPath);
    about.setVersion(process.version);
    done(null, about);
  },
  // `npm ci` is the repository's own install step; nothing to do here.
  installDependencies(call: grpc.ServerWritableStream<unknown, unknown>) {
    call.end();
  },
  run,
  runPlugin,
};

servePlugin(langrpc.LanguageRuntimeService, impl);
