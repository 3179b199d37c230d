#!/usr/bin/env node
/**
 * `pulumi-resource-cen-flowlog`: the provider plugin the Pulumi engine starts.
 * It serves the ResourceProvider service on a loopback port and prints the
 * port on stdout (the engine's handshake); the engine's address is the first
 * argument. `pulumi package get-schema` starts it the same way.
 */
import * as grpc from '@grpc/grpc-js';
import { ResourceProviderService } from '@pulumi/pulumi/proto/provider_grpc_pb';
import { providerService } from './server';

/** The engine's messages can be large (a schema, a stack's worth of properties). */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export async function serve(deps: Parameters<typeof providerService>[0] = {}): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
  server.addService(ResourceProviderService, providerService(deps));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { port, server };
}

/** Serves until the engine ends the process; prints the port (the handshake), nothing else, on stdout. */
export function main(): void {
  // Progress and errors go to stderr: stdout carries only the port, which the engine reads.
  serve().then(
    ({ port }) => process.stdout.write(`${port}\n`),
    (err: unknown) => {
      process.stderr.write(`pulumi-resource-cen-flowlog: cannot serve: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
