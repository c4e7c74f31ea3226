// A scriptable OpenAI-compatible server on loopback for tests that drive Pulse through the
// real `openai` / `@langchain/openai` clients (point OPENAI_BASE_URL at `llm.url`).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  buildCompletion, buildErrorBody, buildModel, buildModelList, buildStreamChunks, defaultErrorFor, estimateUsage,
  invalidApiKeyError, newCompletionId, newRequestId, newToolCallId, sseEvent,
  type AssistantTurn, type ErrorShape,
} from './fake-llm-wire.ts';
import { validateChatRequest } from './fake-llm-validate.ts';

export interface FakeToolCall { name: string; arguments: Record<string, unknown> | string; id?: string }
export type FakeStep =
  | { reply: string; usage?: { prompt_tokens: number; completion_tokens: number }; delayMs?: number; chunkDelayMs?: number }
  | { toolCalls: FakeToolCall[]; content?: string; usage?: { prompt_tokens: number; completion_tokens: number }; delayMs?: number; chunkDelayMs?: number }
  | { status: number; message?: string; type?: string; code?: string; headers?: Record<string, string>; delayMs?: number }
  | { raw: string; status?: number; contentType?: string; delayMs?: number } // malformed / arbitrary body
  | { cutStreamAfterChunks: number; reply: string } // stream sends N chunks then destroys the socket (non-stream: destroys immediately)
  | { respond: (request: RecordedRequest) => FakeStep }; // dynamic
export interface RecordedRequest { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: any; apiKey: string | undefined } // eslint-disable-line @typescript-eslint/no-explicit-any
export interface FakeLlm {
  /** Base URL to put in OPENAI_BASE_URL, ending in /v1 */
  readonly url: string;
  /** Every /v1/chat/completions request received, in order (parsed JSON body). */
  readonly requests: RecordedRequest[];
  /** Queue steps, consumed FIFO by chat completion requests. */
  script(...steps: FakeStep[]): void;
  /** Step used when the queue is empty (default: { reply: 'OK from the fake LLM.' }). */
  setDefault(step: FakeStep): void;
  /** Resolves when `count` chat requests have been received (bounded by timeoutMs, rejects with a clear message). */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Steps still queued (not yet consumed). */
  readonly pendingSteps: number;
  reset(): void;
  close(): Promise<void>;
}
export interface FakeLlmOptions {
  /** When set, any other Bearer key gets OpenAI's real 401 body. */
  validApiKeys?: string[];
  /** Served by /v1/models; a chat request naming another model gets OpenAI's 404 model_not_found. Default ['gpt-4o-mini','gpt-4o']. */
  models?: string[];
}

const DEFAULT_STEP: FakeStep = { reply: 'OK from the fake LLM.' };
const DEFAULT_WAIT_MS = 5_000;
/** A `respond` step may return another `respond`; this bounds accidental infinite recursion. */
const MAX_RESPOND_DEPTH = 10;
const CREATED = Math.floor(Date.now() / 1000);

type ConcreteStep = Exclude<FakeStep, { respond: unknown }>;

interface Waiter { count: number; resolve: (requests: RecordedRequest[]) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const models = options.models ?? ['gpt-4o-mini', 'gpt-4o'];
  const requests: RecordedRequest[] = [];
  const queue: FakeStep[] = [];
  let defaultStep = DEFAULT_STEP;
  let waiters: Waiter[] = [];
  const sockets = new Set<Socket>();
  const closing = new AbortController();

