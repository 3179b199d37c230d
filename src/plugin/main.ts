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
import { TIMING_ENV, withStartupTiming } from './timing';

/** The engine's messages can be large (a schema, a stack's worth of properties). */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/** `timingFile`: where to append this process's start-up times (timing.ts); the plugin reads it from CEN_FLOWLOG_PLUGIN_TIMING. */
export async function serve(
  deps: Parameters<typeof providerService>[0] = {},
  { timingFile }: { timingFile?: string } = {},
): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
  const timed = withStartupTiming(providerService(deps), timingFile);
  server.addService(ResourceProviderService, timed.service);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  timed.listening();
  return { port, server };
}

/** Serves until the engine ends the process; prints the port (the handshake), nothing else, on stdout. */
export function main(): void {
  // Progress and errors go to stderr: stdout carries only the port, which the engine reads.
  serve({}, { timingFile: process.env[TIMING_ENV] || undefined }).then(
    ({ port }) => process.stdout.write(`${port}\n`),
    (err: unknown) => {
      process.stderr.write(`pulumi-resource-cen-flowlog: cannot serve: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
