/**
 * Summarises a V8 CPU profile of the app process (written by bench/app.ts
 * with `npm run bench -- --cpu-prof <dir>`): where the busy time went by
 * origin (Pulse's src/, each npm package, Node internals, GC), the
 * functions with the most self time, and Pulse's own functions by self and
 * total time. Also runnable on its own:
 * `node --import tsx bench/profile-summary.ts <file.cpuprofile>`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  /** Sampled time, idle included. */
  wallMs: number;
  /** Sampled time the thread was not idle. */
  busyMs: number;
  byOrigin: ProfileEntry[];
  topSelf: ProfileEntry[];
  topSrcSelf: ProfileEntry[];
  /** Pulse's functions by total time (themselves and everything they call, each sample counted once). */
  topSrcTotal: ProfileEntry[];
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC_PREFIX = pathToFileURL(`${REPO_ROOT}src/`).href;
const REPO_PREFIX = pathToFileURL(REPO_ROOT).href;
const TOP = 12;
const IDLE = '(idle)';

function originOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url.startsWith(SRC_PREFIX)) return 'src/ (Pulse)';
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) {
    const [scope, name] = url.slice(nodeModules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name ?? ''}` : (scope ?? 'node_modules');
  }
  if (url.startsWith(REPO_PREFIX)) return url.slice(REPO_PREFIX.length).split('/')[0] ?? 'repo';
  if (url.startsWith('node:')) return 'Node internals';
  if (functionName.startsWith('(')) return functionName;
  return url === '' ? 'V8 / native' : 'other';
}

function keyOf(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const where = frame.url.startsWith(REPO_PREFIX) ? frame.url.slice(REPO_PREFIX.length) : frame.url.replace(/^.*\/node_modules\//, '');
  return `${name} ${where}:${frame.lineNumber + 1}`;
}

const isSrc = (frame: CallFrame) => frame.url.startsWith(SRC_PREFIX);

function top(totals: Map<string, number>, count: number): ProfileEntry[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, ms: us / 1000 }));
}

const add = (totals: Map<string, number>, key: string, us: number) => totals.set(key, (totals.get(key) ?? 0) + us);

export function summarizeProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<string, number>();
  const srcSelf = new Map<string, number>();
  const srcTotal = new Map<string, number>();
  const origins = new Map<string, number>();
  let wallUs = 0;
  let idleUs = 0;
  for (const [index, id] of samples.entries()) {
    // A sample lasts until the next one is taken.
    const us = deltas[index + 1] ?? 0;
    const node = byId.get(id);
    if (!node) continue;
    wallUs += us;
    if (node.callFrame.functionName === IDLE) {
      idleUs += us;
      continue;
    }
    add(self, keyOf(node.callFrame), us);
    add(origins, originOf(node.callFrame), us);
    if (isSrc(node.callFrame)) add(srcSelf, keyOf(node.callFrame), us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || !isSrc(frame)) continue;
      const key = keyOf(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      add(srcTotal, key, us);
    }
  }
  return {
    wallMs: wallUs / 1000,
    busyMs: (wallUs - idleUs) / 1000,
    byOrigin: top(origins, TOP),
    topSelf: top(self, TOP),
    topSrcSelf: top(srcSelf, TOP),
    topSrcTotal: top(srcTotal, TOP),
  };
}

/** Note lines for the bench report. */
export function describeProfile(label: string, summary: ProfileSummary, answers: number): string[] {
  const share = (ms: number) => `${ms.toFixed(0)} ms (${((100 * ms) / summary.busyMs).toFixed(1)}%)`;
  const list = (entries: readonly ProfileEntry[]) => entries.map((entry) => `${entry.name} ${share(entry.ms)}`).join('; ');
  const srcLines =
    summary.topSrcSelf.length === 0
      ? []
      : [`${label} top self time under src/: ${list(summary.topSrcSelf)}`, `${label} top total time under src/ (with callees): ${list(summary.topSrcTotal)}`];
  return [
    `${label} CPU profile of the burst: busy ${summary.busyMs.toFixed(0)} ms of ${summary.wallMs.toFixed(0)} ms sampled` +
      (answers > 0 ? ` (${(summary.busyMs / answers).toFixed(2)} ms per answer, profiler overhead included)` : '') +
      `; by origin (self time): ${list(summary.byOrigin)}`,
    `${label} top self time, any code: ${list(summary.topSelf)}`,
    ...srcLines,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile>…');
  for (const file of files) {
    process.stdout.write(`${describeProfile(file, summarizeProfile(file), 0).join('\n\n')}\n\n`);
  }
}
