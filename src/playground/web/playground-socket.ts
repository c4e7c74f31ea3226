/**
 * The page's one WebSocket to the playground server, reconnecting with a
 * bounded backoff whenever it closes (the server restarted, the laptop slept).
 */
import { PLAYGROUND_SOCKET_PATH, type ClientFrame, type ServerFrame } from '../protocol.ts';

/** First retry after this long; each failure doubles it up to the cap. */
const FIRST_RETRY_MS = 500;
/** The longest wait between attempts, so a restarted server is found within seconds. */
const MAX_RETRY_MS = 8_000;

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface SocketHandlers {
  frame(frame: ServerFrame): void;
  status(state: ConnectionState, retryInMs?: number): void;
}

export class PlaygroundSocket {
  private socket: WebSocket | undefined;
  private failures = 0;

  constructor(private readonly handlers: SocketHandlers) {}

  connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}${PLAYGROUND_SOCKET_PATH}`);
    this.socket = socket;
    this.handlers.status('connecting');
    socket.addEventListener('open', () => {
      this.failures = 0;
      this.handlers.status('open');
    });
    socket.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(event.data) as ServerFrame;
      } catch {
        return;
      }
      this.handlers.frame(frame);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
      this.failures += 1;
      this.handlers.status('closed', wait);
      setTimeout(() => this.connect(), wait);
    });
  }

  /** Sends a frame; false when the socket is not open (the caller says so). */
  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }
}
