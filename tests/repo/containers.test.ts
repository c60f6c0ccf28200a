// The container files checked against the code, since no Docker daemon runs here: compose.yaml, each role's
// Dockerfile, the database's, Prometheus' targets, the Grafana dashboard and the README's `docker run` lines.
// Every command and option must exist in the CLI, every environment variable in the configuration's mapping
// (a renamed variable fails here), every port agree with the variable that sets it, and every health check
// name a route the role really serves.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { STATUS_ROUTES, startStatusServer as startAggregatorStatus } from '@smart-mining/aggregator';
import { buildApp } from '@smart-mining/api';
import type { Db } from '@smart-mining/db';
import { testDatabases } from '@smart-mining/db/testing';
import { CONFIG_ENV_NAMES, loadConfig } from '@smart-mining/platform';
import { startStatusServer as startProxyStatus } from '@smart-mining/proxy';
import type { Command } from 'commander';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { buildProgram } from '../../apps/cli/src/program.ts';
import { listenerInputs } from '../../apps/cli/src/proxy-compose.ts';
import { startHarness } from '../../apps/proxy/test/harness.ts';
import { envOf, execForm, healthcheckOf, parseDockerfile, type Stage } from './dockerfile.ts';

const root = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

/** Variables of the images themselves, not of our configuration. */
const NODE_ENV_NAMES = ['NODE_ENV'];
const POSTGRES_IMAGE_ENV = ['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD'];
const KNOWN_ENV = new Set([...CONFIG_ENV_NAMES, ...NODE_ENV_NAMES]);

const ROLES = {
  api: { dockerfile: 'apps/api/Dockerfile', image: 'smart_mining_api', command: 'api' },
  aggregator: {
    dockerfile: 'apps/aggregator/Dockerfile',
    image: 'smart_mining_aggregator',
    command: 'aggregate',
  },
  proxy: { dockerfile: 'apps/proxy/Dockerfile', image: 'smart_mining_proxy', command: 'proxy' },
} as const;
type Role = keyof typeof ROLES;
/** The variable that sets each port a role listens on, and the port's use. */
const PORT_ENV: Record<Role, string[]> = {
  api: ['SM_API_PORT'],
  aggregator: ['SM_AGGREGATOR_STATUS_PORT'],
  proxy: ['SM_STRATUM_PORT', 'SM_PROXY_STATUS_PORT'],
};
/**
 * The ports a role listens on with these variables: the proxy's Stratum listeners as the configuration numbers
 * them (the default sha256d and scrypt listeners take SM_STRATUM_PORT and the next port), then its status port.
 */
function portsOf(role: Role, env: Record<string, string>): number[] {
  if (role !== 'proxy') return PORT_ENV[role].map((name) => Number(env[name]));
  const config = loadConfig({ env, file: null });
  return [...listenerInputs(config).map((l) => Number(l.port)), Number(env.SM_PROXY_STATUS_PORT)];
}
/** The variable of the port each role's health check must reach. */
const HEALTH_PORT_ENV: Record<Role, string> = {
  api: 'SM_API_PORT',
  aggregator: 'SM_AGGREGATOR_STATUS_PORT',
  proxy: 'SM_PROXY_STATUS_PORT',
};

const program = buildProgram();

/** Checks `args` (a command line after `smart-mining`) against the CLI: the command, then every --option. */
function assertCommandLine(args: readonly string[], where: string): void {
  const [name, ...rest] = args;
  const options = rest.filter((a) => a.startsWith('-'));
  const command = program.commands.find((c: Command) => c.name() === name);
  assert.ok(command, `${where}: no command "${name}" in smart-mining`);
  const known = command.options.flatMap((o) => [o.long, o.short].filter(Boolean));
  for (const o of options) assert.ok(known.includes(o), `${where}: "${name}" has no option ${o}`);
}

function assertEnvName(name: string, where: string): void {
  assert.ok(KNOWN_ENV.has(name), `${where}: ${name} is read by no configuration (config.ts)`);
}

