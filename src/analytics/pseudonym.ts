/**
 * People stored as pseudonyms when an admin turns pseudonymization on.
 *
 * pseudonym = "P-" + the first 12 characters of base32(HMAC-SHA-256(secret,
 * `${teamId}:${userId}`)) — RFC 4648 alphabet, upper case, 60 bits. The same
 * person in the same workspace always gets the same pseudonym (so signals
 * still join across messages), it cannot be reversed without the secret, and
 * another secret or workspace gives unrelated pseudonyms. 60 bits keep the
 * chance of two people colliding below one in a billion for 10,000 people.
 */
import { createHmac } from 'node:crypto';

/** A shorter key would make pseudonyms guessable by brute force over user ids. */
export const MIN_PSEUDONYM_SECRET_BYTES = 16;
const PSEUDONYM_LENGTH = 12;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export type Pseudonymize = (userId: string) => string;

export function createPseudonymizer(secret: Buffer, teamId: string): Pseudonymize {
  if (secret.length < MIN_PSEUDONYM_SECRET_BYTES) {
    throw new Error(`The pseudonym secret must be at least ${MIN_PSEUDONYM_SECRET_BYTES} bytes.`);
  }
  if (!teamId) throw new Error('A pseudonymizer needs the workspace (team) id.');
  const key = Buffer.from(secret);
  return (userId: string) => {
    const digest = createHmac('sha256', key).update(`${teamId}:${userId}`, 'utf8').digest();
    return `P-${encodeBase32(digest).slice(0, PSEUDONYM_LENGTH)}`;
  };
}

function encodeBase32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return output;
}
