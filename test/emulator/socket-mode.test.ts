/**
 * Socket Mode as the real SocketModeClient, a Bolt app and a raw WebSocket
 * see it: app-token-only connection URLs, single-use tickets, hello first,
 * redelivery of unacked events, and reconnects after disconnects and drops.
 */
import { App, LogLevel } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { connectSocketMode, eventsOfType, silentLogger, startEmulator, stopEmulators, type ConnectedSocketMode } from './support/real-clients.ts';

/** Short ack deadline (Slack's is 3 s) so redelivery tests stay quick. */
const ACK_TIMEOUT_MS = 500;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stopEmulators();
});

async function socketModeClient(emulator: SlackEmulator): Promise<ConnectedSocketMode> {
  const connection = await connectSocketMode(emulator);
  cleanups.push(() => connection.stop());
  return connection;
}

function appClient(emulator: SlackEmulator, token: string): WebClient {
  return new WebClient(token, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
}

async function openUrl(emulator: SlackEmulator): Promise<string> {
  const opened = await appClient(emulator, emulator.appToken).apps.connections.open();
  return opened.url as string;
}

/** A raw WebSocket that keeps every frame it receives, parsed. */
async function rawSocket(url: string): Promise<{ ws: WebSocket; frames: Record<string, unknown>[] }> {
  const ws = new WebSocket(url);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
  cleanups.push(() => ws.terminate());
  return { ws, frames };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('apps.connections.open', () => {
  it('hands the app token a ws:// URL with a ticket and the app id', async () => {
    const emulator = await startEmulator();
    const url = new URL(await openUrl(emulator));
    expect(url.protocol).toBe('ws:');
    expect(url.searchParams.get('ticket')).toBeTruthy();
    expect(url.searchParams.get('app_id')).toBe(emulator.workspace.team.appId);
  });

  it('refuses the bot token with not_allowed_token_type and an unknown token with invalid_auth', async () => {
    const emulator = await startEmulator();
    const attempt = async (token: string) =>
      ((await appClient(emulator, token).apps.connections.open().catch((error: unknown) => error)) as WebAPIPlatformError).data?.error;
    expect(await attempt(emulator.botToken)).toBe('not_allowed_token_type');
    expect(await attempt('xapp-1-A000-0000-nope')).toBe('invalid_auth');
  });

  it('refuses an app token sent as a form field instead of the Authorization header', async () => {
    const emulator = await startEmulator();
    // The SDKs always use the header; this is the legacy form field Slack no longer accepts here.
    const response = await fetch(`${emulator.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: emulator.appToken }),
    });
    expect(await response.json()).toEqual({ ok: false, error: 'invalid_auth' });
  });

  it('refuses the app token on bot methods with not_allowed_token_type', async () => {
    const emulator = await startEmulator();
    const error = (await appClient(emulator, emulator.appToken).auth.test().catch((caught: unknown) => caught)) as WebAPIPlatformError;
    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.data.error).toBe('not_allowed_token_type');
  });
});

describe('the WebSocket link', () => {
  it('accepts each ticket once', async () => {
    const emulator = await startEmulator();
    const url = await openUrl(emulator);
    await rawSocket(url);
    await expect(rawSocket(url)).rejects.toThrow('HTTP 401');
  });

  it('says hello first, then delivers envelopes that waited for a connection', async () => {
    const emulator = await startEmulator();
    emulator.dm(emulator.seed.alice.id, 'sent before anyone listened');
    const { frames } = await rawSocket(await openUrl(emulator));
    await emulator.waitFor(() => frames.length >= 2, { what: 'hello and the envelope' });
    expect(frames[0]).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: emulator.workspace.team.appId } });
    expect(frames[1]).toMatchObject({ type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '' });
    expect((frames[1]?.payload as { event: { text: string } }).event.text).toBe('sent before anyone listened');
  });

  it('redelivers an events_api envelope that is not acked in time, with retry_attempt 1 and reason "timeout"', async () => {
    const emulator = await startEmulator({ ackTimeoutMs: ACK_TIMEOUT_MS });
    const { ws, frames } = await rawSocket(await openUrl(emulator));
    emulator.dm(emulator.seed.alice.id, 'ack me');
    const envelopes = () => frames.filter((frame) => frame.type === 'events_api');
    await emulator.waitFor(() => envelopes().length === 2, { what: 'a redelivery' });
    const [first, second] = envelopes();
    expect(second?.envelope_id).toBe(first?.envelope_id);
    expect(second).toMatchObject({ retry_attempt: 1, retry_reason: 'timeout' });

    ws.send(JSON.stringify({ envelope_id: second?.envelope_id, payload: {} }));
    await sleep(ACK_TIMEOUT_MS * 2);
    expect(envelopes()).toHaveLength(2);
  });

  it('with ack latency, takes an ack sent at once only after the deadline: one redelivery, then the late ack counts', async () => {
    const emulator = await startEmulator({ ackTimeoutMs: ACK_TIMEOUT_MS });
    // Lands between the first redelivery (at the deadline) and the second (twice the deadline).
    emulator.socketMode.ackLatencyMs = ACK_TIMEOUT_MS * 1.5;
    const { ws, frames } = await rawSocket(await openUrl(emulator));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; envelope_id?: string };
      if (frame.type === 'events_api') ws.send(JSON.stringify({ envelope_id: frame.envelope_id, payload: {} }));
    });
    emulator.dm(emulator.seed.alice.id, 'slow link');

    const [envelope] = await emulator.waitFor(() => emulator.socketMode.history.length === 1 && emulator.socketMode.history);
    expect(await envelope?.acked).toEqual({});
    await sleep(ACK_TIMEOUT_MS * 2);
    const deliveries = frames.filter((frame) => frame.type === 'events_api');
    expect(deliveries.map((frame) => [frame.retry_attempt, frame.retry_reason])).toEqual([
      [0, ''],
      [1, 'timeout'],
    ]);
    expect(envelope?.retryAttempt).toBe(1);
  });
});

describe('the real SocketModeClient', () => {
  it('sees a redelivery of an event it did not ack as retry_num 1, retry_reason "timeout", and no more once acked', async () => {
    const emulator = await startEmulator({ ackTimeoutMs: ACK_TIMEOUT_MS });
    const socket = await socketModeClient(emulator);
    socket.ackWith = (envelope) => (envelope.retryNum === 0 ? undefined : {});
    emulator.dm(emulator.seed.alice.id, 'first try is ignored');

    await emulator.waitFor(() => eventsOfType(socket, 'message').length === 2, { what: 'the redelivery' });
    await sleep(ACK_TIMEOUT_MS * 2);
    const deliveries = eventsOfType(socket, 'message');
    expect(deliveries.map((envelope) => [envelope.retryNum, envelope.retryReason])).toEqual([
      [0, ''],
      [1, 'timeout'],
    ]);
    expect(deliveries[1]?.body.event_id).toBe(deliveries[0]?.body.event_id);
  });

  it('does not see an acked event again', async () => {
    const emulator = await startEmulator({ ackTimeoutMs: ACK_TIMEOUT_MS });
    const socket = await socketModeClient(emulator);
    emulator.dm(emulator.seed.alice.id, 'once is enough');
    await emulator.waitFor(() => eventsOfType(socket, 'message').length === 1);
    await sleep(ACK_TIMEOUT_MS * 3);
    expect(eventsOfType(socket, 'message')).toHaveLength(1);
  });

  it('gets an event up to three more times when acks never count, then Slack gives up', async () => {
    const emulator = await startEmulator({ ackTimeoutMs: 100 });
    const socket = await socketModeClient(emulator);
    emulator.socketMode.ignoreAcks = true;
    emulator.dm(emulator.seed.alice.id, 'lost acks');
    await emulator.waitFor(() => eventsOfType(socket, 'message').length === 4, { what: 'three retries' });
    await sleep(300);
    expect(eventsOfType(socket, 'message').map((envelope) => envelope.retryNum)).toEqual([0, 1, 2, 3]);
  });

  it('reconnects after disconnect("refresh_requested") and still receives events sent afterwards', async () => {
    const emulator = await startEmulator();
    const socket = await socketModeClient(emulator);
    const before = emulator.socketMode.connectionCount;
    const opens = emulator.callsTo('apps.connections.open').length;

    emulator.socketMode.disconnect('refresh_requested');
    await emulator.waitFor(() => emulator.socketMode.connectionCount > before && emulator.socketMode.openConnections === 1, { what: 'a reconnect' });
    emulator.dm(emulator.seed.bob.id, 'after the refresh');

    await emulator.waitFor(() => eventsOfType(socket, 'message').length === 1, { what: 'the event after reconnecting' });
    expect(eventsOfType(socket, 'message')[0]?.body.event).toMatchObject({ text: 'after the refresh' });
    expect(emulator.callsTo('apps.connections.open').length).toBeGreaterThan(opens);
  });

  it('gets an event sent between a disconnect message and its reconnect on the new link, first time', async () => {
    const emulator = await startEmulator({ ackTimeoutMs: 3_000 });
    const socket = await socketModeClient(emulator);
    const before = emulator.socketMode.connectionCount;

    emulator.socketMode.disconnect('warning');
    emulator.dm(emulator.seed.bob.id, 'in between');

    await emulator.waitFor(() => eventsOfType(socket, 'message').length === 1, { what: 'the event on the new link' });
    expect(emulator.socketMode.connectionCount).toBeGreaterThan(before);
    expect(eventsOfType(socket, 'message').map((envelope) => envelope.retryNum)).toEqual([0]);
  });

  it('reconnects after its socket is dropped and receives the event sent while it was away', async () => {
    const emulator = await startEmulator();
    const socket = await socketModeClient(emulator);
    const before = emulator.socketMode.connectionCount;

    emulator.socketMode.dropConnections();
    emulator.dm(emulator.seed.alice.id, 'sent while disconnected');
    expect(emulator.socketMode.openConnections).toBe(0);

    await emulator.waitFor(() => eventsOfType(socket, 'message').length === 1, { what: 'delivery after reconnecting' });
    expect(emulator.socketMode.connectionCount).toBeGreaterThan(before);
    expect(eventsOfType(socket, 'message')[0]?.body.event).toMatchObject({ text: 'sent while disconnected' });
  });
});

describe('a Bolt app in Socket Mode', () => {
  it('starts against the emulator and its listener gets a DM, acked, with Slack’s retry fields on a redelivery', async () => {
    const emulator = await startEmulator({ ackTimeoutMs: ACK_TIMEOUT_MS });
    const app = new App({
      token: emulator.botToken,
      appToken: emulator.appToken,
      socketMode: true,
      logger: silentLogger as never,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
    });
    const heard: { text: string | undefined; retryNum: number | undefined; retryReason: string | undefined }[] = [];
    app.message(async ({ message, context }) => {
      heard.push({ text: 'text' in message ? message.text : undefined, retryNum: context.retryNum, retryReason: context.retryReason });
    });
    await app.start();
    cleanups.push(async () => {
      await app.stop();
    });

    emulator.dm(emulator.seed.alice.id, 'hello Bolt');
    await emulator.waitFor(() => emulator.socketMode.history.at(-1)?.ack !== undefined, { what: 'Bolt’s ack' });
    emulator.socketMode.ignoreAcks = true;
    emulator.dm(emulator.seed.alice.id, 'again');
    await emulator.waitFor(() => heard.length === 3, { what: 'a redelivered event' });

    expect(heard[0]).toEqual({ text: 'hello Bolt', retryNum: 0, retryReason: '' });
    expect(heard.slice(1, 3)).toEqual([
      { text: 'again', retryNum: 0, retryReason: '' },
      { text: 'again', retryNum: 1, retryReason: 'timeout' },
    ]);
    expect(emulator.callsTo('auth.test').length).toBeGreaterThan(0);
  });
});
