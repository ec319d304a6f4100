// App secrets as stored (src/core/auth/secrets.ts): new hashes carry their scrypt parameters;
// a hash made before they did (`scrypt$salt$hash`, N = 2^14) still verifies, and loading the
// directory again stores the secret anew with today's parameters.
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyApp } from '../../src/core/auth/access-tokens.ts';
import { hashSecret, needsRehash, verifySecret } from '../../src/core/auth/secrets.ts';
import { parseDirectory } from '../../src/core/directory/directory-file.ts';
import { loadDirectory } from '../../src/core/directory/load-directory.ts';
import { findApp } from '../../src/store/repositories/directory.ts';
import type { Store } from '../../src/store/store.ts';
import { openTempStore, type TempStore } from '../helpers/sqlite-store.ts';

/** A hash as Kalends stored them before the parameters were written into it. */
function firstFormatHash(secret: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(secret, salt, 32).toString('hex')}`;
}

describe('app secret hashes', () => {
  let temp: TempStore;
  let store: Store;
  const directory = parseDirectory({ tenants: [{ id: 't', name: 'T', apps: [{ platform: 'dingtalk', appKey: 'ding_hash', appSecret: 'the-secret' }] }] });
  before(async () => {
    temp = await openTempStore('kalends-secrets-');
    store = temp.store;
  });
  after(async () => temp?.cleanup());

  it('new hashes name their parameters and verify only their secret', () => {
    const stored = hashSecret('s3cret');
    assert.match(stored, /^scrypt\$ln=15,r=8,p=1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    assert.equal(needsRehash(stored), false);
    assert.equal(verifySecret('s3cret', stored), true);
    assert.equal(verifySecret('s3cret', stored), true, 'again, from memory');
    assert.equal(verifySecret('S3cret', stored), false);
    const [, , salt, hash] = stored.split('$');
    // Parameters scrypt refuses, or would spend hours or gigabytes on: no match, no throw, at once.
    for (const params of ['ln=1,r=8,p=1', 'ln=2,r=8,p=3', 'ln=20,r=8,p=524288', 'ln=99,r=8,p=1', 'ln=15,r=8']) {
      assert.equal(verifySecret('s3cret', `scrypt$${params}$${salt}$${hash}`), false, params);
    }
    assert.equal(verifySecret('s3cret', `scrypt$ln=15,r=8,p=1$${salt}$zz`), false, 'not hex');
    assert.equal(verifySecret('s3cret', `scrypt$ln=15,r=8,p=1$${salt}$`), false, 'no hash');
    assert.equal(verifySecret('s3cret', 'bcrypt$x$y'), false);
    assert.equal(needsRehash('bcrypt$x$y'), true);
  });

  it('a first-format hash verifies, and the next directory load stores it with today’s parameters', async () => {
    await loadDirectory(store, directory, Date.now());
    const app = (await findApp(store.db, 'dingtalk', 'ding_hash'))!;
    const old = firstFormatHash('the-secret');
    await store.transaction((tx) => tx.updateTable('apps').set({ secret_hash: old }).where('id', '=', app.id).execute());
    assert.equal(needsRehash(old), true);
    assert.equal((await verifyApp(store, 'dingtalk', 'ding_hash', 'the-secret')).id, app.id);
    await assert.rejects(verifyApp(store, 'dingtalk', 'ding_hash', 'not-the-secret'), { code: 'APP_CREDENTIALS_INVALID' });

    await loadDirectory(store, directory, Date.now());
    const upgraded = (await findApp(store.db, 'dingtalk', 'ding_hash'))!.secret_hash;
    assert.match(upgraded, /^scrypt\$ln=15,r=8,p=1\$/);
    assert.equal((await verifyApp(store, 'dingtalk', 'ding_hash', 'the-secret')).id, app.id);

    await loadDirectory(store, directory, Date.now());
    assert.equal((await findApp(store.db, 'dingtalk', 'ding_hash'))!.secret_hash, upgraded, 'a current hash is kept as it is');
  });
});
