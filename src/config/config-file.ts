import { readFileSync } from 'node:fs';
import { ConfigError } from './load.ts';
import { SETTINGS, type SettingName } from './schema.ts';

/**
 * Reads `kalends start --config FILE`: a JSON object of settings by their names in the config
 * schema (`{"port": 8080, "logLevel": "info", "databaseUrl": "postgres://…"}`), each value a
 * string, number or boolean, later parsed by the setting's own parser like a flag's text.
 * @returns the raw values by setting name.
 * @throws ConfigError when the file cannot be read or is not a JSON object, naming every
 *   unknown key and any value of another type.
 */
export function readConfigFile(path: string): Partial<Record<SettingName, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--config ${path}: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`--config ${path}: must be a JSON object of settings`);
  const known = Object.keys(SETTINGS);
  const unknown = Object.keys(parsed).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new ConfigError(`--config ${path}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${known.join(', ')})`);
  }
  const values: Partial<Record<SettingName, string>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) throw new ConfigError(`--config ${path}: "${key}" must be a string, number or boolean`);
    values[key as SettingName] = String(value);
  }
  return values;
}
