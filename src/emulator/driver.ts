/**
 * SlackEmulator: the server plus a driver that acts as people in the
 * workspace (DM, mention, shortcuts, App Home, buttons, modals) and lets
 * tests read back what a Slack user would see.
 */
import { compareTs, createSlackId } from './ids.ts';
import { richTextBlocks } from './event-payloads.ts';
import { EmulatorServer, type EmulatorOptions } from './server.ts';
import { renderMessage, renderView } from './slack-json.ts';
import type { EnvelopeType, SentEnvelope } from './socket-mode.ts';
import type { EmulatedConversation, EmulatedMessage, EmulatedUser, EmulatedView, ImportedMessage } from './types.ts';
import { isChannelLevel } from './web-api/conversations.ts';
import { SlackError } from './workspace.ts';

/** Upper bound for waitFor polling: tests must never hang. */
const DEFAULT_WAIT_MS = 10_000;
const POLL_INTERVAL_MS = 10;

export interface MessageRef {
  channel: string;
  ts: string;
}

export interface SeededWorkspace {
  admin: EmulatedUser;
  alice: EmulatedUser;
  bob: EmulatedUser;
  general: EmulatedConversation;
  random: EmulatedConversation;
  leads: EmulatedConversation;
}

/** One message of a conversation's past for importHistory (the conversation is given once). */
export type HistoryMessage = Omit<ImportedMessage, 'channel'>;

export type BotUser = EmulatedUser & { botId: string; appId: string };

export class SlackEmulator extends EmulatorServer {
  readonly seed: SeededWorkspace;

  constructor(options: EmulatorOptions = {}) {
    super(options);
    const workspace = this.workspace;
    const admin = workspace.addUser({ name: 'ada', realName: 'Ada Admin', isAdmin: true, isOwner: true, isPrimaryOwner: true });
    const alice = workspace.addUser({ name: 'alice', realName: 'Alice Smith', displayName: 'alice' });
    const bob = workspace.addUser({ name: 'bob', realName: 'Bob Jones', displayName: 'bob', tz: 'America/New_York' });
    const everyone = [admin.id, alice.id, bob.id];
    this.seed = {
      admin,
      alice,
      bob,
      general: workspace.createConversation({ name: 'general', members: [...everyone, workspace.bot.id], isGeneral: true }),
      random: workspace.createConversation({ name: 'random', members: everyone }),
      leads: workspace.createConversation({ name: 'leads', kind: 'private', members: [admin.id, workspace.bot.id] }),
    };
  }

  get botUserId(): string {
    return this.workspace.bot.id;
  }

  /** A person sends a DM to Pulse (top level, or in a DM thread). */
  dm(userId: string, text: string, options: { threadTs?: string } = {}): MessageRef {
    const im = this.workspace.openIm(userId);
    return this.post(userId, im.id, text, options);
  }

  /** A person posts in a conversation, as the Slack client does. */
  post(userId: string, channel: string, text: string, options: { threadTs?: string; fileIds?: string[] } = {}): MessageRef {
    this.workspace.requireUser(userId);
    const conversation = this.workspace.requireConversation(channel);
    if (!conversation.members.has(userId)) throw new SlackError('not_in_channel');
    const message = this.workspace.postMessage({
      channel,
      user: userId,
      text,
      threadTs: options.threadTs,
      blocks: richTextBlocks(text),
      fileIds: options.fileIds,
      ...(options.fileIds?.length ? { subtype: 'file_share' } : {}),
    });
    return { channel, ts: message.ts };
  }

  /** Puts messages in a conversation's past without sending events (history from before Pulse was listening). */
  seedHistory(
    channel: string,
    messages: { user: string; text: string; threadTs?: string; fromPulse?: boolean; fileIds?: string[] }[],
  ): MessageRef[] {
    return this.workspace.silently(() =>
      messages.map((message) => {
        const posted = this.workspace.postMessage({
          channel,
          user: message.fromPulse ? this.botUserId : message.user,
          text: message.text,
          threadTs: message.threadTs,
          fileIds: message.fileIds,
          ...(message.fromPulse ? { botId: this.workspace.bot.botId } : { blocks: richTextBlocks(message.text) }),
        });
        return { channel, ts: posted.ts };
      }),
    );
  }

