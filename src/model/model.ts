/**
 * The field model: one plain input type and one output type. `CenFlowlogArgs`
 * (in resource.ts) is derived from `FlowlogInputs`, and the replace-on-change
 * set lives here, so no second hand-kept list of fields exists anywhere.
 */
import { isSystemTagKey } from './facts';

/** Our own timeouts: Pulumi's `customTimeouts` never reach a dynamic provider. */
export interface FlowlogTimeouts {
  /** How long create may take, retries and the wait for `Active` included. Go-style duration (`"90s"`, `"10m"`, `"1h"`). @default "10m" */
  create?: string;
  /** How long an update may take, waits included. @default "10m" */
  update?: string;
  /** How long delete may take, until the flow log is gone. @default "10m" */
  delete?: string;
}

export type FlowlogStatus = 'Active' | 'Inactive';

export interface FlowlogInputs {
  /**
   * Region of the flow log (the transit router's region), e.g. `cn-hangzhou`.
   * @default the provider's region: the stack config `alicloud:region` (the plugin: its `region` setting), then `ALICLOUD_REGION`, then `ALIBABA_CLOUD_REGION_ID`.
   * Replaces on change.
   */
  regionId: string;
  /** ID of the CEN instance (`cen-…`). Required. Replaces on change. */
  cenId: string;
  /** ID of the Enterprise Edition transit router (`tr-…`). Required. Replaces on change. */
  transitRouterId: string;
  /**
   * ID of a VPC, VPN, VBR, ECR or inter-region connection of the transit router
   * (`tr-attach-…`). Omit it (or give `""`) for a flow log on the whole transit router.
   * Replaces on change.
   */
  transitRouterAttachmentId?: string;
  /**
   * SLS project that stores the logs: 3–63 characters of `a-z`, `0-9` and `-`,
   * starting and ending with a letter or digit; created when missing. Required. Replaces on change.
   */
  projectName: string;
  /**
   * SLS Logstore in that project: 3–63 characters of `a-z`, `0-9`, `_` and `-`,
   * starting and ending with a letter or digit; created when missing. Required. Replaces on change.
   */
  logStoreName: string;
  /** Name: empty or 1–128 characters, not starting with `http://` or `https://`. @default empty. Updates in place. */
  flowLogName?: string;
  /** Description: empty or 1–256 characters, not starting with `http://` or `https://`. @default empty. Updates in place. */
  description?: string;
  /**
   * Aggregation interval in seconds: 60 or 600. @default 600 (the service's default;
   * left unset, whatever the service holds is kept and never shows as a diff). Updates in place.
   */
  interval?: number;
  /**
   * Log fields as `${field}${field}…`, starting with `${srcaddr}${dstaddr}${bytes}`.
   * @default every field (filled in by the service; left unset, never shows as a diff). Replaces on change.
   */
  logFormatString?: string;
  /**
   * Tags: at most 20; keys 1–64 and values 0–128 characters, neither starting with
   * `aliyun` or `acs:` nor containing `http://` or `https://`. @default {} . Updates in place
   * (only the difference is tagged or untagged). System tags the platform puts on the flow log
   * (keys starting with `aliyun`, `acs:`, `http://` or `https://`) are left out of the outputs
   * and never tagged or untagged.
   */
  tags?: Record<string, string>;
  /** `"Active"` or `"Inactive"`. @default "Active". Updates in place (ActiveFlowLog / DeactiveFlowLog). */
  status?: FlowlogStatus;
  /** Timeouts for create, update and delete. Never causes an update or a replacement. */
  timeouts?: FlowlogTimeouts;
  /**
   * Take over an existing flow log instead of creating one (dynamic resources cannot be
   * `pulumi import`ed): a flow-log id (`"flowlog-…"`), or `true` to find the one on the given
   * transit router or attachment. Its replace-on-change fields must match the declared ones.
   * Only read at create; changing it later does nothing. After adoption, the flow log is fully
   * managed: destroying the resource deletes it.
   */
  adopt?: boolean | string;
}

/** Inputs after check(): defaults filled in, trusted by every later step. */
export type NormalizedInputs = FlowlogInputs & {
  tags: Record<string, string>;
  status: FlowlogStatus;
};

