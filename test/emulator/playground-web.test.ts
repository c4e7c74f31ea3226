/**
 * The playground's WebSocket bridge, without a browser: a `ws` client acts
 * as the page against the emulator with the playground mounted, and checks
 * the states it is sent, what reached the workspace and Socket Mode, and the
 * refusals (wrong person, wrong conversation, archived channel, bad frames,
 * another site's origin).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/driver.ts';
import { PlaygroundWeb } from '../../src/playground/playground-web.ts';
import type { ClientFrame, PlaygroundState, ServerFrame } from '../../src/playground/protocol.ts';
import { PLAYGROUND_SOCKET_PATH } from '../../src/playground/protocol.ts';

const WAIT_MS = 5_000;

let emulator: SlackEmulator;
let web: PlaygroundWeb;

beforeEach(async () => {
  emulator = await startSlackEmulator();
  web = new PlaygroundWeb(emulator, {
    actorIds: [emulator.seed.admin.id, emulator.seed.alice.id],
    shortcuts: [{ callbackId: 'ask_pulse', name: 'Ask Pulse' }],
  });
});

afterEach(async () => {
  web.close();
  await emulator.stop();
});

interface PageClient {
  frames: ServerFrame[];
  send(frame: ClientFrame | Record<string, unknown> | string): void;
  /** The next frame after those already seen that passes `check`. */
  next<T extends ServerFrame>(check: (frame: ServerFrame) => frame is T): Promise<T>;
  nextState(check?: (state: PlaygroundState) => boolean): Promise<PlaygroundState>;
  close(): void;
}

async function connect(origin?: string): Promise<PageClient> {
  const socket = new WebSocket(`${emulator.baseUrl.replace('http', 'ws').replace(/\/$/, '')}${PLAYGROUND_SOCKET_PATH}`, {
    ...(origin ? { origin } : {}),
  });
  const frames: ServerFrame[] = [];
  let seen = 0;
  const listeners = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as ServerFrame);
    for (const listener of listeners) listener();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = <T extends ServerFrame>(check: (frame: ServerFrame) => frame is T) =>
    new Promise<T>((resolve, reject) => {
      const look = () => {
        while (seen < frames.length) {
          const frame = frames[seen] as ServerFrame;
          seen += 1;
          if (check(frame)) {
            listeners.delete(look);
            clearTimeout(timer);
            resolve(frame);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(look);
        reject(new Error(`No such frame; got ${JSON.stringify(frames.slice(-3)).slice(0, 500)}`));
      }, WAIT_MS);
      listeners.add(look);
      look();
    });
  return {
    frames,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next,
    nextState: async (check = () => true) =>
      (await next((frame): frame is Extract<ServerFrame, { type: 'state' }> => frame.type === 'state' && check(frame.state))).state,
    close: () => socket.close(),
  };
}

const isError = (frame: ServerFrame): frame is Extract<ServerFrame, { type: 'error' }> => frame.type === 'error';

