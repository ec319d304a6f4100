import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { readConfigFile } from './config/config-file.ts';
import { diagnose, report } from './cli/doctor.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import { SETTINGS, type SettingName } from './config/schema.ts';
import { start } from './cli/start.ts';
import { dispatch } from './cli/dispatch.ts';
import { migrateToLatest } from './store/migrate.ts';
import { openStore } from './store/open-store.ts';
import { backupSqlite } from './store/sqlite.ts';

/** Adds every setting of the config schema as a flag (no defaults here: env and defaults come in loadConfig). */
function withSettings(command: Command, names: readonly SettingName[]): Command {
  for (const name of names) {
    const s = SETTINGS[name];
    command.option(s.flag, `${s.description} (env ${s.env}, default ${String(s.default ?? 'none')})`);
  }
  return command;
}

/** This package's version (package.json, one directory above both src/ and dist/). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The configuration of a command: its flags, the environment, and the `--config` file if given. */
function configOf(flags: Record<string, string>) {
  return loadConfig(flags, process.env, flags.config ? readConfigFile(flags.config) : {});
}

/**
 * The `kalends` command line: `start`, `doctor`, `migrate`, `dispatch` and `backup`, and `--version`.
 * @param argv process.argv. Exits non-zero with a one-line message on a configuration or startup error.
 */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('kalends').description('Calendar server speaking the DingTalk Calendar v1.0 and Feishu Calendar v4 APIs')
    .version(packageVersion(), '-V, --version');
  const configFlag = '--config <file>';
  const configHelp = 'JSON file of settings by name ({"port": 8080, "logLevel": "info"}); flags and KALENDS_* win over it';
  withSettings(program.command('start').description('start the server'), Object.keys(SETTINGS) as SettingName[])
    .option(configFlag, configHelp)
    .action(async (flags: Record<string, string>) => start(configOf(flags)));
  withSettings(program.command('doctor').description('check the store, migrations, directory file and port, changing nothing'), Object.keys(SETTINGS) as SettingName[])
    .option(configFlag, configHelp)
    .action(async (flags: Record<string, string>) => {
      if (!report(await diagnose(configOf(flags)), (line) => process.stdout.write(line))) process.exitCode = 1;
    });
  withSettings(program.command('migrate').description('apply pending database migrations and exit'), ['data', 'databaseUrl', 'poolSize'])
    .action(async (flags: Record<string, string>) => {
      const store = await openStore(loadConfig(flags, process.env));
      try {
        const applied = await migrateToLatest(store);
        process.stdout.write(applied.length ? `Applied ${applied.join(', ')}\n` : 'Nothing to migrate\n');
      } finally {
        await store.close();
      }
    });
  withSettings(program.command('dispatch').description('deliver the outbox (inboxes, event callbacks) without serving the API'),
    ['data', 'databaseUrl', 'poolSize', 'deliveryAttempts', 'deliveryBackoff', 'deliveryTimeout'])
    .action(async (flags: Record<string, string>) => dispatch(loadConfig(flags, process.env)));
  withSettings(program.command('backup').description('write a consistent copy of the SQLite store, while the server runs'), ['data', 'databaseUrl'])
    .requiredOption('--out <file>', 'where to write the copy (an SQLite file)')
    .action(async (flags: Record<string, string>) => {
      const config = loadConfig(flags, process.env);
      if (config.databaseUrl) throw new ConfigError('backup copies the SQLite store; back up PostgreSQL with pg_dump');
      await backupSqlite(config.data, flags.out!);
      process.stdout.write(`Backed up ${config.data} to ${flags.out}\n`);
    });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const known = error instanceof ConfigError || (error as Error).name === 'DirectoryFormatError' || error instanceof SyntaxError;
    process.stderr.write(`kalends: ${known ? (error as Error).message : (error as Error).stack}\n`);
    process.exit(1);
  }
}
