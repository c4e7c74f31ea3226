/**
 * The playground's web face, mounted on the emulator's own HTTP server:
 * the page (index.html, an esbuild bundle of web/app.ts, styles.css), the
 * workspace's files without the bot token, and a WebSocket per open page.
 * Each page acts as one person through the emulator's driver — exactly the
 * envelopes a Slack client would cause — and is sent the whole state that
 * person sees after every change (debounced).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { SlackEmulator } from '../emulator/driver.ts';
import { SlackError } from '../emulator/workspace.ts';
import { buildPlaygroundState, mentionsToSlack } from './playground-state.ts';
import { PLAYGROUND_FILES_PATH, PLAYGROUND_SOCKET_PATH, type ClientFrame, type ServerFrame } from './protocol.ts';

/** Changes within this window go out as one state frame. */
export const PUSH_DEBOUNCE_MS = 25;
/** A frame larger than this is refused (a message of Slack's own 40,000-character cap fits). */
export const MAX_FRAME_BYTES = 256 * 1024;
/** What a person may post at once (Slack's limit for a message's text). */
export const MAX_POST_CHARS = 40_000;
/** Open pages at once: a local tool, but the loop over them stays bounded. */
export const MAX_PAGES = 32;

const WEB_ROOT = fileURLToPath(new URL('./web/', import.meta.url));
const PAGE_PREFIX = '/playground/';

const blockId = z.string().max(255).optional();
const frameSchema: z.ZodType<ClientFrame> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('act_as'), userId: z.string().max(32) }),
  z.object({ type: z.literal('post'), channel: z.string().max(32), text: z.string(), threadTs: z.string().max(32).optional() }),
  z.object({ type: z.literal('open_dm'), userId: z.string().max(32) }),
  z.object({ type: z.literal('open_home') }),
  z.object({ type: z.literal('shortcut'), callbackId: z.string().max(255), channel: z.string().max(32), ts: z.string().max(32) }),
  z.object({ type: z.literal('react'), channel: z.string().max(32), ts: z.string().max(32), name: z.string().min(1).max(100) }),
  z.object({
    type: z.literal('block_action'),
    target: z.union([z.object({ viewId: z.string().max(32) }), z.object({ channel: z.string().max(32), ts: z.string().max(32) })]),
    action: z.discriminatedUnion('type', [
      z.object({ type: z.literal('button'), actionId: z.string().max(255), blockId, value: z.string().max(2_000).optional() }),
      z.object({ type: z.literal('static_select'), actionId: z.string().max(255), blockId, value: z.string().max(2_000), text: z.string().max(2_000).optional() }),
      z.object({ type: z.literal('overflow'), actionId: z.string().max(255), blockId, value: z.string().max(2_000) }),
    ]),
  }),
  z.object({
    type: z.literal('submit_view'),
    viewId: z.string().max(32),
    values: z.record(z.string().max(255), z.record(z.string().max(255), z.string().max(MAX_POST_CHARS))),
  }),
  z.object({ type: z.literal('close_view'), viewId: z.string().max(32) }),
]);

interface Page {
  socket: WebSocket;
  userId: string;
}

export interface PlaygroundWebOptions {
  /** People the page may act as; the first is the default. */
  actorIds: readonly string[];
  /** Message shortcuts offered in the "…" menu. */
  shortcuts: readonly { callbackId: string; name: string }[];
}

/** A problem the person caused, said to them as is. */
class PlaygroundRefusal extends Error {}

