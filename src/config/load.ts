import { SETTINGS, type Config, type SettingName } from './schema.ts';

/** A setting that could not be read; the message names the flag or variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Resolves the configuration: a CLI flag wins over its `KALENDS_*` environment variable, which
 * wins over the config file (`--config`), which wins over the default.
 * @param flags values given on the command line, by setting name (undefined when absent).
 * @param env the process environment.
 * @param file values of the config file, by setting name (config-file.ts).
 * @throws ConfigError naming the flag and variable of the first value that does not parse.
 */
export function loadConfig(
  flags: Partial<Record<SettingName, string | undefined>>, env: NodeJS.ProcessEnv, file: Partial<Record<SettingName, string>> = {},
): Config {
  const config: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as Array<[SettingName, (typeof SETTINGS)[SettingName]]>) {
    const fromEnv = env[setting.env];
    const raw = flags[name] ?? (fromEnv === undefined || fromEnv === '' ? file[name] : fromEnv);
    if (raw === undefined || raw === '') {
      config[name] = setting.default;
      continue;
    }
    try {
      config[name] = setting.parse(raw);
    } catch (error) {
      throw new ConfigError(`${setting.flag.split(' ')[0]} / ${setting.env}: ${(error as Error).message}`);
    }
  }
  return config as Config;
}
