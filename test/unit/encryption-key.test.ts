/**
 * The key that encrypts the workspace API key at rest: ENCRYPTION_KEY wins; otherwise a key file
 * beside the database, generated once with mode 0600 and announced with a warning.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { KEY_FILE_NAME, keyFilePath, resolveEncryptionKey } from '../../src/secrets/encryption-key.ts';

// ---- small factories -------------------------------------------------------

const CONFIGURED_HEX = '0123456789abcdef'.repeat(4);

function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  return { logger, lines, warnings: () => lines.filter((line) => / WARN /.test(line)) };
}

function permissionsOf(path: string): number {
  return statSync(path).mode & 0o777;
}

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'pulse-key-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function databasePath(): string {
  return join(directory, 'pulse.db');
}

function resolveKey(options: { configuredHex?: string; databasePath?: string } = {}) {
  const log = capturingLogger();
  const key = resolveEncryptionKey({
    configuredHex: options.configuredHex,
    databasePath: options.databasePath ?? databasePath(),
    logger: log.logger,
  });
  return { key, ...log };
}

// ---- tests -----------------------------------------------------------------

describe('resolveEncryptionKey', () => {
  it('uses the configured hex key and creates no key file', () => {
    const { key, lines } = resolveKey({ configuredHex: CONFIGURED_HEX });

    expect(key.toString('hex')).toBe(CONFIGURED_HEX);
    expect(key).toHaveLength(32);
    expect(existsSync(keyFilePath(databasePath()))).toBe(false);
    expect(lines).toEqual([]);
  });

  it('prefers the configured key over an existing key file', () => {
    writeFileSync(keyFilePath(databasePath()), `${'f'.repeat(64)}\n`, { mode: 0o600 });

    expect(resolveKey({ configuredHex: CONFIGURED_HEX }).key.toString('hex')).toBe(CONFIGURED_HEX);
  });

  it('generates a 32-byte key file beside the database with mode 0600 when none is configured', () => {
    const { key } = resolveKey();
    const path = join(directory, KEY_FILE_NAME);

    expect(keyFilePath(databasePath())).toBe(path);
    expect(key).toHaveLength(32);
    expect(readFileSync(path, 'utf8').trim()).toBe(key.toString('hex'));
    expect(permissionsOf(path)).toBe(0o600);
  });

  it('warns where the generated key is, without printing the key', () => {
    const { key, warnings, lines } = resolveKey();

    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('ENCRYPTION_KEY is not set');
    expect(warnings()[0]).toContain(keyFilePath(databasePath()));
    expect(lines.join('\n')).not.toContain(key.toString('hex'));
  });

  it('returns the same key on the next start, without warning again', () => {
    const first = resolveKey();
    const second = resolveKey();

    expect(second.key.equals(first.key)).toBe(true);
    expect(second.warnings()).toEqual([]);
  });

  it('generates a different key for each new database directory', () => {
    const first = resolveKey();
    const otherDatabase = join(directory, 'other', 'pulse.db');

    const second = resolveKey({ databasePath: otherDatabase });

    expect(second.key.equals(first.key)).toBe(false);
  });

  it('creates the database directory when it does not exist yet', () => {
    const nested = join(directory, 'data', 'deeper', 'pulse.db');

    const { key } = resolveKey({ databasePath: nested });

    expect(readFileSync(join(directory, 'data', 'deeper', KEY_FILE_NAME), 'utf8').trim()).toBe(key.toString('hex'));
  });

  it('reads a hand-written upper-case key file', () => {
    writeFileSync(keyFilePath(databasePath()), 'AB'.repeat(32), { mode: 0o600 });

    expect(resolveKey().key.toString('hex')).toBe('ab'.repeat(32));
  });

  it.each([
    ['is empty', ''],
    ['is too short', 'ab'.repeat(31)],
    ['is not hex', 'zz'.repeat(32)],
    ['holds two keys', `${'ab'.repeat(32)}\n${'cd'.repeat(32)}`],
  ])('fails with a clear error when the key file %s', (_label, content) => {
    const path = keyFilePath(databasePath());
    writeFileSync(path, content, { mode: 0o600 });

    expect(() => resolveKey()).toThrow(/not 64 hex characters.*restore it from a backup or set ENCRYPTION_KEY/);
    expect(() => resolveKey()).toThrow(path);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('does not print the content of a corrupt key file in the error', () => {
    writeFileSync(keyFilePath(databasePath()), 'almost-a-secret-key-value', { mode: 0o600 });

    expect(() => resolveKey()).toThrow(expect.objectContaining({ message: expect.not.stringContaining('almost-a-secret') }));
  });

  it('tightens a key file readable by others to 0600 and says so', () => {
    const path = keyFilePath(databasePath());
    writeFileSync(path, `${CONFIGURED_HEX}\n`);
    chmodSync(path, 0o644);

    const { key, warnings } = resolveKey();

    expect(key.toString('hex')).toBe(CONFIGURED_HEX);
    expect(permissionsOf(path)).toBe(0o600);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('0600');
  });

  it('leaves a key file that is already 0600 alone, without warning', () => {
    const path = keyFilePath(databasePath());
    writeFileSync(path, `${CONFIGURED_HEX}\n`, { mode: 0o600 });

    const { warnings } = resolveKey();

    expect(permissionsOf(path)).toBe(0o600);
    expect(warnings()).toEqual([]);
  });

  it('uses a throwaway key with a warning, and writes no file, for an in-memory database', () => {
    const first = resolveKey({ databasePath: ':memory:' });
    const second = resolveKey({ databasePath: ':memory:' });

    expect(first.key).toHaveLength(32);
    expect(second.key.equals(first.key)).toBe(false);
    expect(first.warnings()).toHaveLength(1);
    expect(existsSync(join(process.cwd(), KEY_FILE_NAME))).toBe(false);
  });
});
