/**
 * The end of a single-process bench (charts, analytics): print the table and
 * its notes, write bench-results/<name>.json with the machine it ran on, and
 * say how to reproduce the run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = fileURLToPath(new URL('../bench-results', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The commit measured, and whether src/ had changes (figures from a dirty tree are not a release's). */
export function describeSource(): { commit: string; dirty: boolean } | undefined {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit: git('rev-parse', 'HEAD').trim(), dirty: git('status', '--porcelain', '--', 'src').trim() !== '' };
  } catch {
    return undefined;
  }
}

export function publishBenchResults(name: string, report: { table: string; notes: string[]; details: Record<string, unknown> }): void {
  process.stdout.write(`\n${report.table}\n\n${report.notes.map((note) => `- ${note}`).join('\n')}\n\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const machine = { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpu: cpus()[0]?.model };
  const { result, ...details } = report.details;
  writeFileSync(
    join(RESULTS_DIR, `${name}.json`),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), ...details, machine, result, markdown: report.table, notes: report.notes }, null, 2)}\n`,
  );
  const flags = process.argv.slice(2);
  process.stdout.write(`Reproduce: node --import tsx bench/${name}.ts${flags.length ? ` ${flags.join(' ')}` : ''}  (figures in bench-results/${name}.json)\n`);
}