export class PlaygroundWeb {
  private readonly pages = new Set<Page>();
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly viewErrors = new Map<string, Record<string, string>>();
  private bundle: Promise<string> | undefined;
  private pushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emulator: SlackEmulator,
    private readonly options: PlaygroundWebOptions,
  ) {
    if (options.actorIds.length === 0) throw new Error('The playground needs at least one person to act as');
    emulator.mount(
      (request, response, url) => this.serve(request, response, url),
      (request, socket, head, url) => this.upgrade(request, socket, head, url),
    );
    emulator.workspace.onChange(() => this.schedulePush());
    emulator.onApiCall(() => this.schedulePush());
  }

  /** The page's address. */
  get url(): string {
    return `${this.emulator.baseUrl.replace(/\/$/, '')}${PAGE_PREFIX}`;
  }

  close(): void {
    clearTimeout(this.pushTimer);
    for (const page of this.pages) page.socket.terminate();
    this.sockets.close();
  }

  private async serve(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    if (request.method !== 'GET') return false;
    if (url.pathname === '/' || url.pathname === '/playground') {
      response.writeHead(302, { location: PAGE_PREFIX }).end();
      return true;
    }
    if (url.pathname === PAGE_PREFIX) return this.sendFile(response, 'index.html', 'text/html; charset=utf-8');
    if (url.pathname === `${PAGE_PREFIX}styles.css`) return this.sendFile(response, 'styles.css', 'text/css; charset=utf-8');
    if (url.pathname === `${PAGE_PREFIX}app.js`) {
      const code = await this.appBundle();
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(code);
      return true;
    }
    if (url.pathname.startsWith(PLAYGROUND_FILES_PATH)) return this.sendWorkspaceFile(response, url.pathname.slice(PLAYGROUND_FILES_PATH.length));
    return false;
  }

  private async sendFile(response: ServerResponse, name: string, type: string): Promise<boolean> {
    const body = await readFile(`${WEB_ROOT}${name}`);
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    return true;
  }

  /** The page's script, bundled once from TypeScript (esbuild ships with tsx, which runs Pulse). */
  private appBundle(): Promise<string> {
    this.bundle ??= import('esbuild').then(async ({ build }) => {
      const result = await build({
        entryPoints: [`${WEB_ROOT}app.ts`],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      });
      return result.outputFiles[0]?.text ?? '';
    });
    return this.bundle;
  }

  private sendWorkspaceFile(response: ServerResponse, rest: string): boolean {
    const id = decodeURIComponent(rest.split('/')[0] ?? '');
    const file = this.emulator.workspace.files.get(id);
    // Only files shared where one of the page's people can see them (what their Slack client could open).
    const conversations = this.emulator.workspace.conversations;
    const visible = file?.channels.some((channel) => this.options.actorIds.some((actor) => conversations.get(channel)?.members.has(actor)));
    if (!file?.completed || !visible) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('file not found');
      return true;
    }
    const inline = file.mimetype.startsWith('image/');
    response
      .writeHead(200, {
        'content-type': file.mimetype,
        'content-length': String(file.bytes.length),
        'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`,
        'x-content-type-options': 'nosniff',
      })
      .end(file.bytes);
    return true;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean {
    if (url.pathname !== PLAYGROUND_SOCKET_PATH) return false;
    // Only the page this server serves may act as people: another site open in the same browser may not.
    const origin = request.headers.origin;
    if ((origin !== undefined && origin !== new URL(this.emulator.baseUrl).origin) || this.pages.size >= MAX_PAGES) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return true;
    }
    this.sockets.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
    return true;
  }

  private accept(socket: WebSocket): void {
    const page: Page = { socket, userId: this.options.actorIds[0] as string };
    this.pages.add(page);
    socket.on('close', () => this.pages.delete(page));
    socket.on('error', () => this.pages.delete(page));
    socket.on('message', (data, isBinary) => {
      void this.receive(page, isBinary ? '' : data.toString());
    });
    this.sendState(page);
  }

  private async receive(page: Page, raw: string): Promise<void> {
    let frame: ClientFrame;
    try {
      const parsed = frameSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid');
      frame = parsed.data;
    } catch {
      this.send(page, { type: 'error', message: 'The page sent something the playground does not understand; reload it.' });
      return;
    }
    try {
      await this.act(page, frame);
    } catch (error) {
      this.send(page, { type: 'error', message: refusalText(error) });
    } finally {
      this.schedulePush();
    }
  }

  private async act(page: Page, frame: ClientFrame): Promise<void> {
    const emulator = this.emulator;
    const workspace = emulator.workspace;
    const me = page.userId;
    switch (frame.type) {
      case 'act_as':
        if (!this.options.actorIds.includes(frame.userId)) throw new PlaygroundRefusal('You can only act as the people listed in the switcher.');
        page.userId = frame.userId;
        this.sendState(page);
        return;
      case 'post': {
        const text = frame.text.trim();
        if (text === '') throw new PlaygroundRefusal('Type a message first.');
        if (text.length > MAX_POST_CHARS) throw new PlaygroundRefusal(`A message can be at most ${MAX_POST_CHARS.toLocaleString('en-US')} characters.`);
        const conversation = this.memberConversation(me, frame.channel);
        if (conversation.isArchived) throw new PlaygroundRefusal('This channel is archived: nobody can post in it.');
        if (frame.threadTs !== undefined) workspace.requireMessage(conversation.id, frame.threadTs);
        const people = [...workspace.users.values()].filter((user) => !user.deleted && !user.isBot);
        emulator.post(me, conversation.id, mentionsToSlack(text, people, { id: workspace.bot.id, name: workspace.bot.realName }), {
          ...(frame.threadTs !== undefined ? { threadTs: frame.threadTs } : {}),
        });
        return;
      }
      case 'open_dm':
        if (frame.userId !== workspace.bot.id) throw new PlaygroundRefusal('In the playground you can DM Pulse; people are played by the seed.');
        this.send(page, { type: 'opened', channel: workspace.openIm(me).id });
        return;
      case 'open_home':
        emulator.openHome(me);
        return;
      case 'shortcut':
        if (!this.options.shortcuts.some((shortcut) => shortcut.callbackId === frame.callbackId)) {
          throw new PlaygroundRefusal('Pulse has no such shortcut.');
        }
        this.memberConversation(me, frame.channel);
        emulator.runShortcut(me, frame.callbackId, { channel: frame.channel, ts: frame.ts });
        return;
      case 'react': {
        const conversation = this.memberConversation(me, frame.channel);
        const message = workspace.requireMessage(conversation.id, frame.ts);
        const name = frame.name.replace(/^:|:$/g, '');
        const mine = message.reactions.some((reaction) => reaction.name === name && reaction.users.includes(me));
        if (mine) workspace.removeReaction(conversation.id, frame.ts, name, me);
        else workspace.addReaction(conversation.id, frame.ts, name, me);
        return;
      }
      case 'block_action': {
        const target = 'viewId' in frame.target ? { viewId: this.ownView(me, frame.target.viewId) } : frame.target;
        if ('channel' in target) workspace.requireMessage(this.memberConversation(me, target.channel).id, target.ts);
        const { action } = frame;
        const ids = { actionId: action.actionId, ...(action.blockId !== undefined ? { blockId: action.blockId } : {}) };
        if (action.type === 'button') emulator.clickButton(me, target, { ...ids, ...(action.value !== undefined ? { value: action.value } : {}) });
        else if (action.type === 'static_select') emulator.selectOption(me, target, { ...ids, value: action.value, ...(action.text ? { text: action.text } : {}) });
        else emulator.chooseOverflow(me, target, { ...ids, value: action.value });
        return;
      }
      case 'submit_view': {
        const viewId = this.ownView(me, frame.viewId);
        const ack = await emulator.submitView(me, viewId, frame.values);
        if (ack?.response_action === 'errors' && typeof ack.errors === 'object' && ack.errors !== null) {
          this.viewErrors.set(viewId, Object.fromEntries(Object.entries(ack.errors).map(([block, text]) => [block, String(text)])));
        } else {
          this.viewErrors.delete(viewId);
        }
        return;
      }
      case 'close_view': {
        const view = workspace.views.get(this.ownView(me, frame.viewId));
        if (view) view.closed = true;
        this.viewErrors.delete(frame.viewId);
        return;
      }
    }
  }

  private memberConversation(userId: string, channel: string) {
    const conversation = this.emulator.workspace.conversations.get(channel);
    if (!conversation?.members.has(userId)) throw new PlaygroundRefusal('You are not in that conversation.');
    return conversation;
  }

  private ownView(userId: string, viewId: string): string {
    const view = this.emulator.workspace.views.get(viewId);
    if (!view || view.userId !== userId) throw new PlaygroundRefusal('That view is not open for you any more.');
    return view.id;
  }

  private schedulePush(): void {
    if (this.pushTimer || this.pages.size === 0) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      for (const page of this.pages) this.sendState(page);
    }, PUSH_DEBOUNCE_MS);
  }

  private sendState(page: Page): void {
    const workspace = this.emulator.workspace;
    const state = buildPlaygroundState(workspace, {
      userId: page.userId,
      actorIds: this.options.actorIds,
      pulseDm: workspace.openIm(page.userId).id,
      shortcuts: this.options.shortcuts,
      viewErrors: this.viewErrors,
    });
    this.send(page, { type: 'state', state });
  }

  private send(page: Page, frame: ServerFrame): void {
    if (page.socket.readyState === page.socket.OPEN) page.socket.send(JSON.stringify(frame));
  }
}

function refusalText(error: unknown): string {
  if (error instanceof PlaygroundRefusal) return error.message;
  if (error instanceof SlackError) return `Slack refused that: ${error.error}.`;
  return 'That did not work in the emulator; see the playground terminal.';
}
