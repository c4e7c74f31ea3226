/**
 * The emulator's HTTP face: POST /api/<method> (form or JSON bodies, Bearer
 * tokens, always HTTP 200 except 429s and injected statuses), upload URLs
 * for files.uploadV2, url_private downloads, and the Socket Mode upgrade.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSlackId } from './ids.ts';
import { eventsForChange, wrapEvent } from './event-payloads.ts';
import { FaultInjector } from './faults.ts';
import { SocketModeServer } from './socket-mode.ts';
import type { RecordedCall } from './types.ts';
import { chatMethods } from './web-api/chat.ts';
import type { EmulatorRuntime, MethodHandler, TriggerRecord } from './web-api/context.ts';
import { conversationMethods } from './web-api/conversations.ts';
import { reactionAndUserMethods } from './web-api/reactions-users.ts';
import { viewAndFileMethods } from './web-api/views-files.ts';
import { SlackError, Workspace } from './workspace.ts';

const METHODS: Record<string, MethodHandler> = {
  ...conversationMethods,
  ...chatMethods,
  ...reactionAndUserMethods,
  ...viewAndFileMethods,
};

/** Bodies past this size are refused (Slack's own request cap is far larger; this bounds tests). */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

export interface EmulatorOptions {
  teamName?: string;
  domain?: string;
  now?: () => number;
  /** Events the app subscribes to (manifest `bot_events`); default: all. */
  subscribedEvents?: readonly string[];
  /** Ack deadline before redelivery (Slack: 3 s). */
  ackTimeoutMs?: number;
  port?: number;
  /** Same team, user and channel ids on every run (for a standalone emulator); random by default. */
  idSeed?: string;
  /** Fixed tokens (e.g. for a standalone emulator whose .env must survive restarts); random by default. */
  botToken?: string;
  appToken?: string;
}

/** A handler for paths the emulator does not serve itself (the playground's page); false = not mine. */
export type ExtraRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean> | boolean;
/** Takes a WebSocket upgrade for a path other than Socket Mode's; false = not mine. */
export type ExtraUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => boolean;

/** The emulator's Web API methods (what it implements, for fidelity checks). */
export const EMULATED_METHODS: readonly string[] = Object.keys(METHODS);

export class EmulatorServer {
  readonly workspace: Workspace;
  readonly socketMode: SocketModeServer;
  readonly botToken: string;
  readonly appToken: string;
  readonly calls: RecordedCall[] = [];
  protected readonly runtime: EmulatorRuntime;
  protected readonly triggers = new Map<string, TriggerRecord>();
  private readonly server: Server;
  private readonly extraRoutes: ExtraRoute[] = [];
  private readonly extraUpgrades: ExtraUpgrade[] = [];
  private readonly apiListeners = new Set<(call: RecordedCall) => void>();
  private readonly subscribed: Set<string> | undefined;
  private baseUrlValue = '';

