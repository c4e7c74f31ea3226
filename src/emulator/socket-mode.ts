/**
 * Socket Mode as Slack runs it: apps.connections.open hands out a one-time
 * ws:// URL, the server says hello, sends envelopes, expects an ack within
 * 3 s and redelivers events_api envelopes that were not acked, with
 * retry_attempt/retry_reason set. Faults: disconnect messages, dropped
 * sockets, lost acks and late acks.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

/** Slack redelivers an envelope that is not acked within 3 seconds. */
export const ACK_TIMEOUT_MS = 3_000;
/** Slack retries a failed event delivery up to three times. */
export const MAX_EVENT_RETRIES = 3;

export type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

export interface SentEnvelope {
  envelopeId: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  retryAttempt: number;
  ack?: Record<string, unknown> | undefined;
  ackedAt?: number;
  /** Settles with the ack payload, or undefined if Slack gave up. */
  acked: Promise<Record<string, unknown> | undefined>;
}

interface PendingEnvelope extends SentEnvelope {
  resolve: (payload: Record<string, unknown> | undefined) => void;
  timer?: NodeJS.Timeout;
}

/**
 * The frame as Slack writes it: only events_api envelopes carry retry fields,
 * and only payloads whose ack can answer (slash commands, view submissions,
 * options requests) accept a response payload (java-slack-sdk MockSocketMode).
 */
function envelopeFrame(envelope: SentEnvelope): Record<string, unknown> {
  const frame: Record<string, unknown> = {
    envelope_id: envelope.envelopeId,
    payload: envelope.payload,
    type: envelope.type,
    accepts_response_payload: acceptsResponsePayload(envelope),
  };
  if (envelope.type === 'events_api') {
    frame.retry_attempt = envelope.retryAttempt;
    frame.retry_reason = envelope.retryAttempt > 0 ? 'timeout' : '';
  }
  return frame;
}

function acceptsResponsePayload(envelope: SentEnvelope): boolean {
  if (envelope.type === 'slash_commands') return true;
  if (envelope.type !== 'interactive') return false;
  return ['view_submission', 'block_suggestion'].includes(String(envelope.payload.type));
}

export type DisconnectReason = 'refresh_requested' | 'warning' | 'too_many_websockets' | 'link_disabled';

export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly pending = new Map<string, PendingEnvelope>();
  private readonly waiting: PendingEnvelope[] = [];
  private readonly retiring = new WeakSet<WebSocket>();
  readonly history: SentEnvelope[] = [];
  /** When true, the emulator stops acting on acks (to test redelivery). */
  ignoreAcks = false;
  /**
   * How long an app's frames take to reach Slack (a slow app or link). An ack
   * later than the ack deadline still counts, but only after Slack has
   * redelivered the envelope.
   */
  ackLatencyMs = 0;
  connectionCount = 0;
  /** Told the number of open links each time an app connects (the standalone emulator prints it). */
  onConnection: ((openConnections: number) => void) | undefined;

  constructor(
    private readonly options: { appId: string; ackTimeoutMs?: number; now: () => number },
  ) {}

  /** A fresh ws:// URL for apps.connections.open; each ticket works once. */
  issueUrl(baseUrl: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${baseUrl.replace(/^http/, 'ws')}link/?ticket=${ticket}&app_id=${this.options.appId}`;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const ticket = url.searchParams.get('ticket');
    if (url.pathname !== '/link/' || !ticket || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    this.connectionCount += 1;
    ws.on('message', (data) => this.receiveAfterLatency(data.toString()));
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', () => this.sockets.delete(ws));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'applink-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.options.appId },
      }),
    );
    // Envelopes that found no open socket go out as soon as one appears.
    for (const envelope of this.waiting.splice(0)) this.transmit(envelope);
    this.onConnection?.(this.openConnections);
  }

  get openConnections(): number {
    return [...this.sockets].filter((ws) => ws.readyState === ws.OPEN).length;
  }

  send(type: EnvelopeType, payload: Record<string, unknown>): SentEnvelope {
    let resolve!: PendingEnvelope['resolve'];
    const acked = new Promise<Record<string, unknown> | undefined>((settle) => {
      resolve = settle;
    });
    const envelope: PendingEnvelope = { envelopeId: randomUUID(), type, payload, retryAttempt: 0, acked, resolve };
    this.pending.set(envelope.envelopeId, envelope);
    this.history.push(envelope);
    this.transmit(envelope);
    return envelope;
  }

  private transmit(envelope: PendingEnvelope): void {
    const socket = [...this.sockets].reverse().find((ws) => ws.readyState === ws.OPEN && !this.retiring.has(ws));
    if (!socket) {
      this.waiting.push(envelope);
      return;
    }
    socket.send(JSON.stringify(envelopeFrame(envelope)));
    clearTimeout(envelope.timer);
    envelope.timer = setTimeout(() => this.onAckTimeout(envelope), this.options.ackTimeoutMs ?? ACK_TIMEOUT_MS);
    envelope.timer.unref();
  }

  private onAckTimeout(envelope: PendingEnvelope): void {
    if (!this.pending.has(envelope.envelopeId)) return;
    // Only Events API deliveries are retried; an interactive payload that is not
    // acked in time just shows the user an error in Slack.
    if (envelope.type === 'events_api' && envelope.retryAttempt < MAX_EVENT_RETRIES) {
      envelope.retryAttempt += 1;
      this.transmit(envelope);
      return;
    }
    this.pending.delete(envelope.envelopeId);
    envelope.resolve(undefined);
  }

  private receiveAfterLatency(raw: string): void {
    if (this.ackLatencyMs <= 0) {
      this.receive(raw);
      return;
    }
    setTimeout(() => this.receive(raw), this.ackLatencyMs).unref();
  }

  private receive(raw: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== 'string' || this.ignoreAcks) return;
    const envelope = this.pending.get(message.envelope_id);
    if (!envelope) return;
    clearTimeout(envelope.timer);
    this.pending.delete(envelope.envelopeId);
    envelope.ack = (message.payload as Record<string, unknown> | undefined) ?? {};
    envelope.ackedAt = this.options.now();
    envelope.resolve(envelope.ack);
  }

  /** Sends Slack's disconnect message; the client closes and reconnects itself. */
  disconnect(reason: DisconnectReason): void {
    const payload = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-1' } });
    for (const ws of this.sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      ws.send(payload);
      // A link told to go gets no new envelopes; they wait for the client's next connection.
      this.retiring.add(ws);
    }
  }

  /** Kills every socket without a close frame, as a network failure would. */
  dropConnections(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
  }

  close(): void {
    for (const envelope of this.pending.values()) {
      clearTimeout(envelope.timer);
      envelope.resolve(undefined);
    }
    this.pending.clear();
    this.dropConnections();
    this.wss.close();
  }
}
