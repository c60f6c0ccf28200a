import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogin } from './login.ts';

describe('parseLogin', () => {
  it('splits ACCOUNT.WORKER on the first dot; x or empty password means defaults', () => {
    for (const password of ['x', 'X', '', '  ']) {
      assert.deepEqual(parseLogin('acct.rig.1', password), {
        ok: true,
        login: {
          username: 'acct.rig.1',
          accountName: 'acct',
          worker: 'rig.1',
          profile: undefined,
          hardware: undefined,
          difficulty: undefined,
        },
      });
    }
  });

  it('takes a bare wallet (no worker) as the account name', () => {
    const r = parseLogin('ltc1qxyz0123456789', 'x');
    assert.ok(r.ok);
    assert.equal(r.login.accountName, 'ltc1qxyz0123456789');
    assert.equal(r.login.worker, '');
  });

  it('reads p=, hw= and d= in any order, separated by , or ;', () => {
    const r = parseLogin('acct.w', 'd=1024; hw=antminer-s19 ,p=max-profit');
    assert.ok(r.ok);
    assert.equal(r.login.profile, 'max-profit');
    assert.equal(r.login.hardware, 'antminer-s19');
    assert.equal(r.login.difficulty, 1024);
  });

  it('takes a plain password (no `=`, as pool guides give: 123, any word) as no options, beside options too', () => {
    for (const password of ['123', 'password', 'x,d=1024', '123; p=max-profit']) {
      const r = parseLogin('acct.w', password);
      assert.ok(r.ok, `${password}: ${r.ok ? '' : r.message}`);
      assert.equal(r.login.hardware, undefined);
    }
    const r = parseLogin('acct.w', 'x,d=1024');
    assert.equal(r.ok && r.login.difficulty, 1024);
  });

  it('refuses unknown options, empty values, bad difficulties and bad names with a message that says which', () => {
    const cases: [string, string, RegExp][] = [
      ['acct.w', 'p=', /"p" has no value/],
      ['acct.w', 'x,hw', /"hw" has no value/],
      ['acct.w', 'speed=9', /unknown password option "speed"/],
      ['acct.w', 'd=abc', /d="abc" is not a positive difficulty/],
      ['acct.w', 'd=0', /not a positive difficulty/],
      ['.w', 'x', /account or wallet "" is not a valid name/],
      ['acct.w w', 'x', /worker name "w w" is not valid/],
      ['acct.w', 'p=bad profile', /profile "bad profile" is not valid/],
    ];
    for (const [user, password, why] of cases) {
      const r = parseLogin(user, password);
      assert.equal(r.ok, false, `${user} ${password}`);
      if (!r.ok) assert.match(r.message, why);
    }
  });
});
