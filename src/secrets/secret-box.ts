/**
 * Secrets at rest: AES-256-GCM with a fresh 96-bit nonce per value, the
 * workspace id bound in as associated data (a ciphertext copied to another
 * workspace's row does not decrypt). Format: v1.<nonce>.<tag>.<ciphertext>, base64url.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
/** GCM's recommended nonce size; random nonces are safe far beyond the number of keys Pulse stores. */
const NONCE_BYTES = 12;
const VERSION = 'v1';

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
  }

  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, nonce, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** Throws when the value was altered, sealed for another context, or sealed under another key. */
  open(sealed: string, context: string): string {
    const [version, nonce, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !nonce || !tag || ciphertext === undefined) throw new Error('not a sealed secret');
    // A full 16-byte tag only: a truncated tag would weaken the authentication.
    const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(nonce, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
