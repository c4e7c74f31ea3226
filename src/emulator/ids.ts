/** Slack-shaped identifiers and timestamps. */
import { createHash, randomBytes } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Slack ids are a type letter plus upper-case alphanumerics (e.g. C0123ABCDEF). */
export function createSlackId(prefix: string, length = 10): string {
  return spellId(prefix, randomBytes(length));
}

function spellId(prefix: string, bytes: Uint8Array): string {
  let id = prefix;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

export type IdSource = (prefix: string, length?: number) => string;

/**
 * Ids for a workspace's lasting things (team, users, conversations…): random,
 * or, given a seed, the same sequence on every run, so a standalone emulator
 * keeps its team and user ids across restarts.
 */
export function createIdSource(seed?: string): IdSource {
  if (seed === undefined) return createSlackId;
  let counter = 0;
  return (prefix, length = 10) => {
    counter += 1;
    return spellId(prefix, createHash('sha256').update(`${seed}:${counter}`).digest().subarray(0, length));
  };
}

/**
 * Message timestamps: "<unix seconds>.<6 digits>", unique and increasing per
 * workspace even when many messages land in the same microsecond.
 */
export function createTsClock(now: () => number) {
  let last = 0;
  return (): string => {
    const micros = Math.max(Math.floor(now() * 1000), last + 1);
    last = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };
}

export function compareTs(a: string, b: string): number {
  const [aSeconds = '0', aMicros = '0'] = a.split('.');
  const [bSeconds = '0', bMicros = '0'] = b.split('.');
  return Number(aSeconds) - Number(bSeconds) || Number(aMicros.padEnd(6, '0')) - Number(bMicros.padEnd(6, '0'));
}

/**
 * Slack's opaque cursors are base64 of "<kind>:<position>": history pages use
 * "next_ts:1512085861000543" (the ts without its dot), lists "team:C061FA5PB"
 * or "user:U0G9QF3C6" (the examples in Slack's pagination docs).
 */
export type CursorKind = 'next_ts' | 'team' | 'user';

export function encodeCursor(kind: CursorKind, position: string): string {
  const value = kind === 'next_ts' ? position.replace('.', '') : position;
  return Buffer.from(`${kind}:${value}`).toString('base64');
}

export function decodeCursor(cursor: string, kind: CursorKind): string | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  if (!decoded.startsWith(`${kind}:`)) return undefined;
  const value = decoded.slice(kind.length + 1);
  if (kind !== 'next_ts') return value;
  return /^\d{7,}$/.test(value) ? `${value.slice(0, -6)}.${value.slice(-6)}` : undefined;
}
