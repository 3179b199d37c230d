/**
 * The provider's configuration (an explicit provider's arguments, or the stack
 * config `cen-flowlog:*` for the default provider) as the core's settings, and
 * CheckConfig's verdict on it: each bad setting named by its key.
 */
import { readSettings, namedSettings, SETTINGS, type ConfigSource, type SettingName } from '../core/settings';
import { checkInputs, UNKNOWN } from '../model/check';
import type { FieldFailure } from '../errors';
import { PACKAGE } from './schema';
import { secret, type Props } from './wire';

const NAMES = Object.keys(SETTINGS) as SettingName[];
/** What the SDKs and the engine put beside a provider's settings (`version`, a download URL, `__internal`). */
const ENGINE_KEYS: ReadonlySet<string> = new Set(['version', 'pluginDownloadURL']);
/** The engine's name of a config variable: `cen-flowlog:config:region`. */
const VARIABLE_PREFIX = `${PACKAGE}:config:`;

const asText = (v: unknown): string | undefined =>
  v === undefined || v === null || v === UNKNOWN ? undefined : typeof v === 'string' ? v : JSON.stringify(v);

/** The settings given, by name, from a provider's arguments or the engine's config variables. */
export function settingValues(args: Props, variables?: Map<string, string>): Partial<Record<SettingName, string>> {
  const values: Partial<Record<SettingName, string>> = {};
  for (const name of NAMES) {
    const value = asText(args[name]) ?? variables?.get(`${VARIABLE_PREFIX}${name}`);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** The core's view of these settings; messages name them as `cen-flowlog:<name>`. */
export const configSource = (values: Partial<Record<SettingName, string>>): ConfigSource => namedSettings(values, `${PACKAGE}:`);

/**
 * One failure per bad setting, with the same rule and message the core applies
 * when it reads the settings (each read alone, without the environment, so the
 * failure names the key that is wrong).
 */
export function configFailures(news: Props): FieldFailure[] {
  const failures: FieldFailure[] = [];
  const unknown = Object.keys(news).filter((k) => !(NAMES as string[]).includes(k) && !ENGINE_KEYS.has(k) && !k.startsWith('__'));
  for (const key of unknown)
    failures.push({ property: key, reason: `${key} is not a ${PACKAGE} provider setting (known: ${NAMES.join(', ')})` });
  const values = settingValues(news);
  for (const name of NAMES) {
    const value = values[name];
    if (value === undefined) continue;
    if (name === 'region') {
      const bad = checkInputs({ regionId: value }).failures.find((f) => f.property === 'regionId');
      if (bad) failures.push({ property: name, reason: bad.reason.replace(/^regionId/, `${PACKAGE}:region`) });
      continue;
    }
    try {
      readSettings(configSource({ [name]: value }), {});
    } catch (err) {
      failures.push({ property: name, reason: (err as Error).message });
    }
  }
  return failures;
}

/** The checked configuration as the engine records it: credentials as secrets, so the stack stores them encrypted. */
export function recordedConfig(news: Props): Props {
  return Object.fromEntries(
    Object.entries(news).map(([k, v]) => [
      k,
      (SETTINGS as Record<string, { secret: boolean }>)[k]?.secret && v !== UNKNOWN ? secret(v) : v,
    ]),
  );
}
