/**
 * A small typed request/reply channel over Node's fork IPC, used in both
 * directions between the bench orchestrator and its two children (the
 * outside world and the app). Every request is bounded by a timeout; a peer
 * that goes away fails whatever was still waiting on it.
 */
import type { ChildProcess } from 'node:child_process';

/** Request name → what it carries and what the reply carries. */
export type RequestMap = Record<string, { body: unknown; reply: unknown }>;

export type Handlers<M extends RequestMap> = {
  [K in keyof M]: (body: M[K]['body']) => Promise<M[K]['reply']> | M[K]['reply'];
};

interface RequestFrame {
  kind: 'bench-request';
  id: number;
  type: string;
  body: unknown;
}

interface ReplyFrame {
  kind: 'bench-reply';
  id: number;
  ok: boolean;
  body?: unknown;
  error?: string;
}

type Frame = RequestFrame | ReplyFrame;

/** Either side of a fork IPC channel: a ChildProcess in the parent, `process` in the child. */
export interface Endpoint {
  send(frame: Frame): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

interface Pending {
  resolve: (body: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const isFrame = (message: unknown): message is Frame =>
  typeof message === 'object' &&
  message !== null &&
  ((message as Frame).kind === 'bench-request' || (message as Frame).kind === 'bench-reply');

export function childEndpoint(child: ChildProcess): Endpoint {
  return {
    send: (frame) => {
      if (child.connected) child.send(frame);
    },
    onMessage: (listener) => {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
  };
}

/** This process's channel to its parent; fails loudly when the process was not forked with IPC. */
export function parentEndpoint(): Endpoint {
  if (!process.send) throw new Error('this bench process must be forked with an IPC channel (run `npm run bench`)');
  return {
    send: (frame) => {
      if (process.connected) process.send?.(frame);
    },
    onMessage: (listener) => {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
}

/**
 * One end of the channel: sends `Out` requests to the other side and serves
 * `In` requests from it.
 */
export class Peer<Out extends RequestMap, In extends RequestMap> {
  private readonly pending = new Map<number, Pending>();
  private readonly unsubscribe: () => void;
  private nextId = 1;
  private closedReason: string | undefined;

  constructor(
    private readonly name: string,
    private readonly endpoint: Endpoint,
    private readonly handlers: Handlers<In>,
  ) {
    this.unsubscribe = endpoint.onMessage((message) => {
      if (!isFrame(message)) return;
      if (message.kind === 'bench-reply') this.settle(message);
      else void this.serve(message);
    });
  }

  request<K extends keyof Out & string>(type: K, body: Out[K]['body'], timeoutMs: number): Promise<Out[K]['reply']> {
    if (this.closedReason !== undefined) return Promise.reject(new Error(`${this.name}: ${type} not sent, ${this.closedReason}`));
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} did not answer ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (body: unknown) => void, reject, timer });
      this.endpoint.send({ kind: 'bench-request', id, type, body });
    });
  }

  /** Stops listening and fails every request still waiting (e.g. the other process exited). */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.unsubscribe();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${this.name}: ${reason}`));
      this.pending.delete(id);
    }
  }

  private settle(frame: ReplyFrame): void {
    const pending = this.pending.get(frame.id);
    if (!pending) return;
    this.pending.delete(frame.id);
    clearTimeout(pending.timer);
    if (frame.ok) pending.resolve(frame.body);
    else pending.reject(new Error(`${this.name}: ${frame.error ?? 'failed'}`));
  }

  private async serve(frame: RequestFrame): Promise<void> {
    const handler = (this.handlers as Record<string, ((body: unknown) => unknown) | undefined>)[frame.type];
    try {
      if (!handler) throw new Error(`no handler for ${frame.type}`);
      const body = await handler(frame.body);
      this.endpoint.send({ kind: 'bench-reply', id: frame.id, ok: true, body });
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.endpoint.send({ kind: 'bench-reply', id: frame.id, ok: false, error: text });
    }
  }
}

/**
 * In a child process: once the orchestrator disconnects after a clean shutdown, nothing may hold the
 * process open (if something still does after `graceMs`, say what and exit); if it disconnects
 * before (killed, or it failed), close whatever is running and exit 1.
 */
export function endWhenOrphaned(
  name: string,
  peer: { close(reason: string): void },
  state: { shuttingDown(): boolean; close(): Promise<void> },
  graceMs: number,
): void {
  process.once('disconnect', () => {
    peer.close('the orchestrator disconnected');
    if (state.shuttingDown()) {
      setTimeout(() => {
        process.stderr.write(`bench ${name}: still open ${graceMs} ms after shutdown, held by: ${process.getActiveResourcesInfo().join(', ')}\n`);
        process.exit(0);
      }, graceMs).unref();
      return;
    }
    process.stderr.write(`bench ${name}: the orchestrator disconnected before shutdown; closing.\n`);
    void state.close().finally(() => process.exit(1));
  });
}