  constructor(private readonly options: EmulatorOptions = {}) {
    this.botToken = options.botToken ?? `xoxb-emulated-${createSlackId('', 24).toLowerCase()}`;
    this.appToken = options.appToken ?? `xapp-1-${createSlackId('A', 10)}-emulated-${createSlackId('', 24).toLowerCase()}`;
    if (!this.botToken.startsWith('xoxb-')) throw new Error('The emulator bot token must start with xoxb-');
    if (!this.appToken.startsWith('xapp-')) throw new Error('The emulator app token must start with xapp-');
    this.workspace = new Workspace(options);
    this.socketMode = new SocketModeServer({
      appId: this.workspace.team.appId,
      now: this.workspace.now,
      ...(options.ackTimeoutMs !== undefined ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
    });
    this.subscribed = options.subscribedEvents ? new Set(options.subscribedEvents) : undefined;
    const baseUrl = () => this.baseUrl;
    this.runtime = {
      workspace: this.workspace,
      get baseUrl() {
        return baseUrl();
      },
      botToken: this.botToken,
      appToken: this.appToken,
      triggers: this.triggers,
      openSocketModeUrl: () => this.socketMode.issueUrl(this.baseUrl),
      revoked: false,
    };
    this.workspace.onChange((change) => {
      for (const pending of eventsForChange(this.workspace, change, this.baseUrl)) {
        this.deliverEvent(pending.subscription, pending.event);
      }
    });
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: false, error: 'internal_error', detail: String(error) }));
      });
    });
    this.server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (this.extraUpgrades.some((upgrade) => upgrade(request, socket, head, url))) return;
      this.socketMode.handleUpgrade(request, socket, head);
    });
  }

  /** Serves more paths from the same origin (checked after the Web API, uploads and downloads). */
  mount(route: ExtraRoute, upgrade?: ExtraUpgrade): void {
    this.extraRoutes.push(route);
    if (upgrade) this.extraUpgrades.push(upgrade);
  }

  /** Called after every Web API call is answered (what the app changed, for live views); returns an unsubscribe. */
  onApiCall(listener: (call: RecordedCall) => void): () => void {
    this.apiListeners.add(listener);
    return () => this.apiListeners.delete(listener);
  }

  /** http://127.0.0.1:<port>/ */
  get baseUrl(): string {
    return this.baseUrlValue;
  }

  /** The value for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.baseUrlValue}api/`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrlValue = `http://127.0.0.1:${port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.socketMode.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Sends an Events API envelope if the app subscribes to it. */
  deliverEvent(subscription: string, event: Record<string, unknown>) {
    if (this.subscribed && !this.subscribed.has(subscription)) return undefined;
    return this.socketMode.send('events_api', wrapEvent(this.workspace, event));
  }

  /** Rate limits, error codes, HTTP statuses and delays to inject into Web API calls. */
  readonly faults = new FaultInjector();

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'POST' && url.pathname.startsWith('/api/')) {
      return this.handleApiCall(url.pathname.slice('/api/'.length), request, response);
    }
    if (request.method === 'POST' && url.pathname.startsWith('/upload/v1/')) {
      return this.handleUpload(url.pathname.slice('/upload/v1/'.length), request, response);
    }
    if (request.method === 'GET' && url.pathname.startsWith('/files-pri/')) {
      return this.handleDownload(url.pathname, request, response);
    }
    for (const extra of this.extraRoutes) {
      if (await extra(request, response, url)) return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  }

  private async handleApiCall(method: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const params = parseParams(raw, request.headers['content-type']);
    const headerToken = bearerToken(request);
    const bodyToken = typeof params.token === 'string' ? params.token : undefined;
    const token = headerToken ?? bodyToken;
    delete params.token;
    const record: RecordedCall = { method, params, token, at: this.workspace.now(), ok: false, status: 200 };
    this.calls.push(record);
    const send = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      record.status = status;
      record.ok = body.ok === true;
      if (typeof body.error === 'string') record.error = body.error;
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(body));
      for (const listener of this.apiListeners) listener(record);
    };
    const fault = this.faults.take(method);
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.answer) return send(fault.answer.status, fault.answer.body, fault.answer.headers);
    const handler = METHODS[method];
    if (!handler) return send(200, { ok: false, error: 'unknown_method' });
    const authError = this.checkAuth(method, token, headerToken !== undefined);
    if (authError) return send(200, { ok: false, error: authError });
    try {
      const result = handler({ runtime: this.runtime, workspace: this.workspace, params });
      return send(200, { ok: true, ...result });
    } catch (error) {
      if (error instanceof SlackError) return send(200, { ok: false, error: error.error, ...error.extra });
      throw error;
    }
  }

  private checkAuth(method: string, token: string | undefined, inHeader: boolean): string | undefined {
    if (!token) return 'not_authed';
    // apps.connections.open reads the app token from the Authorization header only; Slack answers
    // invalid_auth to a form `token=xapp-…` (python-slack-sdk#1877).
    if (method === 'apps.connections.open' && !inHeader) return 'invalid_auth';
    // A valid token of the wrong kind is not_allowed_token_type (an xoxb for Socket Mode, an xapp for
    // a bot method); a token Slack never issued is invalid_auth.
    if (method === 'apps.connections.open') {
      if (token === this.appToken) return undefined;
      return token === this.botToken ? 'not_allowed_token_type' : 'invalid_auth';
    }
    if (token === this.appToken) return 'not_allowed_token_type';
    if (token !== this.botToken) return 'invalid_auth';
    if (this.runtime.revoked) return 'token_revoked';
    return undefined;
  }

  private async handleUpload(fileId: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const file = this.workspace.files.get(fileId);
    const body = await readBody(request);
    if (!file || file.completed) {
      response.writeHead(404).end('unknown upload');
      return;
    }
    file.bytes = extractUploadedBytes(body, request.headers['content-type']);
    this.calls.push({ method: 'upload', params: { file_id: fileId, bytes: file.bytes.length }, token: undefined, at: this.workspace.now(), ok: true, status: 200 });
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${file.bytes.length}`);
  }

  private handleDownload(pathname: string, request: IncomingMessage, response: ServerResponse): void {
    const match = /^\/files-pri\/[^/-]+-([^/]+)\//.exec(pathname);
    const file = match?.[1] ? this.workspace.files.get(match[1]) : undefined;
    // Without a valid token Slack serves its HTML sign-in page, not the file.
    if (bearerToken(request) !== this.botToken || this.runtime.revoked) {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
      return;
    }
    if (!file?.completed) {
      response.writeHead(404).end('file not found');
      return;
    }
    response.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length) }).end(file.bytes);
  }
}

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseParams(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (text === '') return {};
  if (contentType?.includes('application/json')) {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? { ...(parsed as Record<string, unknown>) } : {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** Upload URLs accept raw bytes or a multipart form with one file part. */
function extractUploadedBytes(body: Buffer, contentType: string | undefined): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return body;
  const delimiter = Buffer.from(`--${marker}`);
  const start = body.indexOf(delimiter);
  const headerEnd = body.indexOf('\r\n\r\n', start);
  const end = body.indexOf(Buffer.from(`\r\n--${marker}`), headerEnd);
  if (start < 0 || headerEnd < 0 || end < 0) return body;
  return body.subarray(headerEnd + 4, end);
}
