/**
 * The playground page: a minimal Slack look-alike driven by the state frames
 * of the playground server. Each frame replaces the state; the page draws
 * what changed and keeps what the person is doing (typing, scrolling, an
 * open menu or modal field) across frames.
 */
import type { ClientFrame, PlaygroundConversation, PlaygroundMessage, PlaygroundState, ServerFrame } from '../protocol.ts';
import { AppHomePane } from './app-home-pane.ts';
import { Composer } from './composer.ts';
import { h, replaceChildren } from './create-element.ts';
import { dayKeyOf, describeDay, describeReplies, threadMessages, topLevelMessages } from './message-threads.ts';
import { MessagePane } from './message-pane.ts';
import { ModalStack } from './modal-stack.ts';
import { keepSelection, selectConversation, shownConversationId, type Selection } from './page-selection.ts';
import { PlaygroundSocket, type ConnectionState } from './playground-socket.ts';
import { closeMenu } from './popup-menu.ts';
import type { KeyedItem } from './keyed-list.ts';
import type { BlockContext } from './render-blocks.ts';
import { renderMessage, type MessageHandlers } from './render-message.ts';
import { renderChannelHeader } from './render-channel-header.ts';
import { renderSidebar } from './render-sidebar.ts';
import { showToast } from './toasts.ts';
import { buildWorkspaceNames, describeActor, mentionCandidates, type WorkspaceNames } from './workspace-names.ts';

