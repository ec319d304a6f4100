// A throwaway PostgreSQL cluster from the machine's binaries, and fresh databases on it.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * The directory holding initdb and pg_ctl: pg_config's, or the newest Debian cluster's. On a
 * fresh machine without them, as root with apt, Debian's `postgresql` is installed first.
 */
function binDir(): string {
  const found = findBinDir();
  if (found) return found;
  if (process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    process.stderr.write('PostgreSQL binaries not found: installing Debian\'s postgresql for the tests\n');
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const installed = findBinDir();
    if (installed) return installed;
  }
  throw new Error('PostgreSQL binaries not found: apt-get install postgresql, or set KALENDS_TEST_DATABASE_URL to a server the tests may create databases on');
}

function findBinDir(): string | undefined {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromConfig.status === 0 && existsSync(path.join(fromConfig.stdout.trim(), 'initdb'))) return fromConfig.stdout.trim();
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(path.join(root, v, 'bin', 'initdb'))) return path.join(root, v, 'bin');
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Cluster {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  stop(): void;
}

/**
 * initdb + pg_ctl into a temp dir, listening on a free port of 127.0.0.1 only. PostgreSQL
 * refuses to run as root, so as root the cluster runs as the `postgres` user.
 */
export async function startCluster(): Promise<Cluster> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kalends-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = path.join(bin, cmd);
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe' });
    else execFileSync(full, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const { uid, gid } = userIds('postgres');
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'kalends', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c full_page_writes=off`, 'start']);
  return {
    url: `postgres://kalends@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const out = execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim();
  const gid = execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim();
  return { uid: Number(out), gid: Number(gid) };
}

/** Creates an empty database on the server of `adminUrl`; @returns its URL. */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `kalends_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The PostgreSQL server the tests use (set by test/run.ts, or by the developer). */
export function testDatabaseUrl(): string {
  const url = process.env.KALENDS_TEST_DATABASE_URL;
  if (!url) throw new Error('KALENDS_TEST_DATABASE_URL is not set: run the tests with `npm test`, which starts PostgreSQL');
  return url;
}
