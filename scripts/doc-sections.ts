// docs/benchmarks.md is written by two commands (bench, mutation): each replaces only its own `## ` sections.

import os from 'node:os';

/** The section starting at `## heading` up to the next `## ` heading (or the end), without trailing blank lines. */
export function sectionOf(markdown: string, heading: string): string | undefined {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) return undefined;
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start + 1, next < 0 ? undefined : next).trimEnd();
}

/** `markdown` with the `## heading` section replaced by `section` (appended when absent). */
export function withSection(markdown: string, heading: string, section: string): string {
  const old = sectionOf(markdown, heading);
  if (old === undefined) return `${markdown.trimEnd()}\n\n${section.trimEnd()}\n`;
  return markdown.replace(old, section.trimEnd());
}

/** CPU, cores, memory, OS and Node: the machine a figure was measured on. */
export function machineDescription(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return (
    `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `${os.platform()} ${os.release()}, Node ${process.version}`
  );
}
