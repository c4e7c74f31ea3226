/** Block Kit's rich_text block (what Slack clients post for people) as DOM, built from text nodes only. */
import { asArray, asObject, asString, type Json } from './block-kit-json.ts';
import { h } from './create-element.ts';
import { showEmoji } from './emoji-names.ts';
import { isSafeHref } from './render-mrkdwn.ts';
import type { WorkspaceNames } from './workspace-names.ts';

function styled(node: Node, style: Json | undefined): Node {
  let wrapped = node;
  if (style?.code === true) wrapped = h('code', {}, wrapped);
  if (style?.strike === true) wrapped = h('del', {}, wrapped);
  if (style?.italic === true) wrapped = h('em', {}, wrapped);
  if (style?.bold === true) wrapped = h('strong', {}, wrapped);
  return wrapped;
}

function renderInline(value: unknown, names: WorkspaceNames): Node {
  const element = asObject(value) ?? {};
  const style = asObject(element.style);
  switch (element.type) {
    case 'text':
      return styled(document.createTextNode(asString(element.text) ?? ''), style);
    case 'link': {
      const url = asString(element.url) ?? '';
      const text = asString(element.text) ?? url;
      if (!isSafeHref(url)) return styled(document.createTextNode(text), style);
      return styled(h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text), style);
    }
    case 'user': {
      const id = asString(element.user_id) ?? '';
      return h('span', { class: 'mention', 'data-user-id': id }, `@${names.userHandle(id) ?? id}`);
    }
    case 'channel': {
      const id = asString(element.channel_id) ?? '';
      return h('span', { class: 'mention', 'data-channel-id': id }, `#${names.channelName(id) ?? id}`);
    }
    case 'usergroup':
      return h('span', { class: 'mention' }, `@${asString(element.usergroup_id) ?? 'group'}`);
    case 'broadcast':
      return h('span', { class: 'mention broadcast' }, `@${asString(element.range) ?? 'here'}`);
    case 'emoji': {
      const unicode = asString(element.unicode);
      const fromCode = unicode && /^[0-9a-f-]+$/i.test(unicode) ? String.fromCodePoint(...unicode.split('-').map((part) => Number.parseInt(part, 16))) : undefined;
      return document.createTextNode(fromCode ?? showEmoji(asString(element.name) ?? ''));
    }
    case 'date':
      return document.createTextNode(asString(element.fallback) ?? '');
    default:
      return h('span', { class: 'unsupported' }, `[${asString(element.type) ?? 'unknown'}]`);
  }
}

function renderInlines(list: unknown, names: WorkspaceNames): Node[] {
  return asArray(list).map((element) => renderInline(element, names));
}

function renderPart(value: unknown, names: WorkspaceNames): HTMLElement {
  const part = asObject(value) ?? {};
  switch (part.type) {
    case 'rich_text_section':
      return h('div', { class: 'rt-section' }, renderInlines(part.elements, names));
    case 'rich_text_preformatted':
      return h('pre', {}, renderInlines(part.elements, names));
    case 'rich_text_quote':
      return h('blockquote', {}, renderInlines(part.elements, names));
    case 'rich_text_list': {
      const indent = typeof part.indent === 'number' ? Math.min(part.indent, 6) : 0;
      const items = asArray(part.elements).map((item) => h('li', {}, renderInlines(asObject(item)?.elements, names)));
      const list = part.style === 'ordered' ? h('ol', {}, items) : h('ul', {}, items);
      list.style.marginLeft = `${indent * 20}px`;
      return list;
    }
    default:
      return h('span', { class: 'unsupported' }, `[unsupported rich text: ${asString(part.type) ?? 'unknown'}]`);
  }
}

export function renderRichText(block: Json, names: WorkspaceNames): HTMLElement {
  return h('div', { class: 'block rich-text' }, asArray(block.elements).map((part) => renderPart(part, names)));
}
