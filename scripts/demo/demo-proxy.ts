// The demo's proxy piece: the Stratum proxy (scrypt and sha256d listeners) following the demo's API over HTTP
// with its own token, and a few dozen simulated miners of different hardware and profiles mining through it.

import { loadConfig, setPath } from '@smart-mining/platform';
import { type MinerProfileName, SimMiner } from '@smart-mining/testkit';
import { startProxyService } from '../../apps/cli/src/proxy-compose.ts';
import { DEMO_PROFILE, type DemoPool, type ProxyPiece } from './demo.ts';

/** Accounts, each with a wallet per coin the demo's pools pay. */
const ACCOUNTS = ['alice', 'bob', 'carol'] as const;

interface MinerPlan {
  algorithm: 'sha256d' | 'scrypt';
  profile: MinerProfileName;
  /** The profile the miner asks for in its password. */
  asks: string;
  /** Names a device of the market's hardware (`hw=`): the nth of its algorithm, or none. */
  device: number | null;
}

/** What connects: scrypt and sha256d rigs of several kinds, on three profiles (most on the demo's quick one),
 * with and without a device. */
const PLANS: MinerPlan[] = [
  { algorithm: 'scrypt', profile: 'cgminer', asks: DEMO_PROFILE, device: 0 },
  { algorithm: 'scrypt', profile: 'cpuminer', asks: 'max-usd-hashrate', device: null },
  { algorithm: 'scrypt', profile: 'cpuminer-opt', asks: DEMO_PROFILE, device: 1 },
  { algorithm: 'sha256d', profile: 'antminer', asks: DEMO_PROFILE, device: 0 },
  { algorithm: 'sha256d', profile: 'bitaxe', asks: 'max-profit', device: 1 },
  { algorithm: 'sha256d', profile: 'cgminer', asks: DEMO_PROFILE, device: null },
];

/** The market's devices per algorithm, as the API lists them (a miner's `hw=` must name one). */
async function devices(apiUrl: string): Promise<Map<string, string[]>> {
  const res = await fetch(`${apiUrl}/v1/hardware`);
  const body = (await res.json()) as { hardware: { hardware: string; mining: { algorithm: string }[] }[] };
  const byAlgorithm = new Map<string, string[]>();
  for (const h of body.hardware)
    for (const m of h.mining)
      byAlgorithm.set(m.algorithm, [...(byAlgorithm.get(m.algorithm) ?? []), h.hardware]);
  return byAlgorithm;
}

/** Records (shares, jobs, …) a simulated miner keeps: a long demo stays within its memory. */
const KEPT_RECORDS = 100;

export function simulatedFleet(options: { miners: number; reportIntervalS: number }): ProxyPiece {
  return {
    async start(ctx) {
      const firstOf = (algorithm: string) => ctx.pools.find((p: DemoPool) => p.algorithm === algorithm)!.key;
      const config = loadConfig({
        file: null,
        env: { SM_LOG_LEVEL: 'warn' },
        overrides: (raw) => {
          // The same declared pools as the market's: the proxy dials them and falls back on them.
          setPath(
            raw,
            ['pools'],
            ctx.pools.map((p) => ({
              key: p.key,
              coin: p.coin,
              algorithm: p.algorithm,
              feeFraction: p.feeFraction,
              urls: [p.url],
            })),
          );
          setPath(raw, ['proxy'], {
            id: 'demo',
            stratumPort: ctx.stratumPort,
            listeners: [
              { algorithm: 'scrypt', host: '127.0.0.1', fallbackPool: firstOf('scrypt') },
              { algorithm: 'sha256d', host: '127.0.0.1', fallbackPool: firstOf('sha256d') },
            ],
            accounts: Object.fromEntries(
              ACCOUNTS.map((a) => [a, { LTC: `${a}-ltc`, DOGE: `${a}-doge`, BTC: `${a}-btc` }]),
            ),
            statusPort: null,
            reportIntervalS: options.reportIntervalS,
            decisionIntervalS: 30,
            drainS: 0,
          });
        },
      });
      const service = await startProxyService(config, ctx.logger, {
        apiUrls: [ctx.apiUrl],
        token: ctx.proxyToken,
      });
      const portOf = (algorithm: string) =>
        service.stratum.addresses.find((a) => a.listener.startsWith(algorithm))!.port;
      const miners: SimMiner[] = [];
      try {
        const byAlgorithm = await devices(ctx.apiUrl);
        for (let i = 0; i < options.miners; i++) {
          const plan = PLANS[i % PLANS.length]!;
          const list = byAlgorithm.get(plan.algorithm) ?? [];
          const device = plan.device === null ? undefined : list[plan.device % Math.max(1, list.length)];
          miners.push(
            await SimMiner.start({
              host: '127.0.0.1',
              port: portOf(plan.algorithm),
              algorithm: plan.algorithm,
              username: `${ACCOUNTS[i % ACCOUNTS.length]}.rig${String(i + 1).padStart(2, '0')}`,
              password: device ? `p=${plan.asks},hw=${device}` : `p=${plan.asks}`,
              profile: plan.profile,
              shareIntervalMs: 2000,
              keepRecords: KEPT_RECORDS,
            }),
          );
        }
      } catch (error) {
        for (const m of miners) m.stop();
        await service.stop();
        throw error;
      }
      return {
        stratumUrls: (['scrypt', 'sha256d'] as const).map((algorithm) => ({
          algorithm,
          url: `stratum+tcp://127.0.0.1:${portOf(algorithm)}`,
        })),
        async close() {
          for (const m of miners) m.stop();
          await service.stop();
        },
      };
    },
  };
}