const dockerfiles = Object.fromEntries(
  Object.entries(ROLES).map(([role, r]) => [role, parseDockerfile(read(r.dockerfile))]),
) as Record<Role, Stage[]>;
const stageOf = (role: Role, name: string) => dockerfiles[role].find((s) => s.name === name)!;
const lastStage = (role: Role) => dockerfiles[role].at(-1)!;
/** ENV of a role's image: the runtime stage's and its own. */
const imageEnv = (role: Role) => ({ ...envOf(stageOf(role, 'runtime')), ...envOf(lastStage(role)) });

/** What a health check command fetches: `http://127.0.0.1:<port><path>`. */
function healthTarget(command: string[]): { port: number; path: string } {
  const url = /fetch\('(http:\/\/127\.0\.0\.1:(\d+)(\/[^']*))'\)/.exec(command.join(' '));
  assert.ok(url, `the health check fetches a local URL: ${command.join(' ')}`);
  return { port: Number(url[2]), path: url[3]! };
}

describe('Dockerfiles of the roles', () => {
  it('share their build, deps and runtime stages byte for byte (one build, cached once)', () => {
    for (const stage of ['build', 'deps', 'runtime']) {
      const texts = (Object.keys(ROLES) as Role[]).map((role) => stageOf(role, stage)?.text);
      assert.ok(texts[0], `a ${stage} stage`);
      assert.deepEqual(new Set(texts).size, 1, `the ${stage} stage differs between the roles`);
    }
  });

  it('build on node:20-slim, install production dependencies only, run as a non-root user', () => {
    for (const role of Object.keys(ROLES) as Role[]) {
      const stages = dockerfiles[role];
      for (const s of stages)
        assert.ok(['node:20-slim', 'runtime'].includes(s.from), `${role}: FROM ${s.from}`);
      assert.equal(lastStage(role).from, 'runtime');
      const runs = stageOf(role, 'deps')
        .instructions.filter((i) => i.keyword === 'RUN')
        .map((i) => i.args);
      assert.ok(
        runs.some((r) => /npm ci --omit=dev/.test(r)),
        `${role}: production install`,
      );
      const users = stageOf(role, 'runtime').instructions.filter((i) => i.keyword === 'USER');
      assert.deepEqual(
        users.map((u) => u.args),
        ['node'],
      );
    }
  });

  it('link every workspace by its manifest, and carry what the bundle reads at run time', () => {
    const workspaces = ['apps', 'packages'].flatMap((group) =>
      readdirSync(`${root}${group}`)
        .filter((name) => existsSync(`${root}${group}/${name}/package.json`))
        .map((name) => `${group}/${name}/package.json`),
    );
    const deps = stageOf('api', 'deps')
      .instructions.filter((i) => i.keyword === 'COPY')
      .map((i) => i.args);
    for (const manifest of workspaces) {
      assert.ok(
        deps.some((c) => c.startsWith(`${manifest} `)),
        `the deps stage copies ${manifest} (npm links the workspace by it)`,
      );
    }
    const runtime = stageOf('api', 'runtime');
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    // The bundle with its migrations, PGlite init script and fixtures (apps/cli/build.mjs), and the dashboard
    // that DASHBOARD_DIR (compose.ts) resolves through @smart-mining/dashboard.
    assert.ok(copies.includes('--from=build /app/apps/cli/dist apps/cli/dist'));
    assert.ok(copies.includes('--from=build /app/apps/dashboard/dist apps/dashboard/dist'));
    assert.match(read('apps/cli/build.mjs'), /outfile: `\$\{dist\}bin\/smart-mining\.mjs`/);
    assert.match(read('apps/cli/src/compose.ts'), /'@smart-mining\/dashboard\/package\.json'/);
    const entrypoint = execForm(runtime.instructions.find((i) => i.keyword === 'ENTRYPOINT')!.args);
    assert.deepEqual(entrypoint, ['node', 'apps/cli/dist/bin/smart-mining.mjs']);
    // What `npm ci` builds (its prepare step) is what the ENTRYPOINT names.
    assert.ok(existsSync(`${root}apps/cli/dist/bin/smart-mining.mjs`), 'npm ci built the bundle');
    const ignore = read('.dockerignore');
    for (const pattern of ['**/node_modules', '**/dist', 'data', '.git']) {
      assert.ok(ignore.split('\n').includes(pattern), `.dockerignore leaves out ${pattern}`);
    }
  });

  it('run a command of the CLI, set only known variables, expose the ports those variables set', () => {
    for (const role of Object.keys(ROLES) as Role[]) {
      const final = lastStage(role);
      const cmd = execForm(final.instructions.find((i) => i.keyword === 'CMD')!.args);
      assert.equal(cmd[0], ROLES[role].command);
      assertCommandLine(cmd, `${ROLES[role].dockerfile} CMD`);
      const env = imageEnv(role);
      for (const name of Object.keys(env)) assertEnvName(name, ROLES[role].dockerfile);
      const exposed = final.instructions
        .filter((i) => i.keyword === 'EXPOSE')
        .flatMap((i) => i.args.split(/\s+/).map(Number));
      assert.deepEqual(
        exposed.sort(),
        portsOf(role, env).sort(),
        `${role}: EXPOSE matches the ports set by ${PORT_ENV[role].join(', ')}`,
      );
      const host = Object.entries(env).find(([k]) => k.endsWith('_HOST'));
      if (host) assert.equal(host[1], '0.0.0.0', `${role} listens on every interface in its container`);
    }
  });
});

