import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storeOpenError } from './open-store.js';

describe('storeOpenError', () => {
  it('an addon built for another Node says so and how to rebuild it, not to check the path', () => {
    const e = Object.assign(
      new Error(
        "The module '/x/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 137.",
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const err = storeOpenError('sqlite', '/x/steward.db', e);
    assert.equal(err.code, 'STORE_UNAVAILABLE');
    assert.equal(err.details.where, '/x/steward.db');
    assert.match(err.details.hint ?? '', /npm rebuild better-sqlite3/);
    assert.match(err.details.hint ?? '', new RegExp(process.version.replace(/\./g, '\\.')));
  });

  it('a path it cannot open keeps the hint about the path', () => {
    const err = storeOpenError(
      'sqlite',
      '/nope/steward.db',
      Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' }),
    );
    assert.match(err.details.hint ?? '', /--db or STEWARD_DB/);
  });
});
