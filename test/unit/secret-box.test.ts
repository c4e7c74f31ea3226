import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/secrets/secret-box.ts';

const box = new SecretBox(randomBytes(32));

describe('SecretBox', () => {
  it('opens what it sealed, for the same workspace', () => {
    expect(box.open(box.seal('sk-live-1234567890', 'T1'), 'T1')).toBe('sk-live-1234567890');
  });

  it('never stores the plaintext, and seals the same value differently each time', () => {
    const first = box.seal('sk-live-1234567890', 'T1');
    const second = box.seal('sk-live-1234567890', 'T1');
    expect(first).not.toContain('sk-live');
    expect(first).not.toBe(second);
  });

  it('refuses a value sealed for another workspace, under another key, or altered', () => {
    const sealed = box.seal('sk-live-1234567890', 'T1');
    expect(() => box.open(sealed, 'T2')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'T1')).toThrow();
    const parts = sealed.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('x' + Buffer.from(parts[3] as string, 'base64url').toString('latin1')).toString('base64url')].join('.');
    expect(() => box.open(tampered, 'T1')).toThrow();
    expect(() => box.open('garbage', 'T1')).toThrow('not a sealed secret');
  });

  it('insists on a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('32 bytes');
  });
});
