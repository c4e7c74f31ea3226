/**
 * The flags of each bench, in one place: each bench parses its own with
 * these specs, and `npm run bench` (bench/all.ts) uses them to hand every
 * flag to the bench that owns it. A flag two benches share (`--warmup`)
 * must name its bench: `--charts.warmup 10`. Any flag may name its bench.
 */
import { parseArgs } from 'node:util';

type FlagSpec = { type: 'string'; default: string } | { type: 'string' } | { type: 'boolean'; default: boolean };
export type FlagSpecs = Record<string, FlagSpec>;

/** bench/run.ts: Pulse and the floor over the emulator and the fake LLM. */
export const conversationFlags = {
  rounds: { type: 'string', default: '2' },
  samples: { type: 'string', default: '60' },
  'latency-delay-ms': { type: 'string', default: '100' },
  'throughput-delay-ms': { type: 'string', default: '500' },
  questions: { type: 'string', default: '500' },
  threads: { type: 'string', default: '100' },
  concurrency: { type: 'string', default: '32' },
  'cpu-prof': { type: 'string' },
} satisfies FlagSpecs;

/** bench/charts.ts: render time and RSS drift of one bar chart. */
export const chartFlags = {
  renders: { type: 'string', default: '500' },
  warmup: { type: 'string', default: '50' },
  'memory-renders': { type: 'string', default: '1000' },
} satisfies FlagSpecs;

/** bench/analytics.ts: ingest rate, query latencies and size of the analytics storage. */
export const analyticsFlags = {
  messages: { type: 'string', default: '1000000' },
  'ingest-budget-seconds': { type: 'string', default: '90' },
  'sync-messages': { type: 'string', default: '100000' },
  'sync-budget-seconds': { type: 'string', default: '20' },
  runs: { type: 'string', default: '30' },
  warmup: { type: 'string', default: '3' },
  seed: { type: 'string', default: '20250101' },
  'profile-every': { type: 'string', default: '10' },
  'keep-db': { type: 'boolean', default: false },
} satisfies FlagSpecs;

/** The benches `npm run bench` runs, in this order; each is also a script of its own. */
export const BENCHES = {
  conversations: { script: 'bench/run.ts', results: 'latest.json', flags: conversationFlags as FlagSpecs },
  charts: { script: 'bench/charts.ts', results: 'charts.json', flags: chartFlags as FlagSpecs },
  analytics: { script: 'bench/analytics.ts', results: 'analytics.json', flags: analyticsFlags as FlagSpecs },
} as const;

export type BenchName = keyof typeof BENCHES;
export const BENCH_NAMES = Object.keys(BENCHES) as BenchName[];

export interface RoutedFlags {
  /** The benches to run, in order (all of them unless `--only` says otherwise). */
  benches: BenchName[];
  /** Each bench's own command-line arguments. */
  args: Record<BenchName, string[]>;
}

function owners(flag: string): BenchName[] {
  return BENCH_NAMES.filter((bench) => flag in BENCHES[bench].flags);
}

/**
 * Splits `npm run bench -- …` into each bench's arguments. Defaults are left
 * out so each bench applies its own; a flag no bench knows, or one two benches
 * share given without its bench's name, is an error that says what to write.
 */
export function routeFlags(argv: readonly string[]): RoutedFlags {
  const options: Record<string, { type: 'string' | 'boolean' }> = { only: { type: 'string' } };
  for (const bench of BENCH_NAMES) {
    for (const [flag, spec] of Object.entries(BENCHES[bench].flags)) {
      options[`${bench}.${flag}`] = { type: spec.type };
      if (owners(flag).length === 1) options[flag] = { type: spec.type };
    }
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    const shared = argv.map((arg) => /^--([^=.]+)/.exec(arg)?.[1]).find((flag) => flag !== undefined && owners(flag).length > 1);
    if (shared) {
      throw new Error(`--${shared} belongs to more than one bench; write ${owners(shared).map((bench) => `--${bench}.${shared}`).join(' or ')}`);
    }
    const known = BENCH_NAMES.map((bench) => `${bench}: ${Object.keys(BENCHES[bench].flags).map((flag) => `--${flag}`).join(' ')}`);
    throw new Error(`${(error as Error).message}. Flags (any may be written --<bench>.<flag>): --only <benches>; ${known.join('; ')}`);
  }
  const args = Object.fromEntries(BENCH_NAMES.map((bench) => [bench, [] as string[]])) as Record<BenchName, string[]>;
  for (const [name, value] of Object.entries(values)) {
    if (name === 'only' || value === undefined) continue;
    const [bench, flag] = name.includes('.') ? (name.split('.', 2) as [BenchName, string]) : [owners(name)[0] as BenchName, name];
    if (typeof value === 'boolean') {
      if (value) args[bench].push(`--${flag}`);
    } else {
      args[bench].push(`--${flag}`, value);
    }
  }
  const only = typeof values.only === 'string' ? values.only.split(',').map((name) => name.trim()) : BENCH_NAMES;
  const unknown = only.filter((name) => !(BENCH_NAMES as string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only: no bench named ${unknown.join(', ')} (benches: ${BENCH_NAMES.join(', ')})`);
  return { benches: BENCH_NAMES.filter((bench) => only.includes(bench)), args };
}
