/**
 * SlackEmulator: the server plus a driver that acts as people in the
 * workspace (DM, mention, shortcuts, App Home, buttons, modals) and lets
 * tests read back what a Slack user would see. Setting the workspace up
 * lives in driver-setup.ts and the payloads a person's actions send in
 * driver-payloads.ts; this class looks things up and sends them.
 */
import * as setup from './driver-setup.ts';
import * as payloads from './driver-payloads.ts';
import type { ActionTarget, BotUser, HistoryMessage, MessageRef, SeededWorkspace } from './driver-types.ts';
import { createSlackId } from './ids.ts';
import { richTextBlocks } from './event-payloads.ts';
import { EmulatorServer, type EmulatorOptions } from './server.ts';
import { renderMessage, renderView } from './slack-json.ts';
import type { EnvelopeType, SentEnvelope } from './socket-mode.ts';
import type { EmulatedConversation, EmulatedMessage, EmulatedUser, EmulatedView } from './types.ts';
import { isChannelLevel } from './web-api/conversations.ts';
import { SlackError } from './workspace.ts';

export type { BotUser, HistoryMessage, MessageRef, SeededWorkspace };

/** Upper bound for waitFor polling: tests must never hang. */
const DEFAULT_WAIT_MS = 10_000;
const POLL_INTERVAL_MS = 10;

export class SlackEmulator extends EmulatorServer {
  readonly seed: SeededWorkspace;