/** A short fingerprint of a long string, to tell renders apart cheaply. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash.toString(36);
}

class PlaygroundPage {
  private state: PlaygroundState | undefined;
  private selection: Selection | undefined;
  private thread: { channel: string; ts: string } | undefined;
  private names: WorkspaceNames = buildWorkspaceNames({ people: [], bot: { id: '', name: 'Pulse' }, conversations: [] });
  /** Changes when names, conversations, the acting person or shortcuts do: everything drawn with them is redrawn. */
  private version = '';
  private sidebarSignature = '';
  private headerSignature = '';
  private threadSignature = '';
  private readonly messageDrafts = new Map<string, Map<string, string>>();

  private readonly socket = new PlaygroundSocket({ frame: (frame) => this.receive(frame), status: (state, retry) => this.showStatus(state, retry) });
  private readonly connection = h('span', { class: 'connection', 'data-testid': 'connection', 'data-state': 'connecting', role: 'status' }, 'Connecting…');
  private readonly actAs = h('select', { 'data-testid': 'act-as', 'aria-label': 'Act as', onchange: () => this.switchPerson() });
  private readonly sidebar = h('aside', { class: 'sidebar' });
  private readonly header = h('div', { class: 'channel-header' });
  private readonly mainPane = new MessagePane('main-messages');
  private readonly home = new AppHomePane();
  private readonly composer = new Composer({
    testId: 'composer',
    send: (text) => this.post(text),
    candidates: (query) => (this.state ? mentionCandidates(this.state, query) : []),
  });
  private readonly threadPane = new MessagePane('thread-messages');
  private readonly threadHeader = h('div', { class: 'thread-header' });
  private readonly threadComposer = new Composer({
    testId: 'thread-composer',
    send: (text) => this.post(text, this.thread?.ts),
    candidates: (query) => (this.state ? mentionCandidates(this.state, query) : []),
  });
  private readonly threadAside = h('aside', { class: 'thread-pane', 'data-testid': 'thread-pane', hidden: true }, this.threadHeader, this.threadPane.element, this.threadComposer.element);
  private readonly modals = new ModalStack();

  mount(root: HTMLElement): void {
    replaceChildren(
      root,
      h(
        'header',
        { class: 'topbar' },
        h('div', { class: 'topbar-side' }, this.connection),
        h('div', { class: 'topbar-title' }, 'Pulse playground', h('span', { class: 'muted' }, ' · a local Slack emulator')),
        h('label', { class: 'topbar-side act-as' }, h('span', {}, 'Acting as'), this.actAs),
      ),
      h(
        'div',
        { class: 'workspace' },
        this.sidebar,
        h('main', { class: 'main' }, this.header, this.mainPane.element, this.home.element, this.composer.element),
        this.threadAside,
      ),
      this.modals.element,
    );
    root.classList.remove('loading');
    this.socket.connect();
  }

  private send(frame: ClientFrame): void {
    if (!this.socket.send(frame)) showToast('Not connected to the playground: reconnecting, try again in a moment.');
  }

  private showStatus(state: ConnectionState, retryInMs?: number): void {
    this.connection.dataset.state = state;
    this.connection.textContent =
      state === 'open' ? 'Connected' : state === 'connecting' ? 'Connecting…' : `Disconnected: retrying in ${Math.ceil((retryInMs ?? 0) / 1000)} s`;
    // A fresh connection gets a fresh state; the Home tab asks Pulse for its view again.
    if (state === 'open' && this.selection?.kind === 'pulse' && this.selection.tab === 'home') this.send({ type: 'open_home' });
  }

  private receive(frame: ServerFrame): void {
    if (frame.type === 'state') this.applyState(frame.state);
    else if (frame.type === 'error') showToast(frame.message);
    else if (frame.type === 'opened' && this.state) this.select(selectConversation(frame.channel, this.state));
  }

  private applyState(state: PlaygroundState): void {
    this.state = state;
    this.names = buildWorkspaceNames(state);
    this.version = fingerprint(JSON.stringify([state.me.id, state.people, state.bot, state.conversations, state.shortcuts]));
    this.selection = keepSelection(this.selection, state);
    if (this.thread && !state.messages[this.thread.channel]?.some((message) => message.ts === this.thread?.ts)) this.thread = undefined;
    this.render();
  }

  private select(selection: Selection): void {
    if (!this.state) return;
    const wasHome = this.selection?.kind === 'pulse' && this.selection.tab === 'home';
    const isHome = selection.kind === 'pulse' && selection.tab === 'home';
    const before = this.selection ? shownConversationId(this.selection, this.state) : undefined;
    this.selection = selection;
    if (shownConversationId(selection, this.state) !== before) this.thread = undefined;
    closeMenu();
    if (isHome && !wasHome) this.send({ type: 'open_home' });
    this.render();
    this.composer.focus();
  }

  private switchPerson(): void {
    this.thread = undefined;
    this.send({ type: 'act_as', userId: this.actAs.value });
    if (this.selection?.kind === 'pulse' && this.selection.tab === 'home') this.send({ type: 'open_home' });
  }

  private post(text: string, threadTs?: string): void {
    const channel = threadTs !== undefined ? this.thread?.channel : this.state && this.selection ? shownConversationId(this.selection, this.state) : undefined;
    if (!channel) return;
    this.send({ type: 'post', channel, text, ...(threadTs !== undefined ? { threadTs } : {}) });
    (threadTs !== undefined ? this.threadPane : this.mainPane).followBottom();
  }

  private render(): void {
    const state = this.state;
    const selection = this.selection;
    if (!state || !selection) return;
    this.renderActAs(state);
    const sidebarSignature = `${this.version}|${JSON.stringify(selection)}|${state.team.name}`;
    if (sidebarSignature !== this.sidebarSignature) {
      this.sidebarSignature = sidebarSignature;
      replaceChildren(
        this.sidebar,
        renderSidebar(state, selection, {
          openConversation: (id) => this.select(selectConversation(id, state)),
          openPulse: () => this.select({ kind: 'pulse', tab: this.selection?.kind === 'pulse' ? this.selection.tab : 'home' }),
        }),
      );
    }
    this.renderHeader(state, selection);
    const channel = shownConversationId(selection, state);
    this.home.element.hidden = channel !== undefined;
    this.mainPane.element.hidden = channel === undefined;
    this.composer.element.hidden = channel === undefined;
    if (channel === undefined) {
      this.home.update(state.home, { names: this.names, conversations: state.conversations, botName: state.bot.name, version: this.version, send: (frame) => this.send(frame) });
    }
    else this.renderConversation(state, channel);
    this.renderThread(state);
    this.modals.update(state.modals, { names: this.names, conversations: state.conversations, version: this.version, send: (frame) => this.send(frame) });
  }

  private renderActAs(state: PlaygroundState): void {
    const wanted = state.actors.map((actor) => `${actor.id}\u0000${describeActor(actor)}`).join('\n');
    if (this.actAs.dataset.options !== wanted) {
      this.actAs.dataset.options = wanted;
      replaceChildren(this.actAs, state.actors.map((actor) => h('option', { value: actor.id }, describeActor(actor))));
    }
    this.actAs.value = state.me.id;
  }

  private renderHeader(state: PlaygroundState, selection: Selection): void {
    // Drawn again only when it changes, so a click on a tab never lands on a node being replaced.
    const signature = `${this.version}|${JSON.stringify(selection)}`;
    if (signature === this.headerSignature) return;
    this.headerSignature = signature;
    const { content, title } = renderChannelHeader(state, selection, {
      openTab: (tab) => {
        // Reopening Home asks Pulse to publish it again, as Slack's app_home_opened does.
        if (tab === 'home' && this.selection?.kind === 'pulse' && this.selection.tab === 'home') this.send({ type: 'open_home' });
        this.select({ kind: 'pulse', tab });
      },
    });
    replaceChildren(this.header, content);
    document.title = `${title} — Pulse playground`;
  }

  private messageHandlers(state: PlaygroundState): MessageHandlers {
    return {
      names: this.names,
      shortcuts: state.shortcuts,
      react: (message, name) => this.send({ type: 'react', channel: message.channel, ts: message.ts, name }),
      openThread: (message) => {
        this.thread = { channel: message.channel, ts: message.ts };
        closeMenu();
        this.render();
        this.threadComposer.focus();
      },
      runShortcut: (message, callbackId) => this.send({ type: 'shortcut', callbackId, channel: message.channel, ts: message.ts }),
      blockContext: (message) => this.messageBlockContext(state, message),
    };
  }

  private messageBlockContext(state: PlaygroundState, message: PlaygroundMessage): BlockContext {
    const key = `${message.channel}:${message.ts}`;
    const drafts = this.messageDrafts.get(key) ?? new Map<string, string>();
    this.messageDrafts.set(key, drafts);
    return {
      names: this.names,
      conversations: state.conversations,
      act: (action) => this.send({ type: 'block_action', target: { channel: message.channel, ts: message.ts }, action }),
      drafts,
      errors: {},
      inputs: [],
    };
  }

  private messageItems(state: PlaygroundState, messages: readonly PlaygroundMessage[], inThreadPane: boolean): KeyedItem[] {
    const handlers = this.messageHandlers(state);
    const items: KeyedItem[] = [];
    let day = '';
    for (const message of messages) {
      const messageDay = dayKeyOf(message.ts);
      if (messageDay !== day && !inThreadPane) {
        day = messageDay;
        const label = describeDay(message.ts);
        items.push({ key: `day:${day}`, signature: label, render: () => h('div', { class: 'day-divider' }, h('span', {}, label)) });
      }
      items.push({ key: `message:${message.ts}`, signature: JSON.stringify(message), render: () => renderMessage(message, handlers, { inThreadPane }) });
    }
    return items;
  }

  private renderConversation(state: PlaygroundState, channel: string): void {
    const messages = topLevelMessages(state.messages[channel] ?? []);
    const items = this.messageItems(state, messages, false);
    if (items.length === 0) items.push({ key: 'empty', signature: '', render: () => h('div', { class: 'empty-conversation' }, 'No messages yet. Say hello!') });
    this.mainPane.show(`${channel}|${this.version}`, items);
    const conversation = state.conversations.find((candidate) => candidate.id === channel);
    const name = conversation ? (conversation.kind === 'public' || conversation.kind === 'private' ? `#${conversation.name}` : conversation.name) : channel;
    this.composer.setTarget(channel, `Message ${name}`, conversation?.isArchived ? 'This channel is archived: nobody can post in it.' : undefined);
  }

  private renderThread(state: PlaygroundState): void {
    const thread = this.thread;
    this.threadAside.hidden = thread === undefined;
    if (!thread) return;
    const { root, replies } = threadMessages(state.messages[thread.channel] ?? [], thread.ts);
    const conversation = state.conversations.find((candidate) => candidate.id === thread.channel);
    const signature = `${this.version}|${thread.channel}:${thread.ts}`;
    if (signature !== this.threadSignature) this.drawThreadHeader(conversation);
    this.threadSignature = signature;
    const items = this.messageItems(state, root ? [root] : [], true);
    items.push({
      key: 'replies',
      signature: String(replies.length),
      render: () => h('div', { class: 'replies-divider' }, h('span', {}, replies.length > 0 ? describeReplies(replies.length) : 'No replies yet')),
    });
    items.push(...this.messageItems(state, replies, true));
    this.threadPane.show(`${thread.channel}:${thread.ts}|${this.version}`, items);
    this.threadComposer.setTarget(`${thread.channel}:${thread.ts}`, 'Reply…', conversation?.isArchived ? 'This channel is archived: nobody can post in it.' : undefined);
  }

  private drawThreadHeader(conversation: PlaygroundConversation | undefined): void {
    replaceChildren(
      this.threadHeader,
      h('div', {}, h('strong', {}, 'Thread'), h('span', { class: 'muted' }, conversation ? ` ${conversation.kind === 'im' || conversation.kind === 'mpim' ? '' : '#'}${conversation.name}` : '')),
      h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close thread', 'data-testid': 'close-thread', onclick: () => this.closeThread() }, '×'),
    );
  }

  private closeThread(): void {
    this.thread = undefined;
    if (this.state) this.renderThread(this.state);
  }
}

const root = document.getElementById('app');
if (root) new PlaygroundPage().mount(root);
