/**
 * The key that encrypts secrets at rest (the workspace's LLM API key).
 * ENCRYPTION_KEY wins; otherwise a key file beside the database is used,
 * generated on first start with mode 0600.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../logger.ts';

export const KEY_FILE_NAME = 'pulse.key';
const KEY_BYTES = 32;

export function keyFilePath(databasePath: string): string {
  return join(dirname(resolve(databasePath)), KEY_FILE_NAME);
}

export function resolveEncryptionKey(options: {
  configuredHex: string | undefined;
  databasePath: string;
  logger: Logger;
}): Buffer {
  const { configuredHex, databasePath, logger } = options;
  if (configuredHex) return Buffer.from(configuredHex, 'hex');
  if (databasePath === ':memory:') {
    logger.warn('ENCRYPTION_KEY is not set and the database is in memory: using a throwaway key for this process.');
    return randomBytes(KEY_BYTES);
  }
  const path = keyFilePath(databasePath);
  if (existsSync(path)) {
    const hex = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) {
      throw new Error(`The key file ${path} is not 64 hex characters; restore it from a backup or set ENCRYPTION_KEY.`);
    }
    if ((statSync(path).mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      logger.warn(`Tightened permissions of ${path} to 0600.`);
    }
    return Buffer.from(hex, 'hex');
  }
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  logger.warn(
    `ENCRYPTION_KEY is not set: generated a new key in ${path} (mode 0600). Back it up with the database; without it the stored API key cannot be read. Set ENCRYPTION_KEY to manage the key yourself.`,
  );
  return key;
}