  constructor(options: EmulatorOptions = {}) {
    super(options);
    this.seed = setup.seedWorkspace(this.workspace);
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
  seedHistory(channel: string, messages: setup.SeedMessage[]): MessageRef[] {
    return setup.seedHistory(this.workspace, channel, messages);
  }

  /**
   * Puts messages in a conversation's past at their own timestamps, without
   * events (seedHistory posts at "now"; this spreads history over months).
   * Imported oldest first, so roots precede their replies whatever the order
   * given; people's typed messages get the rich_text block Slack clients add.
   * Returns refs in the order given.
   */
  importHistory(channel: string, messages: readonly HistoryMessage[]): MessageRef[] {
    return setup.importHistory(this.workspace, channel, messages);
  }

  /** A person in the workspace (as an admin invites them; no events). */
  addPerson(person: setup.PersonSetup): EmulatedUser {
    return setup.addPerson(this.workspace, person);
  }

  /** Another app's bot user (e.g. GitHub), with its own bot_id and app_id for the messages it posts. */
  addBotUser(bot: { name: string; realName: string }): BotUser {
    return setup.addBotUser(this.workspace, bot);
  }

  /**
   * A channel and its members as they stood before Pulse was listening: no
   * join events or notices. `botMember` puts Pulse in it; `archived` archives
   * it (importHistory still fills it).
   */
  createChannel(options: setup.ChannelSetup): EmulatedConversation {
    return setup.createChannel(this.workspace, options);
  }

  /** Adds people to a conversation as members from before Pulse was listening (no join events or notices). */
  addMembers(channel: string, userIds: readonly string[]): void {
    setup.addMembers(this.workspace, channel, userIds);
  }

  /**
   * A person opens Pulse in Slack's AI apps panel: Slack starts a thread in
   * their DM and sends assistant_thread_started. Returns the thread's root.
   */
  startAssistantThread(userId: string, context: { channelId?: string } = {}): MessageRef {
    const im = this.workspace.openIm(userId);
    const [root] = this.seedHistory(im.id, [{ user: this.botUserId, text: 'How can I help?', fromPulse: true }]);
    const ref = root as MessageRef;
    this.deliverEvent(
      'assistant_thread_started',
      payloads.buildAssistantThreadStartedEvent({
        userId,
        contextChannelId: context.channelId,
        teamId: this.workspace.team.id,
        imId: im.id,
        threadTs: ref.ts,
        eventTs: this.workspace.nextTs(),
      }),
    );
    return ref;
  }

  /** A person @-mentions Pulse in a channel or thread. */
  mention(userId: string, channel: string, text: string, options: { threadTs?: string } = {}): MessageRef {
    return this.post(userId, channel, `<@${this.botUserId}> ${text}`, options);
  }

  /** A person uploads a file (bytes kept) to share with their next post. */
  uploadAsUser(userId: string, name: string, bytes: Buffer, mimetype?: string): string {
    return setup.storeUpload(this.workspace, userId, name, bytes, mimetype);
  }

  private issueTrigger(userId: string): string {
    const triggerId = `${this.workspace.now()}.${createSlackId('', 8)}.${createSlackId('', 16).toLowerCase()}`;
    this.triggers.set(triggerId, { userId, issuedAt: this.workspace.now(), used: false });
    return triggerId;
  }

  private interactiveBase(userId: string, type: string): payloads.InteractiveBase {
    const user = this.workspace.requireUser(userId);
    return payloads.buildInteractiveBase(this.workspace.team, user, type, this.issueTrigger(userId));
  }

  /** A message as an interactive payload carries it, with a fresh response_url. */
  private messageSource(target: MessageRef): payloads.MessageSource {
    const message = this.workspace.requireMessage(target.channel, target.ts);
    return {
      conversation: this.workspace.requireConversation(target.channel),
      messageTs: message.ts,
      message: renderMessage(this.workspace, message, this.baseUrl),
      responseUrl: `${this.baseUrl}actions/${this.workspace.team.id}/${createSlackId('', 12)}`,
    };
  }

  /** A person picks one of Pulse's message shortcuts from a message's "…" menu. */
  runShortcut(userId: string, callbackId: string, target: MessageRef): SentEnvelope {
    const source = this.messageSource(target);
    const base = this.interactiveBase(userId, 'message_action');
    return this.socketMode.send('interactive', payloads.buildMessageShortcutPayload(base, callbackId, this.workspace.nextTs(), source));
  }

  /** A person opens Pulse's App Home tab. */
  openHome(userId: string, tab: 'home' | 'messages' = 'home'): SentEnvelope | undefined {
    const im = this.workspace.openIm(userId);
    const view = tab === 'home' ? this.homeView(userId) : undefined;
    const opened = { userId, imId: im.id, tab, eventTs: this.workspace.nextTs() };
    return this.deliverEvent('app_home_opened', payloads.buildAppHomeOpenedEvent(opened, view && renderView(this.workspace, view)));
  }

  /** A person clicks a button in a view (App Home or modal) or in a message. */
  clickButton(userId: string, target: ActionTarget, action: payloads.ButtonClick): SentEnvelope {
    const blockId = this.blockIdFor(target, action);
    return this.sendBlockAction(userId, target, payloads.buildButtonAction(action, blockId, this.workspace.nextTs()));
  }

  /** A person picks an option in a static_select (App Home or message). */
  selectOption(userId: string, target: ActionTarget, action: payloads.OptionPick): SentEnvelope {
    const blockId = this.blockIdFor(target, action);
    return this.sendBlockAction(userId, target, payloads.buildStaticSelectAction(action, blockId, this.workspace.nextTs()));
  }

  /** A person picks an item of an overflow menu (the "…" of an App Home row or a message). */
  chooseOverflow(userId: string, target: ActionTarget, action: payloads.OverflowPick): SentEnvelope {
    const blockId = this.blockIdFor(target, action);
    return this.sendBlockAction(userId, target, payloads.buildOverflowAction(action, blockId, this.workspace.nextTs()));
  }

  /** The block_id given, else the one holding the action, else a random one, as Slack gives a block sent without one. */
  private blockIdFor(target: ActionTarget, action: { actionId: string; blockId?: string }): string {
    if (action.blockId !== undefined) return action.blockId;
    const blocks =
      'viewId' in target
        ? (this.workspace.views.get(target.viewId)?.view.blocks as unknown[] | undefined)
        : this.workspace.findMessage(target.channel, target.ts)?.blocks;
    return payloads.findActionBlockId(blocks, action.actionId) ?? createSlackId('', 5);
  }

  private sendBlockAction(userId: string, target: ActionTarget, action: Record<string, unknown>): SentEnvelope {
    const base = this.interactiveBase(userId, 'block_actions');
    if ('viewId' in target) {
      const view = this.requireView(target.viewId);
      return this.socketMode.send('interactive', payloads.buildViewBlockActionsPayload(base, renderView(this.workspace, view), view.id, action));
    }
    return this.socketMode.send('interactive', payloads.buildMessageBlockActionsPayload(base, this.messageSource(target), action));
  }

  /**
   * A person types into a modal's inputs and presses Submit (buildSubmittedState
   * says what the submission's state holds). Resolves with the app's ack
   * payload (e.g. response_action).
   */
  async submitView(userId: string, viewId: string, values: payloads.TypedValues) {
    const view = this.requireView(viewId);
    Object.assign(view.state, payloads.buildSubmittedState(view.view.blocks, view.state, values));
    const base = this.interactiveBase(userId, 'view_submission');
    const envelope = this.socketMode.send('interactive', payloads.buildViewSubmissionPayload(base, renderView(this.workspace, view)));
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