describe('health checks reach routes the roles serve', () => {
  let db: Db;
  before(async () => {
    db = await testDatabases({})[0]!.open();
  });
  after(() => db?.close());

  const targetOf = (role: Role) => {
    const check = healthcheckOf(lastStage(role));
    assert.ok(check, `${role} has a HEALTHCHECK`);
    const target = healthTarget(check.command);
    assert.equal(
      target.port,
      Number(imageEnv(role)[HEALTH_PORT_ENV[role]]),
      `${role}: the port it listens on`,
    );
    return target;
  };

  it('API: the route exists in the API', async () => {
    const { path } = targetOf('api');
    const app = await buildApp({ db });
    try {
      await app.ready();
      assert.ok(app.hasRoute({ method: 'GET', url: path }), `GET ${path} in the API`);
    } finally {
      await app.close();
    }
  });

  it("aggregator: the route answers 200 on the aggregator's status server", async () => {
    const { path } = targetOf('aggregator');
    assert.ok((STATUS_ROUTES as readonly string[]).includes(path));
    const server = await startAggregatorStatus({
      host: '127.0.0.1',
      port: 0,
      registry: new Registry(),
      status: () => ({ role: 'standby' }),
    });
    try {
      assert.equal((await fetch(`${server.url}${path}`)).status, 200);
    } finally {
      await server.close();
    }
  });

  it("proxy: the route answers 200 on the proxy's status server", async () => {
    const { path } = targetOf('proxy');
    const h = await startHarness({ algorithm: 'sha256d', pools: [{ poolKey: 'a:BTC' }] });
    const status = await startProxyStatus(h.proxy, { port: 0 });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${status.port}${path}`)).status, 200);
    } finally {
      await status.close();
      await h.stop();
    }
  });

  it('database: pg_isready on the database and user the image creates', () => {
    const stages = parseDockerfile(read('docker/database/Dockerfile'));
    assert.equal(stages.length, 1);
    assert.match(stages[0]!.from, /^postgres:15(\.|$|-)/);
    const env = envOf(stages[0]!);
    for (const name of Object.keys(env)) assert.ok(POSTGRES_IMAGE_ENV.includes(name), name);
    const check = healthcheckOf(stages[0]!)!;
    assert.deepEqual(check.command, ['pg_isready', '-U', env.POSTGRES_USER, '-d', env.POSTGRES_DB]);
  });
});

interface ComposeService {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string | null>;
  ports?: string[];
  networks?: string[];
  profiles?: string[];
  deploy?: { replicas?: number };
  depends_on?: Record<string, unknown> | string[];
  healthcheck?: { test: string[] };
  volumes?: string[];
}

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<string, ComposeService>;
    networks: Record<string, { name?: string }>;
  };
  const services = Object.entries(compose.services);
  const ofRole = (role: Role) => services.filter(([, s]) => s.image === ROLES[role].image);
  const databaseUrl = (s: ComposeService) => new URL(String(s.environment?.DATABASE_URL));

  it('runs the database, one scalable aggregator, two APIs and two proxies on smart_mining_network', () => {
    assert.equal(compose.networks.smart_mining_network?.name, 'smart_mining_network');
    assert.equal(ofRole('aggregator').length, 1);
    assert.equal(ofRole('api').length, 2);
    assert.equal(ofRole('proxy').length, 2);
    const [, aggregator] = ofRole('aggregator')[0]!;
    assert.equal(typeof aggregator.deploy?.replicas, 'number');
    assert.equal(aggregator.ports, undefined, 'no published port: replicas would collide on it');
    for (const [name, s] of services.filter(([, s]) => !s.profiles)) {
      assert.deepEqual(s.networks, ['smart_mining_network'], name);
    }
    const database = compose.services.database!;
    assert.equal(database.image, 'smart_mining_database');
    assert.equal(database.build, 'docker/database');
  });

  it("builds each role from its Dockerfile and runs CLI commands with the CLI's options", () => {
    for (const role of Object.keys(ROLES) as Role[]) {
      for (const [name, s] of ofRole(role)) {
        assert.deepEqual(s.build, { context: '.', dockerfile: ROLES[role].dockerfile }, name);
        assert.ok(s.command, `${name} has a command`);
        assert.equal(s.command[0], ROLES[role].command);
        assertCommandLine(s.command, `compose ${name}`);
      }
    }
  });

  it('sets only variables the configuration reads, and ports as those variables say', () => {
    for (const role of Object.keys(ROLES) as Role[]) {
      for (const [name, s] of ofRole(role)) {
        const env = { ...imageEnv(role), ...(s.environment ?? {}) } as Record<string, string>;
        for (const v of Object.keys(s.environment ?? {})) assertEnvName(v, `compose ${name}`);
        for (const port of s.ports ?? []) {
          const inside = Number(port.split(':').at(-1));
          assert.ok(
            portsOf(role, env).includes(inside),
            `${name}: ${port} publishes a port it does not listen on (${PORT_ENV[role].join(', ')})`,
          );
        }
      }
    }
    for (const v of Object.keys(compose.services.database!.environment ?? {})) {
      assert.ok(POSTGRES_IMAGE_ENV.includes(v), `database: ${v}`);
    }
  });

  it('points every role at the database the image creates, and each proxy at both APIs', () => {
    const dbEnv = envOf(parseDockerfile(read('docker/database/Dockerfile'))[0]!);
    for (const role of ['api', 'aggregator'] as const) {
      for (const [name, s] of ofRole(role)) {
        const url = databaseUrl(s);
        assert.equal(url.hostname, 'database', name);
        assert.equal(url.pathname, `/${dbEnv.POSTGRES_DB}`, name);
        assert.equal(url.username, dbEnv.POSTGRES_USER, name);
      }
    }
    const apiUrls = ofRole('api').map(([name, s]) => `http://${name}:${s.environment?.SM_API_PORT}`);
    for (const [name, s] of ofRole('proxy')) {
      assert.deepEqual(s.command!.slice(s.command!.indexOf('--api') + 1), apiUrls, `${name} --api`);
      assert.equal(s.environment?.SM_PROXY_API_URLS, apiUrls.join(','), `${name} SM_PROXY_API_URLS`);
    }
  });

  it('monitoring (profile): Prometheus scrapes each role where its metrics are; the dashboard charts real metrics', () => {
    const monitoring = services.filter(([, s]) => s.profiles?.includes('monitoring')).map(([n]) => n);
    assert.deepEqual(monitoring.sort(), ['grafana', 'prometheus']);
    const prometheus = parse(read('docker/monitoring/prometheus.yml')) as {
      scrape_configs: {
        job_name: string;
        metrics_path: string;
        static_configs?: { targets: string[] }[];
        dns_sd_configs?: { names: string[]; port: number }[];
      }[];
    };
    const targets = prometheus.scrape_configs.flatMap((job) => [
      ...(job.static_configs ?? []).flatMap((c) => c.targets),
      ...(job.dns_sd_configs ?? []).flatMap((c) => c.names.map((n) => `${n}:${c.port}`)),
    ]);
    const expected = [
      ...ofRole('api').map(([n, s]) => `${n}:${s.environment?.SM_API_PORT}`),
      ...ofRole('proxy').map(([n, s]) => `${n}:${s.environment?.SM_PROXY_STATUS_PORT}`),
      ...ofRole('aggregator').map(([n, s]) => `${n}:${s.environment?.SM_AGGREGATOR_STATUS_PORT}`),
    ];
    assert.deepEqual(targets.sort(), expected.sort());
    for (const job of prometheus.scrape_configs) assert.equal(job.metrics_path, '/metrics');

    const dashboard = JSON.parse(read('docker/monitoring/grafana/dashboards/smart-mining.json')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const names = new Set(
      dashboard.panels
        .flatMap((p) => p.targets.map((t) => t.expr))
        .flatMap((e) => e.match(/\bsm_[a-z_]+/g) ?? [])
        .map((n) => n.replace(/_(bucket|count|sum)$/, '')),
    );
    const sources = [
      read('packages/platform/src/metrics.ts'),
      read('apps/api/src/metrics.ts'),
      read('apps/aggregator/src/status-server.ts'),
      ...readdirSync(`${root}apps/proxy/src`, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => read(`apps/proxy/src/${f}`)),
    ].join('\n');
    for (const name of names)
      assert.ok(sources.includes(`'${name}'`), `the dashboard charts ${name}: not a metric`);
    assert.ok(names.size >= 8);
  });
});

describe("README's docker commands", () => {
  const readme = read('README.md');
  const fleet = readme.slice(readme.indexOf('## Run as a fleet'), readme.indexOf('## Dashboard'));
  const lines = fleet.split('\n').filter((l) => l.startsWith('docker ') || l.startsWith('(cd docker'));

  it('build each image under its name, from its Dockerfile', () => {
    assert.ok(lines.some((l) => l === '(cd docker/database && docker build -t smart_mining_database .)'));
    for (const r of Object.values(ROLES)) {
      assert.ok(lines.includes(`docker build -f ${r.dockerfile} -t ${r.image} .`), r.image);
    }
  });

  it('run every image on smart_mining_network with known variables; the API on -p 3000:3000', () => {
    const runs = lines.filter((l) => l.startsWith('docker run '));
    const images = ['smart_mining_database', ...Object.values(ROLES).map((r) => r.image)];
    for (const image of images) {
      const run = runs.find((l) => l.endsWith(` ${image}`));
      assert.ok(run, `docker run … ${image}`);
      assert.match(run, / --network smart_mining_network /);
      for (const [, name] of run.matchAll(/ -e ([A-Z0-9_]+)=/g)) {
        if (image === 'smart_mining_database') assert.ok(POSTGRES_IMAGE_ENV.includes(name!), name);
        else assertEnvName(name!, `README docker run ${image}`);
      }
    }
    const api = runs.find((l) => l.endsWith(' smart_mining_api'))!;
    assert.match(api, / -p 3000:3000 /);
    assert.equal(imageEnv('api').SM_API_PORT, '3000');
  });
});