/** What the resource exposes and what is kept in state: every input as the service reports it. */
export interface FlowlogOutputs extends NormalizedInputs {
  /** The flow log's id (`flowlog-…`), the resource's id too. */
  flowLogId: string;
  /** The service's status of the flow log once the operation settled. */
  status: FlowlogStatus;
  /** The aggregation interval the service applies. */
  interval: number;
  /** The log format the service applies (the full default when none was given). */
  logFormatString: string;
  /** When the flow log was created (ISO-8601, UTC). */
  creationTime: string;
  /** The flow log's version as the service reports it. */
  flowLogVersion: string;
}

/** `tags` without the system tags, in the same order (own entries only). */
export const withoutSystemTags = (tags: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(tags).filter(([key]) => !isSystemTagKey(key)));

/**
 * The order in which a written declaration lists the inputs (`cen-flowlog generate`,
 * `cen-flowlog migrate`): where the flow log is, where it logs to, then what updates in place.
 */
export const DECLARATION_ORDER = [
  'regionId',
  'cenId',
  'transitRouterId',
  'transitRouterAttachmentId',
  'projectName',
  'logStoreName',
  'flowLogName',
  'description',
  'interval',
  'logFormatString',
  'status',
  'tags',
  'timeouts',
  'adopt',
] as const satisfies readonly (keyof FlowlogInputs)[];
const _declarationComplete: ListsAll<keyof FlowlogInputs, (typeof DECLARATION_ORDER)[number]> = true;

/** Changing any of these replaces the flow log: the API cannot modify them. */
export const REPLACE_FIELDS = [
  'regionId',
  'cenId',
  'transitRouterId',
  'transitRouterAttachmentId',
  'projectName',
  'logStoreName',
  'logFormatString',
] as const satisfies readonly (keyof FlowlogInputs)[];

/** Changing any of these is an update in place. */
export const UPDATE_FIELDS = [
  'flowLogName',
  'description',
  'interval',
  'status',
  'tags',
] as const satisfies readonly (keyof FlowlogInputs)[];

/** Fields that the service fills in when they are left unset: unset means "keep whatever it has". */
export const SERVICE_DEFAULTED_FIELDS = ['interval', 'logFormatString'] as const satisfies readonly (keyof FlowlogInputs)[];

/** Fields that exist only on our side and never reach the API. */
export const LOCAL_FIELDS = ['timeouts', 'adopt'] as const satisfies readonly (keyof FlowlogInputs)[];

/** Every input field: anything else given to the resource is an unknown argument. */
export const INPUT_FIELDS: readonly (keyof FlowlogInputs)[] = [...REPLACE_FIELDS, ...UPDATE_FIELDS, ...LOCAL_FIELDS];

/**
 * `true` when `Listed` names every one of `All`, else the missing names: a list declared as
 * `const _complete: ListsAll<keyof FlowlogInputs, (typeof LIST)[number]> = true` stops compiling when a field
 * is added to the model and not to the list, and the error names the field.
 */
export type ListsAll<All extends PropertyKey, Listed extends PropertyKey> = [Exclude<All, Listed>] extends [never]
  ? true
  : { missing: Exclude<All, Listed> };

/** Fields only the service sets: outputs, never arguments. */
export const COMPUTED_FIELDS = ['flowLogId', 'creationTime', 'flowLogVersion'] as const satisfies readonly Exclude<
  keyof FlowlogOutputs,
  keyof FlowlogInputs
>[];

/** Every field of {@link FlowlogOutputs}: each one is an output of the resource. */
export const OUTPUT_FIELDS = [...REPLACE_FIELDS, ...UPDATE_FIELDS, ...LOCAL_FIELDS, ...COMPUTED_FIELDS] as const;

/**
 * Compiles only while the lists above name every field of the model: a field added to
 * {@link FlowlogInputs} or {@link FlowlogOutputs} and to no list is reported here by name,
 * instead of being refused by check() or missing from the resource's outputs at run time.
 */
export type EveryFieldListed<Unlisted extends never = Exclude<keyof FlowlogOutputs, (typeof OUTPUT_FIELDS)[number]>> = Unlisted;

/** Optional text fields where `""` means unset, as the service treats an empty parameter. */
export const BLANK_MEANS_UNSET = [
  'flowLogName',
  'description',
  'transitRouterAttachmentId',
] as const satisfies readonly (keyof FlowlogInputs)[];

/**
 * Longest id (CEN, transit router, attachment, flow log) we accept: the service's ids
 * are about 25 characters; the bound keeps every valid input small enough to send.
 */
export const MAX_ID_CHARS = 128;
/** Longest region id we accept (the service's are at most about 20 characters). */
export const MAX_REGION_CHARS = 64;

export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_STATUS: FlowlogStatus = 'Active';
