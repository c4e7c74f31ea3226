/**
 * Injected faults as the real WebClient experiences them: HTTP 429 with
 * Retry-After, platform errors, other HTTP statuses and slow answers.
 */
import { ErrorCode, WebClientEvent, type WebAPIHTTPError, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { botClient, startEmulator, stopEmulators } from './support/real-clients.ts';

let emulator: SlackEmulator;

beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(stopEmulators);

/** Retries without p-retry's own back-off, so only Retry-After sets the pace. */
const QUICK_RETRIES = { retries: 3, factor: 1, minTimeout: 0, maxTimeout: 0 };

async function rejection<T>(call: Promise<unknown>): Promise<T> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as T,
  );
}

function postedTexts(): string[] {
  return emulator.messages(emulator.seed.general.id).map((message) => message.text);
}

describe('rate limits', () => {
  it('a client that waits on rate limits pauses for Retry-After each time, then posts the message once', async () => {
    emulator.faults.rateLimit('chat.postMessage', { times: 2, retryAfterSeconds: 1 });
    const client = botClient(emulator, { retryConfig: QUICK_RETRIES });
    const retryAfters: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => retryAfters.push(seconds));

    const started = performance.now();
    const result = await client.chat.postMessage({ channel: emulator.seed.general.id, text: 'after the storm' });
    const elapsedMs = performance.now() - started;

    expect(result.ok).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(1_950);
    expect(retryAfters).toEqual([1, 1]);
    expect(postedTexts()).toEqual(['after the storm']);
    expect(emulator.callsTo('chat.postMessage').map((call) => call.status)).toEqual([429, 429, 200]);
  });

  it('a client that rejects rate-limited calls throws a rate-limited error carrying retryAfter, and nothing is posted', async () => {
    emulator.faults.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 7 });
    const client = botClient(emulator, { rejectRateLimitedCalls: true });

    const error = await rejection<WebAPIRateLimitedError>(client.chat.postMessage({ channel: emulator.seed.general.id, text: 'too fast' }));

    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(7);
    expect(postedTexts()).toEqual([]);
  });

  it('a rate limit on one method leaves other methods answering', async () => {
    emulator.faults.rateLimit('conversations.history', { times: 1, retryAfterSeconds: 30 });
    const client = botClient(emulator, { rejectRateLimitedCalls: true });

    await expect(client.conversations.history({ channel: emulator.seed.general.id })).rejects.toMatchObject({ code: ErrorCode.RateLimitedError });
    await expect(client.chat.postMessage({ channel: emulator.seed.general.id, text: 'still here' })).resolves.toMatchObject({ ok: true });
  });
});

describe('injected errors and statuses', () => {
  it('an injected error code surfaces as a platform error with data.error, and is not retried', async () => {
    emulator.faults.error('chat.postMessage', 'channel_not_found');
    const client = botClient(emulator, { retryConfig: QUICK_RETRIES });

    const error = await rejection<WebAPIPlatformError>(client.chat.postMessage({ channel: emulator.seed.general.id, text: 'lost' }));

    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.data).toMatchObject({ ok: false, error: 'channel_not_found' });
    expect(emulator.callsTo('chat.postMessage')).toHaveLength(1);
    expect(postedTexts()).toEqual([]);
  });

  it('faults queued on one method apply to successive calls, one each', async () => {
    emulator.faults.rateLimit('chat.postMessage', { retryAfterSeconds: 1 });
    emulator.faults.error('chat.postMessage', 'is_archived');
    const client = botClient(emulator, { rejectRateLimitedCalls: true });
    const post = () => client.chat.postMessage({ channel: emulator.seed.general.id, text: 'try' }).then(() => 'ok', (error: { code: string; data?: { error: string } }) => error.data?.error ?? error.code);

    expect([await post(), await post(), await post()]).toEqual([ErrorCode.RateLimitedError, 'is_archived', 'ok']);
  });

  it('an injected 500 is retried by a client with retries, which then succeeds', async () => {
    emulator.faults.httpStatus('chat.postMessage', 500, { times: 2 });
    const client = botClient(emulator, { retryConfig: QUICK_RETRIES });

    await expect(client.chat.postMessage({ channel: emulator.seed.general.id, text: 'third time lucky' })).resolves.toMatchObject({ ok: true });

    expect(emulator.callsTo('chat.postMessage').map((call) => call.status)).toEqual([500, 500, 200]);
    expect(postedTexts()).toEqual(['third time lucky']);
  });

  it('an injected 503 reaches a client without retries as an HTTP error with the status', async () => {
    emulator.faults.httpStatus('conversations.history', 503);
    const client = botClient(emulator);

    const error = await rejection<WebAPIHTTPError>(client.conversations.history({ channel: emulator.seed.general.id }));

    expect(error.code).toBe(ErrorCode.HTTPError);
    expect(error.statusCode).toBe(503);
  });

  it('an injected delay holds the answer back, and a client timeout gives up on it', async () => {
    emulator.faults.delay('auth.test', 400, { times: 2 });
    const patient = botClient(emulator);
    const started = performance.now();
    await expect(patient.auth.test()).resolves.toMatchObject({ ok: true, user_id: emulator.botUserId });
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);

    const hasty = botClient(emulator, { timeout: 100 });
    await expect(hasty.auth.test()).rejects.toMatchObject({ code: ErrorCode.RequestError });
  });
});
