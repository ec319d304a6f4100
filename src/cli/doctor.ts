import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Migrator } from 'kysely';
import type { Config } from '../config/schema.ts';
import { parseDirectory } from '../core/directory/directory-file.ts';
import { migrationProvider } from '../store/migrations/index.ts';
import { openStore } from '../store/open-store.ts';
import { countTenants } from '../store/repositories/directory.ts';
import { SQLITE_FILE } from '../store/sqlite.ts';

/** One finding of `kalends doctor`: passed, or what is wrong. */
export interface Finding {
  ok: boolean;
  check: string;
  detail: string;
}

/** Whether `host:port` can be listened on now (0: any free port, always). */
function portIsFree(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

async function checkStore(config: Config): Promise<Finding[]> {
  const where = config.databaseUrl ? `PostgreSQL ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}` : `SQLite ${path.resolve(config.data, SQLITE_FILE)}`;
  if (!config.databaseUrl && !existsSync(path.join(config.data, SQLITE_FILE))) {
    return [{ ok: true, check: 'store', detail: `${where} does not exist yet; \`kalends start\` creates and migrates it` }];
  }
  const store = await openStore(config);
  try {
    await store.ping();
    const found: Finding[] = [{ ok: true, check: 'store', detail: `${where} answers` }];
    const migrations = await new Migrator({ db: store.db, provider: migrationProvider }).getMigrations();
    const pending = migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
    found.push(pending.length === 0
      ? { ok: true, check: 'migrations', detail: `all ${migrations.length} applied` }
      : { ok: config.autoMigrate === 'on', check: 'migrations', detail: `pending: ${pending.join(', ')}${config.autoMigrate === 'on' ? ' (start applies them)' : '; run `kalends migrate`'}` });
    if (pending.length < migrations.length) found.push({ ok: true, check: 'tenants', detail: `${await countTenants(store.db)} in the store` });
    return found;
  } catch (error) {
    return [{ ok: false, check: 'store', detail: `${where}: ${(error as Error).message}` }];
  } finally {
    await store.close().catch(() => {});
  }
}

function checkDirectory(config: Config): Finding {
  if (!config.directory) return { ok: true, check: 'directory', detail: 'none given (start loads the demo tenant into an empty store)' };
  try {
    const directory = parseDirectory(JSON.parse(readFileSync(config.directory, 'utf8')) as unknown);
    const users = directory.tenants.reduce((n, t) => n + (t.users?.length ?? 0), 0);
    return { ok: true, check: 'directory', detail: `${config.directory}: ${directory.tenants.length} tenant(s), ${users} user(s)` };
  } catch (error) {
    return { ok: false, check: 'directory', detail: `${config.directory}: ${(error as Error).message}` };
  }
}

/**
 * `kalends doctor`: checks, without changing anything, that the store is reachable and migrated,
 * that the directory file (if any) loads, and that the port is free.
 * @returns every finding, in that order.
 */
export async function diagnose(config: Config): Promise<Finding[]> {
  const findings = [...await checkStore(config), checkDirectory(config)];
  const busy = config.port === 0 ? null : await portIsFree(config.host, config.port);
  findings.push(busy === null
    ? { ok: true, check: 'port', detail: `${config.host}:${config.port} is free` }
    : { ok: false, check: 'port', detail: `${config.host}:${config.port} cannot be listened on (${busy})` });
  return findings;
}

/** Prints the findings one a line (`ok   store: …` / `FAIL port: …`); @returns whether all passed. */
export function report(findings: readonly Finding[], write: (line: string) => void): boolean {
  for (const f of findings) write(`${f.ok ? 'ok  ' : 'FAIL'} ${f.check}: ${f.detail}\n`);
  return findings.every((f) => f.ok);
}
