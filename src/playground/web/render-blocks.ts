/**
 * Block Kit blocks as DOM, for messages, App Home and modals. A block of a
 * type the page does not know shows as a small grey note; nothing in a
 * block's JSON can make the page throw or inject markup.
 */
import { asArray, asObject, asString, type Json } from './block-kit-json.ts';
import { h, withTrustedHtml } from './create-element.ts';
import { plainLabel, renderContextElement, renderElement, renderTextObject, type BlockContext } from './render-block-elements.ts';
import { isSafeHref, renderMrkdwn } from './render-mrkdwn.ts';
import { renderRichText } from './render-rich-text.ts';

export type { BlockContext } from './render-block-elements.ts';

function renderSection(block: Json, blockId: string, context: BlockContext): HTMLElement {
  const fields = asArray(block.fields);
  const accessory = asObject(block.accessory);
  return h(
    'div',
    { class: 'block section', 'data-block-id': blockId },
    h(
      'div',
      { class: 'section-body' },
      block.text !== undefined ? renderTextObject(block.text, context.names, 'section-text') : null,
      fields.length > 0 ? h('div', { class: 'section-fields' }, fields.map((field) => renderTextObject(field, context.names, 'section-field'))) : null,
    ),
    accessory ? h('div', { class: 'section-accessory' }, renderElement(accessory, blockId, context, 'action')) : null,
  );
}

function renderImage(block: Json): HTMLElement {
  const url = asString(block.image_url) ?? '';
  const title = plainLabel(block.title);
  return h(
    'figure',
    { class: 'block image' },
    title ? h('figcaption', {}, title) : null,
    isSafeHref(url) ? h('img', { src: url, alt: asString(block.alt_text) ?? '' }) : h('span', { class: 'unsupported' }, '[image]'),
  );
}

function renderInput(block: Json, blockId: string, context: BlockContext): HTMLElement {
  const error = context.errors[blockId];
  const element = renderElement(block.element, blockId, context, 'input');
  const label = plainLabel(block.label);
  return h(
    'div',
    { class: `block input${error ? ' has-error' : ''}`, 'data-block-id': blockId },
    h('label', { class: 'input-label' }, label, block.optional === true ? h('span', { class: 'muted' }, ' (optional)') : null),
    element,
    block.hint !== undefined ? h('div', { class: 'input-hint' }, plainLabel(block.hint)) : null,
    error ? h('div', { class: 'input-error', 'data-testid': 'input-error', role: 'alert' }, error) : null,
  );
}

export function renderBlock(value: unknown, context: BlockContext): HTMLElement {
  const block = asObject(value) ?? {};
  const type = asString(block.type) ?? 'unknown';
  const blockId = asString(block.block_id) ?? '';
  switch (type) {
    case 'header':
      return h('div', { class: 'block header', 'data-block-id': blockId }, plainLabel(block.text));
    case 'section':
      return renderSection(block, blockId, context);
    case 'divider':
      return h('hr', { class: 'block divider' });
    case 'context':
      return h('div', { class: 'block context', 'data-block-id': blockId }, asArray(block.elements).map((element) => renderContextElement(element, context.names)));
    case 'actions':
      return h('div', { class: 'block actions', 'data-block-id': blockId }, asArray(block.elements).map((element) => renderElement(element, blockId, context, 'action')));
    case 'image':
      return renderImage(block);
    case 'input':
      return renderInput(block, blockId, context);
    case 'rich_text':
      return renderRichText(block, context.names);
    case 'markdown':
      // Slack's markdown block holds standard Markdown, which render-mrkdwn also reads.
      return withTrustedHtml(h('div', { class: 'block md' }), renderMrkdwn(asString(block.text) ?? '', context.names));
    default:
      return h('div', { class: 'block unsupported' }, `[unsupported block: ${type}]`);
  }
}

/** Renders every block; one that fails to render becomes a note instead of breaking the rest. */
export function renderBlocks(blocks: readonly unknown[], context: BlockContext): HTMLElement[] {
  return blocks.map((block) => {
    try {
      return renderBlock(block, context);
    } catch {
      return h('div', { class: 'block unsupported' }, `[block could not be shown: ${asString(asObject(block)?.type) ?? 'unknown'}]`);
    }
  });
}
