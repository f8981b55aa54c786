/** Serving a Pulumi plugin's gRPC service: bind a loopback port and tell the engine which. */
import * as grpc from "@grpc/grpc-js";

/**
 * Starts `service` on 127.0.0.1 and prints the port on stdout, which is how the Pulumi
 * engine learns where a plugin it launched listens.
 */
export function servePlugin(service: grpc.ServiceDefinition, impl: grpc.UntypedServiceImplementation): void {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(service, impl);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      console.error(`could not start the plugin's gRPC server: ${err.message}`);
      process.exit(1);
    }
    process.stdout.write(`${port}\n`);
  });
}

/** The engine's address: the one positional argument after the plugin flags. */
export function engineAddressFromArgs(args: string[]): string | undefined {
  return args.filter((a) => !a.startsWith("-")).pop();
}
