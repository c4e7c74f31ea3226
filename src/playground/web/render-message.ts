/**
 * One message as Slack shows it: avatar, name, time, text or blocks, files,
 * reactions, the "N replies" line, and a toolbar on hover (quick reactions,
 * reply in thread, the "…" menu with Pulse's message shortcuts).
 */
import type { PlaygroundFile, PlaygroundMessage, PlaygroundReaction } from '../protocol.ts';
import { h, withTrustedHtml } from './create-element.ts';
import { showEmoji } from './emoji-names.ts';
import { describeReplies, formatMessageTime, showsBlocks } from './message-threads.ts';
import { openMenu, type MenuItem } from './popup-menu.ts';
import { renderBlocks, type BlockContext } from './render-blocks.ts';
import { isSafeHref, renderMrkdwn } from './render-mrkdwn.ts';
import { hueOf, initialsOf, type WorkspaceNames } from './workspace-names.ts';

/** Reactions one click away in the hover toolbar. */
const QUICK_REACTIONS = ['white_check_mark', 'eyes', '+1'] as const;

export interface MessageHandlers {
  names: WorkspaceNames;
  shortcuts: readonly { callbackId: string; name: string }[];
  react(message: PlaygroundMessage, name: string): void;
  openThread(message: PlaygroundMessage): void;
  runShortcut(message: PlaygroundMessage, callbackId: string): void;
  /** The context its blocks act in: the message as target. */
  blockContext(message: PlaygroundMessage): BlockContext;
}

/** A same-origin path or a web address; anything else is not linked. */
function fileHref(url: string): string | undefined {
  return (url.startsWith('/') && !url.startsWith('//')) || isSafeHref(url) ? url : undefined;
}

function renderFile(file: PlaygroundFile): HTMLElement {
  const href = fileHref(file.url);
  const label = file.title || file.name;
  if (!href) return h('div', { class: 'file-card' }, `📄 ${label}`);
  if (file.isImage) {
    return h(
      'figure',
      { class: 'file-image' },
      h('figcaption', {}, label),
      h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, h('img', { 'data-testid': 'file-image', src: href, alt: label, loading: 'lazy' })),
    );
  }
  return h(
    'a',
    { class: 'file-card', 'data-testid': 'file-download', href, download: file.name },
    h('span', { class: 'file-icon' }, file.mimetype.includes('csv') ? '📊' : '📄'),
    h('span', { class: 'file-meta' }, h('strong', {}, label), h('small', {}, `${file.name} · download`)),
  );
}

function renderReaction(message: PlaygroundMessage, reaction: PlaygroundReaction, handlers: MessageHandlers): HTMLElement {
  const who = reaction.users.map((id) => handlers.names.userHandle(id) ?? id).join(', ');
  return h(
    'button',
    {
      type: 'button',
      class: `reaction${reaction.mine ? ' mine' : ''}`,
      'data-testid': 'reaction',
      'data-name': reaction.name,
      'aria-pressed': String(reaction.mine),
      title: `${who} reacted with :${reaction.name}:`,
      onclick: () => handlers.react(message, reaction.name),
    },
    h('span', { class: 'reaction-emoji' }, showEmoji(reaction.name)),
    h('span', { class: 'reaction-count' }, String(reaction.count)),
  );
}

function renderBody(message: PlaygroundMessage, handlers: MessageHandlers): HTMLElement {
  const body = h('div', { class: 'message-text', 'data-testid': 'message-text' });
  const blocks = message.blocks ?? [];
  if (showsBlocks(message)) body.append(...renderBlocks(blocks, handlers.blockContext(message)));
  else if (message.text === '' && blocks.length > 0) body.append(...renderBlocks(blocks, handlers.blockContext(message)));
  else withTrustedHtml(body, renderMrkdwn(message.text, handlers.names)).classList.add('md');
  return body;
}

function renderToolbar(message: PlaygroundMessage, handlers: MessageHandlers, inThreadPane: boolean): HTMLElement {
  const canReply = !inThreadPane && (message.threadTs === undefined || message.threadTs === message.ts);
  const menuButton: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: 'tool',
      title: 'More actions',
      'aria-label': 'More actions',
      'data-testid': 'message-menu-button',
      onclick: () => {
        const items: MenuItem[] = [];
        if (canReply) items.push({ label: 'Reply in thread', attributes: { 'data-testid': 'reply-in-thread' }, onSelect: () => handlers.openThread(message) });
        for (const shortcut of handlers.shortcuts) {
          items.push({
            label: shortcut.name,
            attributes: { 'data-testid': 'shortcut', 'data-callback-id': shortcut.callbackId },
            onSelect: () => handlers.runShortcut(message, shortcut.callbackId),
          });
        }
        openMenu(menuButton, items);
      },
    },
    '⋯',
  );
  return h(
    'div',
    { class: 'message-toolbar' },
    QUICK_REACTIONS.map((name) =>
      h('button', { type: 'button', class: 'tool', title: `React with :${name}:`, 'data-testid': 'quick-reaction', 'data-name': name, onclick: () => handlers.react(message, name) }, showEmoji(name)),
    ),
    canReply ? h('button', { type: 'button', class: 'tool', title: 'Reply in thread', onclick: () => handlers.openThread(message) }, '💬') : null,
    menuButton,
  );
}

export function renderMessage(message: PlaygroundMessage, handlers: MessageHandlers, options: { inThreadPane: boolean }): HTMLElement {
  const time = formatMessageTime(message.ts);
  const showReplies = !options.inThreadPane && message.replyCount > 0 && (message.threadTs === undefined || message.threadTs === message.ts);
  return h(
    'div',
    {
      class: `message${message.isBot ? ' from-bot' : ''}`,
      'data-testid': 'message',
      'data-ts': message.ts,
      'data-user': message.user,
      'data-channel': message.channel,
    },
    h('div', { class: 'avatar', style: `background: hsl(${message.isBot ? 268 : hueOf(message.user)} 45% 42%)`, 'aria-hidden': 'true' }, initialsOf(message.userName)),
    h(
      'div',
      { class: 'message-main' },
      h(
        'div',
        { class: 'message-header' },
        h('span', { class: 'author' }, message.userName),
        message.isBot ? h('span', { class: 'badge' }, 'APP') : null,
        h('time', { datetime: new Date(Number.parseFloat(message.ts) * 1000).toISOString(), title: message.ts }, time),
        message.edited ? h('span', { class: 'edited', 'data-testid': 'edited' }, '(edited)') : null,
      ),
      message.subtype === 'thread_broadcast' && !options.inThreadPane ? h('div', { class: 'muted small' }, 'replied to a thread') : null,
      renderBody(message, handlers),
      message.files.length > 0 ? h('div', { class: 'files' }, message.files.map(renderFile)) : null,
      message.streaming ? h('div', { class: 'streaming', 'data-testid': 'streaming', 'aria-label': 'Pulse is writing' }, h('span'), h('span'), h('span')) : null,
      message.reactions.length > 0 ? h('div', { class: 'reactions' }, message.reactions.map((reaction) => renderReaction(message, reaction, handlers))) : null,
      showReplies
        ? h(
            'button',
            { type: 'button', class: 'thread-link', 'data-testid': 'open-thread', onclick: () => handlers.openThread(message) },
            message.replyUsers.slice(0, 3).map((id) => h('span', { class: 'mini-avatar', style: `background: hsl(${hueOf(id)} 45% 42%)` }, initialsOf(handlers.names.userHandle(id) ?? id))),
            h('span', {}, describeReplies(message.replyCount)),
          )
        : null,
    ),
    renderToolbar(message, handlers, options.inThreadPane),
  );
}
