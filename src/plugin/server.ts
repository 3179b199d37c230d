/**
 * The ResourceProvider gRPC service: an adapter that turns the engine's
 * requests into calls on the same FlowlogProvider the dynamic resource uses,
 * and its results into the engine's responses. No flow-log logic lives here.
 *
 *   GetSchema/GetPluginInfo → schema.ts, the package version
 *   CheckConfig/DiffConfig  → the core's settings rules (config.ts)
 *   Configure               → FlowlogProvider.configure with the provider's settings
 *   Check/Diff              → FlowlogProvider.check, diffFlowlog (+ detailedDiff)
 *   Create/Update (preview) → previewCreate/previewUpdate: every output that cannot change is known
 *   Create/Update/Delete    → FlowlogProvider with the request's timeout (customTimeouts)
 *   Read                    → FlowlogProvider.read (no recorded state: `pulumi import` by id)
 *   Invoke getFlowlogs      → FlowlogProvider.getFlowlogs
 *   Cancel                  → FlowlogProvider.cancel: waits end at once
 */
import * as grpc from '@grpc/grpc-js';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import * as provproto from '@pulumi/pulumi/proto/provider_pb';
import * as plugproto from '@pulumi/pulumi/proto/plugin_pb';
import type { IResourceProviderServer } from '@pulumi/pulumi/proto/provider_grpc_pb';
import { FlowlogProvider, type ProviderDeps } from '../core/provider';
import { diffFlowlog } from '../model/diff';
import { previewCreate, previewUpdate } from '../model/preview';
import type { FlowlogOutputs, NormalizedInputs } from '../model/model';
import { FlowlogFilterError } from '../errors';
import { buildSchema, FLOWLOG_TYPE, GET_FLOWLOGS, PACKAGE, VERSION } from './schema';
import { configFailures, configSource, recordedConfig, settingValues } from './config';
import { fromStruct, grpcError, toStruct, type Props } from './wire';

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

/** A handler from request to response; a thrown error becomes the engine's error (with a partial failure's details). */
function unary<Req, Res>(handle: (req: Req) => Promise<Res>, inputsOf?: (req: Req) => Props): Unary<Req, Res> {
  return (call, callback) => {
    handle(call.request).then(
      (res) => callback(null, res),
      (err: unknown) => {
        const e = grpcError(err, inputsOf?.(call.request));
        callback(e, null, e.metadata);
      },
    );
  };
}

const unimplemented =
  <Req, Res>(what: string): Unary<Req, Res> =>
  (_call, callback) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: `${what} is not implemented by the ${PACKAGE} provider` }, null);

function checkResponse(inputs: object, failures: { property: string; reason: string }[]): provproto.CheckResponse {
  const resp = new provproto.CheckResponse();
  resp.setInputs(toStruct(inputs));
  resp.setFailuresList(
    failures.map((f) => {
      const failure = new provproto.CheckFailure();
      failure.setProperty(f.property);
      failure.setReason(f.reason);
      return failure;
    }),
  );
  return resp;
}

function requireType(type: string): void {
  if (type !== FLOWLOG_TYPE) throw new Error(`The ${PACKAGE} provider manages ${FLOWLOG_TYPE} only, not ${type}`);
}

/** The request's `timeout` (seconds, 0 = none given) as the core's time budget. */
const timeoutOf = (seconds: number): { timeoutMs?: number } => (seconds > 0 ? { timeoutMs: seconds * 1000 } : {});

function detailedDiff(resp: provproto.DiffResponse, replaces: string[], updates: string[]): void {
  const map = resp.getDetaileddiffMap();
  const add = (field: string, kind: provproto.PropertyDiff.Kind) => {
    const d = new provproto.PropertyDiff();
    d.setKind(kind);
    d.setInputdiff(true);
    map.set(field, d);
  };
  for (const f of replaces) add(f, provproto.PropertyDiff.Kind.UPDATE_REPLACE);
  for (const f of updates) add(f, provproto.PropertyDiff.Kind.UPDATE);
  resp.setHasdetaileddiff(true);
}