describe('the playground bridge', () => {
  it('sends the acting person the conversations they are in, and their DM with Pulse', async () => {
    const page = await connect();
    const state = await page.nextState();
    const { admin, alice, general, random, leads } = emulator.seed;
    expect(state.me.id).toBe(admin.id);
    expect(state.actors.map((actor) => [actor.id, actor.isAdmin])).toEqual([
      [admin.id, true],
      [alice.id, false],
    ]);
    const listed = Object.fromEntries(state.conversations.map((conversation) => [conversation.id, conversation.isMember]));
    expect(listed[general.id]).toBe(true);
    expect(listed[leads.id]).toBe(true);
    expect(state.conversations.find((conversation) => conversation.id === state.pulseDm)).toMatchObject({ kind: 'im', name: 'Pulse' });
    // Messages come for exactly the conversations the person is in.
    expect(Object.keys(state.messages).sort()).toEqual(
      state.conversations.filter((conversation) => conversation.isMember).map((conversation) => conversation.id).sort(),
    );
    expect(listed[random.id]).toBe(true);

    page.send({ type: 'act_as', userId: alice.id });
    const asAlice = await page.nextState((next) => next.me.id === alice.id);
    // #leads is private and Alice is not in it: the page does not even learn its name.
    expect(asAlice.conversations.some((conversation) => conversation.id === leads.id)).toBe(false);
    expect(asAlice.pulseDm).not.toBe(state.pulseDm);
    page.close();
  });

  it('posts as the acting person, turning @Pulse and @handles into mentions, and Pulse is told', async () => {
    const page = await connect();
    await page.nextState();
    const { general, alice, admin } = emulator.seed;

    page.send({ type: 'post', channel: general.id, text: '@Pulse what did @alice ship? (mail me at x@alice.dev)' });

    const state = await page.nextState((next) => (next.messages[general.id] ?? []).length > 0);
    const [posted] = state.messages[general.id] ?? [];
    expect(posted).toMatchObject({ user: admin.id, userName: 'Ada Admin', isBot: false });
    expect(posted?.text).toBe(`<@${emulator.botUserId}> what did <@${alice.id}> ship? (mail me at x@alice.dev)`);
    // The emulator delivered it to the app as Slack would: an app_mention and a message event.
    const events = emulator.socketMode.history.map((envelope) => (envelope.payload as { event?: { type?: string } }).event?.type);
    expect(events).toEqual(expect.arrayContaining(['app_mention', 'message']));
    page.close();
  });

  it('toggles the acting person\'s reaction', async () => {
    const page = await connect();
    await page.nextState();
    const { general, admin } = emulator.seed;
    const ref = emulator.post(admin.id, general.id, 'Ship it');

    page.send({ type: 'react', channel: general.id, ts: ref.ts, name: ':tada:' });
    const reacted = await page.nextState((next) => (next.messages[general.id]?.[0]?.reactions.length ?? 0) > 0);
    expect(reacted.messages[general.id]?.[0]?.reactions).toEqual([{ name: 'tada', count: 1, users: [admin.id], mine: true }]);

    page.send({ type: 'react', channel: general.id, ts: ref.ts, name: 'tada' });
    await page.nextState((next) => next.messages[general.id]?.[0]?.reactions.length === 0);
    expect(emulator.reactions(ref)).toEqual({});
    page.close();
  });

  it('refuses what the acting person could not do in Slack, and says why', async () => {
    const page = await connect();
    await page.nextState();
    const { general, bob } = emulator.seed;
    const archived = emulator.createChannel({ name: 'old-news', kind: 'public', members: [emulator.seed.admin.id], archived: true });

    const cases: [ClientFrame | string, RegExp][] = [
      [{ type: 'act_as', userId: bob.id }, /only act as the people listed/],
      [{ type: 'post', channel: archived.id, text: 'hello?' }, /archived/],
      [{ type: 'post', channel: general.id, text: '   ' }, /Type a message/],
      [{ type: 'post', channel: 'C0NOTHERE', text: 'hi' }, /not in that conversation/],
      [{ type: 'open_dm', userId: bob.id }, /DM Pulse/],
      [{ type: 'shortcut', callbackId: 'delete_everything', channel: general.id, ts: '1.000001' }, /no such shortcut/],
      [{ type: 'submit_view', viewId: 'V0NOPE', values: {} }, /not open for you/],
      ['{not json', /does not understand/],
      [JSON.stringify({ type: 'post', channel: general.id }), /does not understand/],
    ];
    for (const [frame, expected] of cases) {
      page.send(frame);
      const error = await page.next(isError);
      expect(error.message, JSON.stringify(frame)).toMatch(expected);
    }
    // Nothing was posted anywhere.
    expect(emulator.messages(general.id)).toEqual([]);
    expect(emulator.messages(archived.id)).toEqual([]);
    page.close();
  });

  it('serves files shared where the page\'s people are, without the bot token, as a download unless an image', async () => {
    const { admin, general, bob } = emulator.seed;
    const fileId = emulator.uploadAsUser(admin.id, 'figures.csv', Buffer.from('week,deploys\nW1,3\n'), 'text/csv');
    emulator.post(admin.id, general.id, 'the figures', { fileIds: [fileId] });
    const unshared = emulator.uploadAsUser(admin.id, 'draft.csv', Buffer.from('x\n'), 'text/csv');
    const elsewhere = emulator.createChannel({ name: 'bobs-corner', kind: 'private', members: [bob.id] });
    const bobsFile = emulator.uploadAsUser(bob.id, 'bob.csv', Buffer.from('y\n'), 'text/csv');
    emulator.post(bob.id, elsewhere.id, 'mine', { fileIds: [bobsFile] });

    const response = await fetch(`${web.url}files/${fileId}/figures.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="figures.csv"');
    expect(await response.text()).toBe('week,deploys\nW1,3\n');
    expect((await fetch(`${web.url}files/F0MISSING/x.png`)).status).toBe(404);
    expect((await fetch(`${web.url}files/${unshared}/draft.csv`)).status).toBe(404);
    expect((await fetch(`${web.url}files/${bobsFile}/bob.csv`)).status).toBe(404);
  });

  it('refuses a WebSocket from another site open in the same browser', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow(/403/);
  });
});
