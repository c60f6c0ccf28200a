// Tests for the command line's own surface: --version, option checks that speak in option names, failures printed once.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError } from '@smart-mining/platform';
import type { Command } from 'commander';
import { buildProgram, formatFailure } from './program.ts';

/** Parses argv without exiting; returns what commander printed and the error it stopped with. */
async function parse(args: string[]): Promise<{ out: string; err: string; code?: string }> {
  const printed = { out: '', err: '' };
  const program = buildProgram();
  const quiet = (c: Command) =>
    c
      .exitOverride()
      .configureOutput({ writeOut: (s) => (printed.out += s), writeErr: (s) => (printed.err += s) });
  quiet(program);
  program.commands.forEach(quiet);
  try {
    await program.parseAsync(['node', 'smart-mining', ...args]);
    return printed;
  } catch (error) {
    return { ...printed, code: (error as { code?: string }).code };
  }
}

describe('smart-mining command line', () => {
  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const result = await parse([flag]);
      assert.equal(result.out, `${version}\n`);
      assert.equal(result.code, 'commander.version');
    }
  });

  it('refuses a port that is not a number, naming the option', async () => {
    for (const port of ['abc', '-1', '70000', '80.5']) {
      const result = await parse(['replay', '--port', port]);
      assert.equal(result.code, 'commander.invalidArgument', port);
      assert.match(
        result.err,
        new RegExp(
          `option '-p, --port <port>' argument '${port}' is invalid\\. must be a whole number from 0`,
        ),
      );
    }
  });

  it('proxy --api takes several URLs after one flag, repeated, or comma-separated, and refuses a non-URL', () => {
    const proxy = buildProgram().commands.find((c) => c.name() === 'proxy')!;
    proxy.parseOptions(['--api', 'http://a:3000', 'http://b:3000,https://c', '--api', 'http://d']);
    assert.deepEqual(proxy.opts().api, ['http://a:3000', 'http://b:3000', 'https://c', 'http://d']);
    const bad = buildProgram().commands.find((c) => c.name() === 'proxy')!;
    bad.exitOverride().configureOutput({ writeErr: () => {} });
    assert.throws(() => bad.parseOptions(['--api', 'api-1:3000']), /is not an http\(s\) URL/);
  });

  it('proxy --workers takes a whole number of processes from 1 to 64, and refuses anything else', () => {
    const proxy = () => buildProgram().commands.find((c) => c.name() === 'proxy')!;
    const good = proxy();
    good.parseOptions(['--workers', '2']);
    assert.equal(good.opts().workers, 2);
    const unset = proxy();
    unset.parseOptions([]);
    assert.equal(unset.opts().workers, undefined, 'the config decides when the flag is absent');
    for (const bad of ['0', '-1', '1.5', 'two', '65', '']) {
      const command = proxy()
        .exitOverride()
        .configureOutput({ writeErr: () => {} });
      assert.throws(
        () => command.parseOptions(['--workers', bad]),
        /must be a whole number of processes from 1 to 64/,
        bad,
      );
    }
  });

  it('prints a failure once, with its code, and every configuration problem on its own line', () => {
    assert.equal(
      formatFailure(new ConfigError(['SM_API_PORT="abc": is not a number', 'SM_LOG_LEVEL="loud": invalid'])),
      'smart-mining: SM_CONFIG_INVALID: 2 configuration problems:\n' +
        '  SM_API_PORT="abc": is not a number\n  SM_LOG_LEVEL="loud": invalid\n',
    );
  });
});