export function providerService(deps: ProviderDeps = {}): IResourceProviderServer {
  const provider = new FlowlogProvider({ log: (line) => process.stderr.write(`${line}\n`), ...deps });
  const schema = JSON.stringify(buildSchema());

  return {
    handshake: unary(async () => {
      const resp = new provproto.ProviderHandshakeResponse();
      resp.setAcceptSecrets(false);
      resp.setAcceptResources(false);
      resp.setAcceptOutputs(false);
      return resp;
    }),
    getPluginInfo: unary(async () => new plugproto.PluginInfo().setVersion(VERSION)),
    getSchema: unary(async (req: provproto.GetSchemaRequest) => {
      if (req.getSubpackageName()) throw new Error(`${PACKAGE} has no sub-package ${req.getSubpackageName()}`);
      return new provproto.GetSchemaResponse().setSchema(schema);
    }),
    checkConfig: unary(async (req: provproto.CheckRequest) => {
      const news = fromStruct(req.getNews());
      return checkResponse(recordedConfig(news), configFailures(news));
    }),
    diffConfig: unary(async (req: provproto.DiffRequest) => {
      const olds = settingValues(fromStruct(req.getOlds()));
      const news = settingValues(fromStruct(req.getNews()));
      const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
        (k) => olds[k as keyof typeof olds] !== news[k as keyof typeof news],
      );
      const resp = new provproto.DiffResponse();
      // Another region or account changes where calls go, not the flow logs already made: never a replacement.
      resp.setChanges(changed.length > 0 ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
      resp.setDiffsList(changed);
      detailedDiff(resp, [], changed);
      return resp;
    }),
    configure: unary(async (req: provproto.ConfigureRequest) => {
      const variables = new Map(req.getVariablesMap().toArray());
      await provider.configure({ config: configSource(settingValues(fromStruct(req.getArgs()), variables)) });
      const resp = new provproto.ConfigureResponse();
      resp.setAcceptsecrets(false);
      resp.setSupportspreview(true);
      resp.setAcceptresources(false);
      resp.setAcceptoutputs(false);
      return resp;
    }),
    check: unary(async (req: provproto.CheckRequest) => {
      requireType(req.getType() || FLOWLOG_TYPE);
      const { inputs, failures } = await provider.check(fromStruct(req.getOlds()), fromStruct(req.getNews()));
      return checkResponse(inputs ?? {}, failures ?? []);
    }),
    diff: unary(async (req: provproto.DiffRequest) => {
      const { changes, replaces, updates, stables, deleteBeforeReplace } = diffFlowlog(
        fromStruct(req.getOlds()),
        fromStruct(req.getNews()),
      );
      const resp = new provproto.DiffResponse();
      resp.setChanges(changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
      resp.setReplacesList(replaces);
      resp.setStablesList(stables);
      resp.setDeletebeforereplace(deleteBeforeReplace);
      resp.setDiffsList([...replaces, ...updates]);
      detailedDiff(resp, replaces, updates);
      return resp;
    }),
    create: unary(
      async (req: provproto.CreateRequest) => {
        // What check() returned, as the engine hands it back.
        const inputs = fromStruct(req.getProperties()) as unknown as NormalizedInputs;
        const resp = new provproto.CreateResponse();
        if (req.getPreview()) return resp.setProperties(toStruct(previewCreate(inputs)));
        const { id, outs } = await provider.create(inputs, timeoutOf(req.getTimeout()));
        return resp.setId(id).setProperties(toStruct(outs ?? {}));
      },
      (req) => fromStruct(req.getProperties()),
    ),
    read: unary(async (req: provproto.ReadRequest) => {
      const recorded = fromStruct(req.getProperties());
      const previous = Object.keys(recorded).length > 0 ? (recorded as unknown as FlowlogOutputs) : undefined;
      const { id, props, inputs } = await provider.read(req.getId(), previous);
      const resp = new provproto.ReadResponse();
      if (!id || !props) return resp; // gone: refresh drops it
      return resp
        .setId(id)
        .setProperties(toStruct(props))
        .setInputs(toStruct(inputs ?? {}));
    }),
    update: unary(
      async (req: provproto.UpdateRequest) => {
        const olds = fromStruct(req.getOlds()) as unknown as FlowlogOutputs;
        const news = fromStruct(req.getNews()) as unknown as NormalizedInputs;
        const resp = new provproto.UpdateResponse();
        if (req.getPreview()) return resp.setProperties(toStruct(previewUpdate(olds, news)));
        const { outs } = await provider.update(req.getId(), olds, news, timeoutOf(req.getTimeout()));
        return resp.setProperties(toStruct(outs ?? {}));
      },
      (req) => fromStruct(req.getNews()),
    ),
    delete: unary(async (req: provproto.DeleteRequest) => {
      await provider.delete(req.getId(), fromStruct(req.getProperties()) as unknown as FlowlogOutputs, timeoutOf(req.getTimeout()));
      return new Empty();
    }),
    invoke: unary(async (req: provproto.InvokeRequest) => {
      if (req.getTok() !== GET_FLOWLOGS)
        throw new Error(`The ${PACKAGE} provider has no function ${req.getTok()} (it has ${GET_FLOWLOGS})`);
      const resp = new provproto.InvokeResponse();
      try {
        return resp.setReturn(toStruct(await provider.getFlowlogs(fromStruct(req.getArgs()))));
      } catch (err) {
        if (!(err instanceof FlowlogFilterError)) throw err;
        return resp.setFailuresList(checkResponse({}, err.failures).getFailuresList());
      }
    }),
    cancel: unary(async () => {
      provider.cancel();
      return new Empty();
    }),
    attach: unary(async () => new Empty()),
    parameterize: unary(async (req: provproto.ParameterizeRequest) => {
      throw new Error(`The ${PACKAGE} provider takes no parameters (asked for ${req.getValue()?.getName() ?? 'arguments'})`);
    }),
    getMapping: unary(async () => new provproto.GetMappingResponse().setProvider('').setData('')),
    getMappings: unary(async () => new provproto.GetMappingsResponse().setProvidersList([])),
    call: unimplemented('Call'),
    construct: unimplemented('Construct'),
    list: (call) => call.destroy(new Error(`List is not implemented by the ${PACKAGE} provider`)),
  };
}
