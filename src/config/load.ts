import { SETTINGS, type Config, type SettingName } from './schema.ts';

/** A setting that could not be read; the message names the flag or variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Resolves the configuration: a CLI flag wins over its `KALENDS_*` environment variable, which
 * wins over the default.
 * @param flags values given on the command line, by setting name (undefined when absent).
 * @param env the process environment.
 * @throws ConfigError naming the flag and variable of the first value that does not parse.
 */
export function loadConfig(flags: Partial<Record<SettingName, string | undefined>>, env: NodeJS.ProcessEnv): Config {
  const config: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as Array<[SettingName, (typeof SETTINGS)[SettingName]]>) {
    const raw = flags[name] ?? env[setting.env];
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