  /**
   * Puts messages in a conversation's past at their own timestamps, without
   * events (seedHistory posts at "now"; this spreads history over months).
   * Imported oldest first, so roots precede their replies whatever the order
   * given; people's typed messages get the rich_text block Slack clients add.
   * Returns refs in the order given.
   */
  importHistory(channel: string, messages: readonly HistoryMessage[]): MessageRef[] {
    const oldestFirst = [...messages].sort((a, b) => compareTs(a.ts, b.ts));
    for (const message of oldestFirst) {
      const typed = !message.botId && (message.subtype === undefined || message.subtype === 'thread_broadcast');
      this.workspace.importMessage({
        ...message,
        channel,
        ...(typed && message.blocks === undefined ? { blocks: richTextBlocks(message.text) } : {}),
      });
    }
    return messages.map((message) => ({ channel, ts: message.ts }));
  }

  /** A person in the workspace (as an admin invites them; no events). */
  addPerson(person: { name: string; realName: string; isAdmin?: boolean; tz?: string }): EmulatedUser {
    return this.workspace.addUser({
      name: person.name,
      realName: person.realName,
      displayName: person.name,
      ...(person.isAdmin !== undefined ? { isAdmin: person.isAdmin } : {}),
      ...(person.tz !== undefined ? { tz: person.tz } : {}),
    });
  }

  /** Another app's bot user (e.g. GitHub), with its own bot_id and app_id for the messages it posts. */
  addBotUser(bot: { name: string; realName: string }): BotUser {
    const user = this.workspace.addUser({ name: bot.name, realName: bot.realName, isBot: true });
    user.botId = this.workspace.newId('B');
    user.appId = this.workspace.newId('A');
    return user as BotUser;
  }

  /**
   * A channel and its members as they stood before Pulse was listening: no
   * join events or notices. `botMember` puts Pulse in it; `archived` archives
   * it (importHistory still fills it).
   */
  createChannel(options: {
    name: string;
    kind: 'public' | 'private';
    members: readonly string[];
    archived?: boolean;
    botMember?: boolean;
  }): EmulatedConversation {
    for (const id of options.members) this.workspace.requireUser(id);
    if ([...this.workspace.conversations.values()].some((conversation) => conversation.name === options.name)) {
      throw new SlackError('name_taken');
    }
    const conversation = this.workspace.createConversation({
      name: options.name,
      kind: options.kind,
      members: [...options.members, ...(options.botMember ? [this.botUserId] : [])],
    });
    if (options.archived) this.workspace.archiveConversation(conversation.id);
    return conversation;
  }

  /** Adds people to a conversation as members from before Pulse was listening (no join events or notices). */
  addMembers(channel: string, userIds: readonly string[]): void {
    const conversation = this.workspace.requireConversation(channel);
    for (const id of userIds) conversation.members.add(this.workspace.requireUser(id).id);
  }

  /**
   * A person opens Pulse in Slack's AI apps panel: Slack starts a thread in
   * their DM and sends assistant_thread_started. Returns the thread's root.
   */
  startAssistantThread(userId: string, context: { channelId?: string } = {}): MessageRef {
    const im = this.workspace.openIm(userId);
    const [root] = this.seedHistory(im.id, [{ user: this.botUserId, text: 'How can I help?', fromPulse: true }]);
    const ref = root as MessageRef;
    this.deliverEvent('assistant_thread_started', {
      type: 'assistant_thread_started',
      assistant_thread: {
        user_id: userId,
        context: { channel_id: context.channelId ?? null, team_id: this.workspace.team.id, enterprise_id: null },
        channel_id: im.id,
        thread_ts: ref.ts,
      },
      event_ts: this.workspace.nextTs(),
    });
    return ref;
  }

  /** A person @-mentions Pulse in a channel or thread. */
  mention(userId: string, channel: string, text: string, options: { threadTs?: string } = {}): MessageRef {
    return this.post(userId, channel, `<@${this.botUserId}> ${text}`, options);
  }

