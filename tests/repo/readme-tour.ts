// The README's tour, as a test runs it: the shell blocks tagged `tour` are read in order; each line is a command,
// `#> text` lines under it say what it prints (in part), and a command ending in `&` keeps running in the
// background, the next one starting once it has printed what its `#>` lines say.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { waitFor } from '@smart-mining/testkit';

export interface TourStep {
  command: string;
  background: boolean;
  /** Texts the command's output must contain (spaces compared loosely). */
  expects: string[];
  /** Line in the README, for failure messages. */
  line: number;
}

const FENCE = /^```(\S*)(.*)$/;
const BACKGROUND = /\s&\s*(#.*)?$/;

/** The steps of every ```sh tour block, in document order. */
export function parseTour(markdown: string): TourStep[] {
  const steps: TourStep[] = [];
  let inTour = false;
  let inBlock = false;
  markdown.split('\n').forEach((text, i) => {
    const fence = FENCE.exec(text.trim());
    if (fence) {
      inTour = !inBlock && fence[1] === 'sh' && fence[2]!.split(/\s+/).includes('tour');
      inBlock = !inBlock;
      return;
    }
    if (!inTour) return;
    const line = text.trim();
    if (line.startsWith('#>')) {
      const last = steps.at(-1);
      if (!last) throw new Error(`README line ${i + 1}: a #> line before any command`);
      last.expects.push(line.slice(2).trim());
    } else if (line !== '' && !line.startsWith('#')) {
      const background = BACKGROUND.test(line);
      steps.push({
        command: background ? line.replace(BACKGROUND, '') : line,
        background,
        expects: [],
        line: i + 1,
      });
    }
  });
  return steps;
}

const loose = (text: string) => text.replace(/\s+/g, ' ');

/** The expectations of `step` that `output` does not meet yet. */
export function unmet(step: TourStep, output: string): string[] {
  return step.expects.filter((e) => !loose(output).includes(loose(e)));
}

/**
 * A fresh copy of the repository's files (tracked and new, not ignored: no data, no node_modules) whose
 * node_modules links to the installed packages, except the workspaces, which are the copy's own.
 */
export function copyRepository(repo: string, files: string[], into: string): void {
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(join(repo, file), join(into, file));
  }
  const modules = join(repo, 'node_modules');
  mkdirSync(join(into, 'node_modules', '@smart-mining'), { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry !== '@smart-mining') symlinkSync(join(modules, entry), join(into, 'node_modules', entry));
  }
  // Workspace links are relative (../../packages/db): the same link in the copy points into the copy.
  for (const name of readdirSync(join(modules, '@smart-mining'))) {
    const target = readlinkSync(join(modules, '@smart-mining', name));
    symlinkSync(target, join(into, 'node_modules', '@smart-mining', name));
  }
}

/** Runs steps in one shell session's worth of state (environment, working directory) carried from step to step. */
export class TourRunner {
  readonly #background: { child: ChildProcess; step: TourStep; output: string }[] = [];
  #env: NodeJS.ProcessEnv;
  #cwd: string;
  readonly #stateFile: string;

  constructor(cwd: string, env: NodeJS.ProcessEnv, stateFile: string) {
    this.#cwd = cwd;
    this.#env = env;
    this.#stateFile = stateFile;
  }

  /** Runs one step; rejects with the README line, the command and its output when it does not answer as said. */
  async run(step: TourStep, timeoutMs: number): Promise<string> {
    return step.background ? this.#runInBackground(step, timeoutMs) : this.#runToEnd(step, timeoutMs);
  }

  async #runToEnd(step: TourStep, timeoutMs: number): Promise<string> {
    // The shell's environment and directory after the command become the next step's.
    const script = `${step.command}\n__rc=$?; { pwd; env -0; } > '${this.#stateFile}'; exit $__rc`;
    const child = spawn('bash', ['-c', script], { cwd: this.#cwd, env: this.#env, detached: true });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    const [code] = await once(child, 'exit');
    clearTimeout(timer);
    if (code !== 0) throw failure(step, `exited with ${code}`, output);
    const missing = unmet(step, output);
    if (missing.length > 0) throw failure(step, `did not print: ${missing.join(' | ')}`, output);
    this.#loadState();
    return output;
  }

  async #runInBackground(step: TourStep, timeoutMs: number): Promise<string> {
    const child = spawn('bash', ['-c', step.command], { cwd: this.#cwd, env: this.#env, detached: true });
    const job = { child, step, output: '' };
    this.#background.push(job);
    child.stdout!.on('data', (chunk) => (job.output += chunk));
    child.stderr!.on('data', (chunk) => (job.output += chunk));
    try {
      await waitFor(
        () => unmet(step, job.output).length === 0 || child.exitCode !== null,
        'output',
        timeoutMs,
      );
    } catch {
      throw failure(step, `did not print in time: ${unmet(step, job.output).join(' | ')}`, job.output);
    }
    if (unmet(step, job.output).length > 0) throw failure(step, `exited with ${child.exitCode}`, job.output);
    return job.output;
  }

  #loadState(): void {
    const [cwd, ...vars] = readFileSync(this.#stateFile, 'utf8').split('\0');
    const [dir, first] = cwd!.split('\n') as [string, string];
    this.#cwd = dir;
    this.#env = Object.fromEntries(
      [first, ...vars]
        .filter((v) => v.includes('='))
        .map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]),
    );
  }

  /** Stops the background commands (their whole process groups) and waits until they have exited. */
  async stop(): Promise<string[]> {
    const outputs: string[] = [];
    for (const job of this.#background.reverse()) {
      if (job.child.exitCode === null && job.child.signalCode === null) {
        const exited = once(job.child, 'exit');
        killGroup(job.child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(job.child, 'SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      outputs.push(job.output);
    }
    return outputs;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

function failure(step: TourStep, what: string, output: string): Error {
  return new Error(
    `README line ${step.line}: \`${step.command}\` ${what}\n--- its output ---\n${output.slice(-4000)}`,
  );
}
