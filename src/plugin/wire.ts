/**
 * The engine's value shapes and ours: protobuf Structs in and out, the secret
 * wrapper, and the gRPC error that carries a partial failure. Nothing here
 * knows about flow logs.
 */
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import * as provproto from '@pulumi/pulumi/proto/provider_pb';
import * as statusproto from '@pulumi/pulumi/proto/status_pb';

/** The engine's marker of a secret value: `{ [SIG]: SECRET_SIG, value }`. */
const SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export type Props = Record<string, unknown>;

/** A secret as the engine writes it: stored encrypted, shown as `[secret]`. */
export const secret = (value: unknown): Props => ({ [SIG]: SECRET_SIG, value });

/** Secrets unwrapped to their values, everywhere in `v`: the core never sees the engine's markers. */
export function reveal(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reveal);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Props;
  if (o[SIG] === SECRET_SIG) return reveal(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, reveal(x)]));
}

/** A Struct's properties, secrets unwrapped; an absent Struct is `{}`. */
export function fromStruct(s: Struct | undefined): Props {
  return (reveal(s?.toJavaScript() ?? {}) as Props) ?? {};
}

/** Properties as a Struct; undefined values are dropped, as the engine drops them on the wire. */
export function toStruct(props: object): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Parameters<typeof Struct.fromJavaScript>[0]);
}

export type GrpcError = Partial<grpc.StatusObject> & { code: grpc.status; details: string; metadata?: grpc.Metadata };

interface PartialFailure {
  id: string;
  properties: Props;
  reasons: string[];
}

const isPartial = (err: unknown): err is Error & PartialFailure => {
  const e = err as Partial<PartialFailure> | null;
  return typeof e === 'object' && e !== null && typeof e.id === 'string' && e.id !== '' && typeof e.properties === 'object';
};

/**
 * The error the engine reads: a failure whose flow log exists carries an
 * ErrorResourceInitFailed detail (id, properties, reasons, inputs), so the
 * engine records the flow log instead of orphaning it, as Pulumi's
 * dynamic-provider host does.
 */
export function grpcError(err: unknown, inputs?: Props): GrpcError {
  const message = err instanceof Error ? err.message : String(err);
  const metadata = new grpc.Metadata();
  if (isPartial(err)) {
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(err.id);
    detail.setProperties(toStruct(err.properties));
    detail.setReasonsList(err.reasons.length > 0 ? err.reasons : [message]);
    if (inputs) detail.setInputs(toStruct(inputs));
    const any = new Any();
    any.pack(detail.serializeBinary(), 'pulumirpc.ErrorResourceInitFailed');
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, metadata };
}