  /** A person uploads a file (bytes kept) to share with their next post. */
  uploadAsUser(userId: string, name: string, bytes: Buffer, mimetype?: string): string {
    const id = this.workspace.newId('F');
    this.workspace.files.set(id, {
      id,
      name,
      title: name,
      mimetype: mimetype ?? 'application/octet-stream',
      filetype: name.split('.').pop() ?? 'binary',
      prettyType: (name.split('.').pop() ?? 'binary').toUpperCase(),
      user: userId,
      created: this.workspace.nowSeconds(),
      bytes,
      channels: [],
      completed: true,
      declaredLength: bytes.length,
    });
    return id;
  }

  private issueTrigger(userId: string): string {
    const triggerId = `${this.workspace.now()}.${createSlackId('', 8)}.${createSlackId('', 16).toLowerCase()}`;
    this.triggers.set(triggerId, { userId, issuedAt: this.workspace.now(), used: false });
    return triggerId;
  }

  private interactiveBase(userId: string, type: string) {
    const user = this.workspace.requireUser(userId);
    return {
      type,
      team: { id: this.workspace.team.id, domain: this.workspace.team.domain },
      user: { id: user.id, username: user.name, name: user.name, team_id: this.workspace.team.id },
      api_app_id: this.workspace.team.appId,
      token: 'emulated-verification-token',
      trigger_id: this.issueTrigger(userId),
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  /** A person picks one of Pulse's message shortcuts from a message's "…" menu. */
  runShortcut(userId: string, callbackId: string, target: MessageRef): SentEnvelope {
    const message = this.workspace.requireMessage(target.channel, target.ts);
    const conversation = this.workspace.requireConversation(target.channel);
    const rendered = renderMessage(this.workspace, message, this.baseUrl);
    // A message_action names its user by id and name only and carries no api_app_id
    // (slack-field-samples MessageShortcutPayload, bolt-python tests/scenario_tests/test_shortcut.py).
    const { api_app_id: _appId, user, ...base } = this.interactiveBase(userId, 'message_action');
    return this.socketMode.send('interactive', {
      ...base,
      user: { id: user.id, name: user.name, team_id: user.team_id },
      action_ts: this.workspace.nextTs(),
      callback_id: callbackId,
      response_url: `${this.baseUrl}actions/${this.workspace.team.id}/${createSlackId('', 12)}`,
      message_ts: message.ts,
      message: rendered,
      channel: { id: conversation.id, name: conversation.kind === 'im' ? 'directmessage' : conversation.name },
    });
  }

  /** A person opens Pulse's App Home tab. */
  openHome(userId: string, tab: 'home' | 'messages' = 'home'): SentEnvelope | undefined {
    const im = this.workspace.openIm(userId);
    const homeViewId = this.workspace.homeViews.get(userId);
    const view = homeViewId ? this.workspace.views.get(homeViewId) : undefined;
    return this.deliverEvent('app_home_opened', {
      type: 'app_home_opened',
      user: userId,
      channel: im.id,
      tab,
      event_ts: this.workspace.nextTs(),
      ...(tab === 'home' && view ? { view: renderView(this.workspace, view) } : {}),
    });
  }

  /** A person clicks a button in a view (App Home or modal) or in a message. */
  clickButton(
    userId: string,
    target: { viewId: string } | MessageRef,
    action: { actionId: string; blockId?: string; value?: string },
  ): SentEnvelope {
    return this.sendBlockAction(userId, target, {
      type: 'button',
      action_id: action.actionId,
      block_id: action.blockId ?? this.findBlockId(target, action.actionId) ?? createSlackId('', 5),
      text: { type: 'plain_text', text: action.actionId, emoji: true },
      ...(action.value !== undefined ? { value: action.value } : {}),
      action_ts: this.workspace.nextTs(),
    });
  }

  /** A person picks an option in a static_select (App Home or message). */
  selectOption(
    userId: string,
    target: { viewId: string } | MessageRef,
    action: { actionId: string; value: string; text?: string; blockId?: string },
  ): SentEnvelope {
    return this.sendBlockAction(userId, target, {
      type: 'static_select',
      action_id: action.actionId,
      block_id: action.blockId ?? this.findBlockId(target, action.actionId) ?? createSlackId('', 5),
      selected_option: { text: { type: 'plain_text', text: action.text ?? action.value, emoji: true }, value: action.value },
      action_ts: this.workspace.nextTs(),
    });
  }

  /** A person picks an item of an overflow menu (the "…" of an App Home row or a message). */
  chooseOverflow(userId: string, target: { viewId: string } | MessageRef, action: { actionId: string; value: string; blockId?: string }): SentEnvelope {
    return this.sendBlockAction(userId, target, {
      type: 'overflow',
      action_id: action.actionId,
      block_id: action.blockId ?? this.findBlockId(target, action.actionId) ?? createSlackId('', 5),
      selected_option: { text: { type: 'plain_text', text: action.value, emoji: true }, value: action.value },
      action_ts: this.workspace.nextTs(),
    });
  }

  private sendBlockAction(userId: string, target: { viewId: string } | MessageRef, action: Record<string, unknown>): SentEnvelope {
    const base = this.interactiveBase(userId, 'block_actions');
    if ('viewId' in target) {
      const view = this.requireView(target.viewId);
      return this.socketMode.send('interactive', {
        ...base,
        container: { type: 'view', view_id: view.id },
        view: renderView(this.workspace, view),
        actions: [action],
      });
    }
    const message = this.workspace.requireMessage(target.channel, target.ts);
    const conversation = this.workspace.requireConversation(target.channel);
    return this.socketMode.send('interactive', {
      ...base,
      container: { type: 'message', message_ts: message.ts, channel_id: conversation.id, is_ephemeral: false },
      channel: { id: conversation.id, name: conversation.kind === 'im' ? 'directmessage' : conversation.name },
      message: renderMessage(this.workspace, message, this.baseUrl),
      response_url: `${this.baseUrl}actions/${this.workspace.team.id}/${createSlackId('', 12)}`,
      actions: [action],
    });
  }

  /**
   * A person types into a modal's inputs (block_id → action_id → value) and
   * presses Submit. Resolves with the app's ack payload (e.g. response_action).
   */
  /**
   * A person submits a modal. As in Slack, the submission's state holds every
   * input block: what `values` sets (a text input's text, or the value of the
   * static_select / radio option to pick), else the element's initial value.
   */
  async submitView(userId: string, viewId: string, values: Record<string, Record<string, string>>) {
    const view = this.requireView(viewId);
    for (const block of (view.view.blocks ?? []) as InputBlockLike[]) {
      if (block.type !== 'input' || !block.block_id || !block.element?.action_id) continue;
      const typed = values[block.block_id]?.[block.element.action_id];
      view.state[block.block_id] = { ...view.state[block.block_id], [block.element.action_id]: inputState(block.element, typed) };
    }
    for (const [blockId, actions] of Object.entries(values)) {
      for (const [actionId, value] of Object.entries(actions)) {
        if (view.state[blockId]?.[actionId] === undefined) {
          view.state[blockId] = { ...view.state[blockId], [actionId]: { type: 'plain_text_input', value } };
        }
      }
    }
    const envelope = this.socketMode.send('interactive', {
      ...this.interactiveBase(userId, 'view_submission'),
      view: renderView(this.workspace, view),
      response_urls: [],
    });
    const ack = await envelope.acked;
    const action = ack?.response_action;
    if (action === undefined || action === 'clear') view.closed = true;
    return ack;
  }

  private requireView(viewId: string): EmulatedView {
    const view = this.workspace.views.get(viewId);
    if (!view) throw new Error(`No view ${viewId} in the emulator`);
    return view;
  }

  private findBlockId(target: { viewId: string } | MessageRef, actionId: string): string | undefined {
    const blocks =
      'viewId' in target
        ? (this.workspace.views.get(target.viewId)?.view.blocks as unknown[] | undefined)
        : this.workspace.findMessage(target.channel, target.ts)?.blocks;
    for (const block of blocks ?? []) {
      const record = block as { block_id?: string; elements?: { action_id?: string }[]; accessory?: { action_id?: string } };
      if (record.accessory?.action_id === actionId || record.elements?.some((element) => element.action_id === actionId)) {
        return record.block_id;
      }
    }
    return undefined;
  }

  // ——— What a Slack user would see ———

  /** Channel-level messages of a conversation (broadcast replies included), or one thread (root first), oldest first. */
  messages(channel: string, options: { threadTs?: string } = {}): EmulatedMessage[] {
    if (options.threadTs !== undefined) return this.workspace.threadOf(channel, options.threadTs);
    return this.workspace.listMessages(channel).filter(isChannelLevel);
  }

  /** Messages Pulse posted in a thread (excluding the root). */
  botReplies(ref: MessageRef): EmulatedMessage[] {
    const rootTs = this.workspace.findMessage(ref.channel, ref.ts)?.threadTs ?? ref.ts;
    return this.workspace.threadOf(ref.channel, rootTs).filter((message) => message.botId !== undefined && message.ts !== rootTs);
  }

  /** Reaction names on a message, each with who reacted. */
  reactions(ref: MessageRef): Record<string, string[]> {
    const message = this.workspace.requireMessage(ref.channel, ref.ts);
    return Object.fromEntries(message.reactions.map((reaction) => [reaction.name, [...reaction.users]]));
  }

  homeView(userId: string): EmulatedView | undefined {
    const id = this.workspace.homeViews.get(userId);
    return id ? this.workspace.views.get(id) : undefined;
  }

  openModals(userId: string): EmulatedView[] {
    return [...this.workspace.views.values()].filter((view) => view.userId === userId && view.type === 'modal' && !view.closed);
  }

  callsTo(method: string) {
    return this.calls.filter((call) => call.method === method);
  }

  imChannel(userId: string): string {
    return this.workspace.openIm(userId).id;
  }

  /**
   * Pushes an envelope over Socket Mode exactly as given, for input Slack would
   * never send (fuzz tests): any envelope type, any payload. Acks and
   * redelivery work as for every other envelope.
   */
  sendRawEnvelope(type: EnvelopeType | (string & {}), payload: Record<string, unknown>): SentEnvelope {
    // An unknown type goes out as written: that is the point of sending it.
    return this.socketMode.send(type as EnvelopeType, payload);
  }

  /** Polls until `check` returns a value other than undefined/false (bounded). */
  async waitFor<T>(check: () => T | undefined | false, options: { timeoutMs?: number; what?: string } = {}): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_WAIT_MS);
    for (;;) {
      const result = check();
      if (result !== undefined && result !== false) return result;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${options.what ?? 'a condition'} in the Slack emulator`);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
}

export async function startSlackEmulator(options: EmulatorOptions = {}): Promise<SlackEmulator> {
  return new SlackEmulator(options).start();
}

interface OptionLike {
  text: unknown;
  value: string;
}

interface InputBlockLike {
  type: string;
  block_id?: string;
  element?: {
    type: string;
    action_id?: string;
    initial_value?: string;
    initial_option?: OptionLike;
    options?: OptionLike[];
    initial_conversation?: string;
    initial_date?: string;
  };
}

/** An input element's state as a view_submission carries it (block_id → action_id → this). */
function inputState(element: NonNullable<InputBlockLike['element']>, typed: string | undefined): Record<string, unknown> {
  if (element.type === 'static_select' || element.type === 'radio_buttons') {
    const picked = typed === undefined ? element.initial_option : element.options?.find((option) => option.value === typed);
    if (typed !== undefined && !picked) throw new Error(`No option "${typed}" in ${element.action_id ?? 'the element'}`);
    return { type: element.type, selected_option: picked ?? null };
  }
  if (element.type === 'conversations_select') return { type: element.type, selected_conversation: typed ?? element.initial_conversation ?? null };
  if (element.type === 'datepicker') return { type: element.type, selected_date: typed ?? element.initial_date ?? null };
  return { type: element.type, value: typed ?? element.initial_value ?? null };
}
