// A small Dockerfile reader for the repository's checks: instructions (continuations joined, comments dropped),
// grouped into stages, with the JSON forms of CMD, ENTRYPOINT and HEALTHCHECK's CMD decoded.

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** `FROM <image> AS <name>`: the image (or an earlier stage) and the name. */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
  /** The stage's text as written, from FROM to its last instruction (comments inside included). */
  text: string;
}

export function parseDockerfile(source: string): Stage[] {
  const stages: Stage[] = [];
  let textLines: string[] = [];
  const lines = source.split('\n');
  let pending = '';
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (/^\s*FROM\s/i.test(line) && !pending) {
      const [, from, name] = /^\s*FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line)!;
      textLines = [];
      stages.push({ from: from!, name, instructions: [], text: '' });
    }
    textLines.push(raw);
    const stage = stages.at(-1);
    // Comments and blank lines after a stage's last instruction introduce the next stage: not part of it.
    if (stage && line.trim() !== '' && !/^\s*#/.test(line)) stage.text = textLines.join('\n');
    if (/^\s*#/.test(line) || (!pending && line.trim() === '')) continue;
    pending += pending ? ` ${line.trim()}` : line.trim();
    if (pending.endsWith('\\')) {
      pending = pending.slice(0, -1).trimEnd();
      continue;
    }
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(pending)!;
    pending = '';
    if (keyword!.toUpperCase() === 'FROM') continue;
    if (!stage) throw new Error(`${keyword} before any FROM`);
    stage.instructions.push({ keyword: keyword!.toUpperCase(), args: args! });
  }
  return stages;
}

/** ENV pairs of a stage (`ENV A=1 B=2`). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.keyword === 'ENV')) {
    for (const pair of i.args.match(/\S+=("[^"]*"|\S+)/g) ?? []) {
      const eq = pair.indexOf('=');
      env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^"|"$/g, '');
    }
  }
  return env;
}

/** The JSON (exec) form of CMD or ENTRYPOINT; a shell form is refused (signals would not reach Node). */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) {
    throw new Error(`not an exec form: ${args}`);
  }
  return parsed;
}

/** HEALTHCHECK's options and its CMD in exec form. */
export function healthcheckOf(stage: Stage): { options: string; command: string[] } | undefined {
  const i = stage.instructions.find((x) => x.keyword === 'HEALTHCHECK');
  if (!i) return undefined;
  const at = i.args.indexOf('CMD ');
  return { options: i.args.slice(0, at).trim(), command: execForm(i.args.slice(at + 4).trim()) };
}
