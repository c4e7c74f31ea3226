/** Slack-shaped identifiers and timestamps. */
import { randomBytes } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Slack ids are a type letter plus upper-case alphanumerics (e.g. C0123ABCDEF). */
export function createSlackId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
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

/** Slack's opaque pagination cursors are base64 of "next_ts:…" style strings. */
export function encodeCursor(value: string): string {
  return Buffer.from(`next_ts:${value}`).toString('base64');
}

export function decodeCursor(cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith('next_ts:') ? decoded.slice('next_ts:'.length) : undefined;
}
