/**
 * The real Slack SDK clients, pointed at the emulator: a bot WebClient, a
 * WebClient whose raw HTTP bodies are recorded, and a SocketModeClient that
 * collects what it receives.
 */
import { LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
import { SocketModeClient } from '@slack/socket-mode';
import { startSlackEmulator, type SlackEmulator } from '../../../src/emulator/driver.ts';
import type { EmulatorOptions } from '../../../src/emulator/server.ts';

/** The SDKs log rate limits and reconnects at info/warn; tests keep their output clean. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

const running: SlackEmulator[] = [];

/** Starts an emulator that `stopEmulators()` (call it in afterEach) tears down. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<SlackEmulator> {
  const emulator = await startSlackEmulator(options);
  running.push(emulator);
  return emulator;
}

export async function stopEmulators(): Promise<void> {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
}

export function botClient(emulator: SlackEmulator, options: WebClientOptions = {}): WebClient {
  return new WebClient(emulator.botToken, {
    slackApiUrl: emulator.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentLogger,
    ...options,
  });
}

export interface RecordedResponse {
  method: string;
  status: number;
  body: Record<string, unknown>;
}

/** A bot WebClient whose every Web API response body is kept exactly as it came off the wire. */
export function recordingBotClient(emulator: SlackEmulator): { client: WebClient; responses: RecordedResponse[] } {
  const responses: RecordedResponse[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(emulator.apiUrl)) {
      const text = await response.clone().text();
      responses.push({ method: url.slice(emulator.apiUrl.length), status: response.status, body: JSON.parse(text) as Record<string, unknown> });
    }
    return response;
  };
  return { client: botClient(emulator, { fetch: recordingFetch }), responses };
}

export interface ReceivedEnvelope {
  type: string;
  body: Record<string, unknown>;
  retryNum: number | undefined;
  retryReason: string | undefined;
}

export interface ConnectedSocketMode {
  client: SocketModeClient;
  received: ReceivedEnvelope[];
  /** Decides, per envelope, what to ack with; `undefined` leaves it unacked. */
  ackWith: (envelope: ReceivedEnvelope) => Record<string, unknown> | undefined;
  stop(): Promise<void>;
}

/**
 * A started SocketModeClient that records every envelope and acks it (by
 * default with an empty payload). The client's reconnect delay and pong
 * timeout are both `clientPingTimeout` (SDK default 5 s), shortened to 1 s so
 * reconnect tests stay quick without spurious reconnects on a busy machine.
 */
export async function connectSocketMode(emulator: SlackEmulator, options: { clientPingTimeout?: number } = {}): Promise<ConnectedSocketMode> {
  const client = new SocketModeClient({
    appToken: emulator.appToken,
    logger: silentLogger,
    clientPingTimeout: options.clientPingTimeout ?? 1_000,
    clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
  });
  const connection: ConnectedSocketMode = {
    client,
    received: [],
    ackWith: () => ({}),
    stop: async () => {
      await client.disconnect();
    },
  };
  client.on('slack_event', (event: { ack: (payload?: Record<string, unknown>) => Promise<void>; type: string; body: Record<string, unknown>; retry_num?: number; retry_reason?: string }) => {
    const envelope: ReceivedEnvelope = { type: event.type, body: event.body, retryNum: event.retry_num, retryReason: event.retry_reason };
    connection.received.push(envelope);
    const payload = connection.ackWith(envelope);
    if (payload !== undefined) void event.ack(payload);
  });
  await client.start();
  return connection;
}

/** Envelopes whose payload carries an event of this type (events_api). */
export function eventsOfType(connection: ConnectedSocketMode, type: string): ReceivedEnvelope[] {
  return connection.received.filter((envelope) => (envelope.body.event as { type?: string } | undefined)?.type === type);
}
