/** The analytics bench's options, read once from its flags (bench/bench-flags.ts holds their specs and defaults). */
import { parseArgs } from 'node:util';
import { analyticsFlags } from '../bench-flags.ts';
import { PAGE_SIZE } from './generate.ts';

export interface BenchOptions {
  messages: number;
  /** The ingest stops after this much timed work (then the queries run over what it stored). */
  ingestBudgetSeconds: number;
  syncMessages: number;
  syncBudgetSeconds: number;
  runs: number;
  warmup: number;
  seed: number;
  profileEvery: number;
  keepDb: boolean;
}

function integerFlag(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return value;
}

/** Parses this process's flags; throws naming the first flag out of range. */
export function parseBenchOptions(): BenchOptions {
  const { values } = parseArgs({ options: analyticsFlags });
  return {
    messages: integerFlag('messages', values.messages, PAGE_SIZE),
    ingestBudgetSeconds: integerFlag('ingest-budget-seconds', values['ingest-budget-seconds'], 1),
    syncMessages: integerFlag('sync-messages', values['sync-messages'], 0),
    syncBudgetSeconds: integerFlag('sync-budget-seconds', values['sync-budget-seconds'], 1),
    runs: integerFlag('runs', values.runs, 1),
    warmup: integerFlag('warmup', values.warmup, 0),
    seed: integerFlag('seed', values.seed, 0),
    profileEvery: integerFlag('profile-every', values['profile-every'], 0),
    keepDb: values['keep-db'] ?? false,
  };
}