  /** Resolves after `ms`, or early (false) when the fake is closed or the client hangs up. */
  const sleep = (ms: number, res: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      if (ms <= 0 || closing.signal.aborted) return resolve(!closing.signal.aborted);
      const done = (ok: boolean) => { clearTimeout(timer); closing.signal.removeEventListener('abort', onAbort); res.off('close', onAbort); resolve(ok); };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      closing.signal.addEventListener('abort', onAbort, { once: true });
      res.once('close', onAbort);
    });

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': newRequestId(), ...headers });
    res.end(JSON.stringify(body));
  };
  const sendError = (res: ServerResponse, status: number, error: ErrorShape, headers: Record<string, string> = {}) =>
    sendJson(res, status, buildErrorBody(error), headers);

  const notifyWaiters = () => {
    waiters = waiters.filter((waiter) => {
      if (requests.length < waiter.count) return true;
      clearTimeout(waiter.timer);
      waiter.resolve(requests.slice(0, waiter.count));
      return false;
    });
  };

  const resolveStep = (request: RecordedRequest): ConcreteStep => {
    let step = queue.shift() ?? defaultStep;
    for (let depth = 0; 'respond' in step; depth++) {
      if (depth >= MAX_RESPOND_DEPTH) throw new Error(`respond() nested deeper than ${MAX_RESPOND_DEPTH} levels`);
      step = step.respond(request);
    }
    return step;
  };

  const toTurn = (step: { reply: string } | { toolCalls: FakeToolCall[]; content?: string }): AssistantTurn => {
    if ('toolCalls' in step) {
      return {
        content: step.content ?? null,
        toolCalls: step.toolCalls.map((call) => ({
          id: call.id ?? newToolCallId(),
          name: call.name,
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
        })),
      };
    }
    return { content: step.reply, toolCalls: [] };
  };

  /** Writes one SSE event and waits until it has left the process, so a later destroy cannot swallow it. */
  const writeFlushed = (res: ServerResponse, data: string) =>
    new Promise<void>((resolve) => {
      if (res.destroyed) return resolve();
      // A write callback may never fire once the client hangs up, so 'close' settles it too.
      const settle = () => { res.off('close', settle); resolve(); };
      res.once('close', settle);
      res.write(data, settle);
    });

  async function answerChat(step: ConcreteStep, request: RecordedRequest, res: ServerResponse): Promise<void> {
    const body = request.body as { model: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
    const streaming = body.stream === true;
    if ('delayMs' in step && step.delayMs && !(await sleep(step.delayMs, res))) return;

    if ('raw' in step) {
      if (res.destroyed) return;
      res.writeHead(step.status ?? 200, { 'content-type': step.contentType ?? 'application/json', 'x-request-id': newRequestId() });
      res.end(step.raw);
      return;
    }
    if ('status' in step) {
      const fallback = defaultErrorFor(step.status, body.model);
      const error = { message: step.message ?? fallback.message, type: step.type ?? fallback.type, code: step.code ?? fallback.code };
      sendError(res, step.status, error, step.headers);
      return;
    }
    if ('cutStreamAfterChunks' in step && !streaming) {
      res.socket?.destroy();
      return;
    }
    const turn = toTurn(step);
    const usage = 'usage' in step && step.usage ? step.usage : estimateUsage(request.body, turn);
    const meta = { id: newCompletionId(), created: Math.floor(Date.now() / 1000), model: body.model };
    if (!streaming) {
      sendJson(res, 200, buildCompletion(meta, turn, usage));
      return;
    }
    const includeUsage = body.stream_options?.include_usage === true;
    const events = buildStreamChunks(meta, turn, includeUsage ? usage : undefined).map((chunk) => sseEvent(chunk));
    events.push(sseEvent('[DONE]'));
    const cutAfter = 'cutStreamAfterChunks' in step ? step.cutStreamAfterChunks : Infinity;
    const chunkDelayMs = 'chunkDelayMs' in step ? (step.chunkDelayMs ?? 0) : 0;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': newRequestId() });
    res.flushHeaders();
    for (const [index, event] of events.entries()) {
      if (index >= cutAfter) {
        res.socket?.destroy();
        return;
      }
      if (index > 0 && chunkDelayMs > 0 && !(await sleep(chunkDelayMs, res))) return;
      await writeFlushed(res, event);
    }
    res.end();
  }

  async function handleChat(req: IncomingMessage, res: ServerResponse, path: string, rawBody: string, apiKey: string | undefined) {
    let body: unknown = rawBody;
    try {
      body = JSON.parse(rawBody);
    } catch {
      // Recorded as the raw string; validation below answers with OpenAI's parse error.
    }
    const request: RecordedRequest = { method: req.method ?? 'POST', path, headers: { ...req.headers }, body, apiKey };
    requests.push(request);
    notifyWaiters();
    if (!isAuthorized(apiKey)) return sendError(res, 401, invalidApiKeyError(apiKey));
    const problem = validateChatRequest(body, models);
    if (problem) return sendError(res, problem.status, problem.error);
    let step: ConcreteStep;
    try {
      step = resolveStep(request);
    } catch (error) {
      return sendError(res, 500, { message: `fake LLM respond() threw: ${(error as Error).message}`, type: 'server_error', code: null });
    }
    await answerChat(step, request, res);
  }

  const isAuthorized = (apiKey: string | undefined) => !options.validApiKeys || (apiKey !== undefined && options.validApiKeys.includes(apiKey));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '');
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const apiKey = bearer?.[1]?.trim();

    if (req.method === 'POST' && path === '/v1/chat/completions') return handleChat(req, res, path, rawBody, apiKey);
    const modelMatch = /^\/v1\/models(?:\/(.+))?$/.exec(path);
    if (req.method === 'GET' && modelMatch) {
      if (!isAuthorized(apiKey)) return sendError(res, 401, invalidApiKeyError(apiKey));
      const id = modelMatch[1] === undefined ? undefined : decodeURIComponent(modelMatch[1]);
      if (id === undefined) return sendJson(res, 200, buildModelList(models, CREATED));
      if (models.includes(id)) return sendJson(res, 200, buildModel(id, CREATED));
      return sendError(res, 404, { ...defaultErrorFor(404, id), param: 'model' });
    }
    sendError(res, 404, { message: `Invalid URL (${req.method} ${req.url})`, type: 'invalid_request_error', code: null });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, { message: `fake LLM failed: ${(error as Error).message}`, type: 'server_error', code: null });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get pendingSteps() {
      return queue.length;
    },
    script(...steps) {
      queue.push(...steps);
    },
    setDefault(step) {
      defaultStep = step;
    },
    waitForRequests(count, timeoutMs = DEFAULT_WAIT_MS) {
      if (requests.length >= count) return Promise.resolve(requests.slice(0, count));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter.timer !== timer);
          const seen = requests.map((request) => request.body?.model ?? '(unparsed body)').join(', ');
          reject(new Error(`fake LLM: expected ${count} chat completion request(s) within ${timeoutMs} ms but received ${requests.length}${seen ? ` (models: ${seen})` : ''}`));
        }, timeoutMs);
        waiters.push({ count, resolve, reject, timer });
      });
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
      defaultStep = DEFAULT_STEP;
    },
    async close() {
      closing.abort();
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`fake LLM closed while waiting for ${waiter.count} chat completion request(s); received ${requests.length}`));
      }
      waiters = [];
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
