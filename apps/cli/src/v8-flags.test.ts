import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROXY_V8_FLAG, reexecArgs } from './v8-flags.ts';

const argv = (...args: string[]) => ['/usr/bin/node', '/app/smart-mining.mjs', ...args];

describe('the proxy runs with a capped young generation', () => {
  it('starts `proxy` again with the flag, keeping node arguments and the command line', () => {
    assert.deepEqual(reexecArgs(argv('proxy', '--api', 'http://a'), ['--enable-source-maps'], {}), [
      '--enable-source-maps',
      PROXY_V8_FLAG,
      '/app/smart-mining.mjs',
      'proxy',
      '--api',
      'http://a',
    ]);
  });

  it('leaves other commands, a flag already given, and SM_PROXY_V8_FLAGS=off alone', () => {
    assert.equal(reexecArgs(argv('start'), [], {}), null);
    assert.equal(reexecArgs(argv('--help'), [], {}), null);
    assert.equal(reexecArgs(argv('proxy'), ['--max-semi-space-size=2'], {}), null);
    assert.equal(reexecArgs(argv('proxy'), [], { NODE_OPTIONS: '--max-semi-space-size=1' }), null);
    assert.equal(reexecArgs(argv('proxy'), [], { SM_PROXY_V8_FLAGS: 'off' }), null);
  });
});
