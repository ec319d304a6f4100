// `kalends doctor` and `kalends start --config FILE` through the real binary: what doctor finds
// wrong (a port in use, a directory file that does not load) makes it exit 1 and say so; a config
// file's unknown keys are named; flags win over the file.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { makeTmpDir, spawnKalends, stopProc, waitForListening } from './helpers/server.ts';

async function runToEnd(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const proc = spawnKalends(args);
  const { code } = await proc.exited;
  return { code, out: proc.stdout(), err: proc.stderr() };
}

describe('kalends doctor', () => {
  it('reports a port in use and a directory file that does not load, and exits 1', async () => {
    const dir = await makeTmpDir();
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const directory = path.join(dir, 'directory.json');
    await writeFile(directory, JSON.stringify({ tenants: [{ id: 't', name: 'T', users: [{ unionId: 'u' }] }] }));
    try {
      const { code, out } = await runToEnd(['doctor', '--data', dir, '--host', '127.0.0.1', '--port', String(port), '--directory', directory]);
      assert.equal(code, 1, out);
      assert.match(out, new RegExp(`^FAIL port: 127\\.0\\.0\\.1:${port} cannot be listened on \\(EADDRINUSE\\)$`, 'm'));
      assert.match(out, /^FAIL directory: .*directory\.json: /m);
      assert.match(out, /^ok {3}store: SQLite .* does not exist yet/m);
    } finally {
      busy.close();
    }
  });
});

describe('kalends start --config', () => {
  it('names unknown keys and values of the wrong type', async () => {
    const dir = await makeTmpDir();
    const file = path.join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ port: 0, prot: 1, log_level: 'info' }));
    const unknown = await runToEnd(['start', '--config', file]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /unknown settings "prot", "log_level" \(known: host, port, /);
    await writeFile(file, JSON.stringify({ port: 'eighty' }));
    const wrong = await runToEnd(['start', '--config', file, '--data', dir]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /--port \/ KALENDS_PORT: not a TCP port: eighty/);
  });

  it('takes its settings from the file, with flags winning over it', async () => {
    const dir = await makeTmpDir();
    const file = path.join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ host: '127.0.0.1', port: 1, data: dir, adminToken: 'config-file-admin-token-0123' }));
    const proc = spawnKalends(['start', '--config', file, '--port', '0']);
    const { port } = await waitForListening(proc);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/admin/v1/clock`, { headers: { authorization: 'Bearer config-file-admin-token-0123' } });
      assert.equal(res.status, 200, 'the admin token came from the file');
    } finally {
      await stopProc(proc);
    }
  });
});
