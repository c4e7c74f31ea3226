/**
 * Block Kit elements (buttons, selects, inputs…) as DOM. In an actions block
 * or a section's accessory an element acts at once (block_action); in an
 * input block it only holds a value, which a modal's submit collects.
 */
import type { PlaygroundBlockAction, PlaygroundConversation } from '../protocol.ts';
import { asArray, asObject, asString, inputKey, readOption, readOptionGroups, type InputReader, type Json } from './block-kit-json.ts';
import { askToConfirm, type ConfirmObject } from './confirm-dialog.ts';
import { h, withTrustedHtml } from './create-element.ts';
import { emojiFor } from './emoji-names.ts';
import { openMenu } from './popup-menu.ts';
import { isSafeHref, renderMrkdwn } from './render-mrkdwn.ts';
import type { WorkspaceNames } from './workspace-names.ts';

/** The HTML input type for each Block Kit text-like element (plain_text_input is plain text). */
const INPUT_TYPES: Record<string, string> = {
  email_text_input: 'email',
  url_text_input: 'url',
  number_input: 'number',
  datepicker: 'date',
  timepicker: 'time',
};


export interface BlockContext {
  names: WorkspaceNames;
  /** Conversations a conversations_select may offer. */
  conversations: readonly PlaygroundConversation[];
  /** Sends an interaction to the server (target already bound). */
  act(action: PlaygroundBlockAction): void;
  /** Values typed so far (inputKey → value): they win over initial values on a re-render. */
  drafts: Map<string, string>;
  /** Errors from the last submission, by block_id. */
  errors: Readonly<Record<string, string>>;
  /** Filled while rendering: how to read each input block's value. */
  inputs: InputReader[];
}

type Place = 'action' | 'input';

/** plain_text shows :emoji: codes as emoji when `emoji` is not false, as Slack does. */
function plainText(text: string, emoji: boolean): string {
  return emoji ? text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => emojiFor(name) ?? whole) : text;
}

/** A text object ({ type: plain_text | mrkdwn, text }) as an element. */
export function renderTextObject(value: unknown, names: WorkspaceNames, className = ''): HTMLElement {
  const object = asObject(value);
  const text = asString(object?.text) ?? '';
  if (object?.type === 'mrkdwn') return withTrustedHtml(h('div', { class: `md ${className}` }), renderMrkdwn(text, names));
  return h('div', { class: `plain ${className}` }, plainText(text, object?.emoji !== false));
}

export function plainLabel(value: unknown): string {
  const object = asObject(value);
  return plainText(asString(object?.text) ?? '', object?.emoji !== false);
}

function ids(element: Json, blockId: string): Record<string, string> {
  return { 'data-action-id': asString(element.action_id) ?? '', 'data-block-id': blockId };
}

function actionIds(element: Json, blockId: string): { actionId: string; blockId?: string } {
  return { actionId: asString(element.action_id) ?? '', ...(blockId !== '' ? { blockId } : {}) };
}

function renderButton(element: Json, blockId: string, context: BlockContext): HTMLElement {
  const style = asString(element.style);
  const value = asString(element.value);
  const url = asString(element.url);
  const send = () => {
    if (url !== undefined && isSafeHref(url)) window.open(url, '_blank', 'noopener,noreferrer');
    context.act({ type: 'button', ...actionIds(element, blockId), ...(value !== undefined ? { value } : {}) });
  };
  const confirm = asObject(element.confirm) as ConfirmObject | undefined;
  return h(
    'button',
    {
      type: 'button',
      class: `button ${style === 'primary' || style === 'danger' ? style : ''}`,
      ...ids(element, blockId),
      ...(value !== undefined ? { 'data-value': value } : {}),
      onclick: () => (confirm ? askToConfirm(confirm, context.names, send) : send()),
    },
    plainLabel(element.text),
  );
}

function renderOverflow(element: Json, blockId: string, context: BlockContext): HTMLElement {
  const options = asArray(element.options).map(readOption).filter((option) => option !== undefined);
  const button: HTMLButtonElement = h('button', {
    type: 'button',
    class: 'button overflow',
    'aria-label': 'More actions',
    ...ids(element, blockId),
    onclick: () =>
      openMenu(
        button,
        options.map((option) => ({
          label: option.text,
          attributes: { 'data-testid': 'overflow-option', 'data-value': option.value },
          onSelect: () => context.act({ type: 'overflow', ...actionIds(element, blockId), value: option.value }),
        })),
      ),
  }, '⋮');
  return button;
}

/** A <select> with a placeholder first; `chosen` selects an option by value. */
function selectElement(element: Json, blockId: string, groups: { label?: string; options: { text: string; value: string }[] }[], chosen: string | undefined): HTMLSelectElement {
  const placeholder = plainLabel(element.placeholder) || 'Select an option';
  const option = (item: { text: string; value: string }) => h('option', { value: item.value, selected: item.value === chosen }, item.text);
  return h(
    'select',
    { class: 'select', ...ids(element, blockId) },
    h('option', { value: '', disabled: true, selected: chosen === undefined || chosen === '' }, placeholder),
    groups.map((group) => (group.label !== undefined ? h('optgroup', { label: group.label }, group.options.map(option)) : group.options.map(option))),
  );
}

/** What a conversations_select offers: channels, plus DMs when its filter includes them. */
function conversationGroups(element: Json, context: BlockContext) {
  const include = asArray(asObject(element.filter)?.include).map(asString);
  const kinds = include.length > 0 ? include : ['public', 'private'];
  const offered = context.conversations.filter((conversation) => !conversation.isArchived && kinds.includes(conversation.kind));
  const label = (conversation: PlaygroundConversation) =>
    conversation.kind === 'public' ? `# ${conversation.name}` : conversation.kind === 'private' ? `🔒 ${conversation.name}` : conversation.name;
  return [{ options: offered.map((conversation) => ({ text: label(conversation), value: conversation.id })) }];
}

function keep(context: BlockContext, key: string, control: HTMLElement, read: () => string | undefined, place: Place, blockId: string, element: Json): void {
  if (place !== 'input') return;
  const save = () => {
    const value = read();
    if (value === undefined) context.drafts.delete(key);
    else context.drafts.set(key, value);
  };
  control.addEventListener('input', save);
  control.addEventListener('change', save);
  context.inputs.push({ blockId, actionId: asString(element.action_id) ?? '', read });
}

function renderChoices(element: Json, blockId: string, context: BlockContext, place: Place, key: string, draft: string | undefined): HTMLElement {
  const multiple = element.type === 'checkboxes';
  const initial = multiple
    ? asArray(element.initial_options).map((option) => readOption(option)?.value)
    : [readOption(element.initial_option)?.value];
  const chosen = draft !== undefined ? draft.split('\n') : initial;
  const name = `${key}-${Math.random().toString(36).slice(2)}`;
  const group = h(
    'div',
    { class: 'choices', role: multiple ? 'group' : 'radiogroup', ...ids(element, blockId) },
    asArray(element.options)
      .map(readOption)
      .filter((option) => option !== undefined)
      .map((option) =>
        h(
          'label',
          { class: 'choice' },
          h('input', { type: multiple ? 'checkbox' : 'radio', name, value: option.value, checked: chosen.includes(option.value) }),
          h('span', {}, option.text, option.description ? h('small', { class: 'muted' }, ` — ${option.description}`) : null),
        ),
      ),
  );
  // Several chosen boxes travel as one string, one value a line (the wire format holds one string per input).
  const read = () => {
    const values = [...group.querySelectorAll<HTMLInputElement>('input:checked')].map((input) => input.value);
    return values.length > 0 ? values.join('\n') : undefined;
  };
  keep(context, key, group, read, place, blockId, element);
  return group;
}

export function renderElement(value: unknown, blockId: string, context: BlockContext, place: Place): HTMLElement {
  const element = asObject(value) ?? {};
  const type = asString(element.type) ?? 'unknown';
  const key = inputKey(blockId, asString(element.action_id) ?? '');
  const draft = context.drafts.get(key);
  switch (type) {
    case 'button':
      return renderButton(element, blockId, context);
    case 'overflow':
      return renderOverflow(element, blockId, context);
    case 'image': {
      const url = asString(element.image_url) ?? '';
      return isSafeHref(url) ? h('img', { class: 'block-image-small', src: url, alt: asString(element.alt_text) ?? '' }) : h('span');
    }
    case 'static_select':
    case 'conversations_select':
    case 'channels_select':
    case 'users_select': {
      const isConversation = type === 'conversations_select' || type === 'channels_select';
      const groups = isConversation
        ? conversationGroups(type === 'channels_select' ? { filter: { include: ['public'] } } : element, context)
        : type === 'users_select'
          ? [{ options: [] as { text: string; value: string }[] }]
          : readOptionGroups(element);
      const initial = isConversation
        ? (asString(element.initial_conversation) ?? asString(element.initial_channel))
        : readOption(element.initial_option)?.value;
      const select = selectElement(element, blockId, groups, draft ?? initial);
      if (place === 'input') {
        keep(context, key, select, () => (select.value === '' ? undefined : select.value), place, blockId, element);
      } else if (type === 'static_select') {
        select.addEventListener('change', () => {
          const chosen = select.selectedOptions[0];
          context.act({ type: 'static_select', ...actionIds(element, blockId), value: select.value, ...(chosen ? { text: chosen.text } : {}) });
        });
      } else {
        // The wire format carries button, static_select and overflow actions only.
        select.disabled = true;
        select.title = 'The playground cannot send this choice yet';
      }
      return select;
    }
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
    case 'datepicker':
    case 'timepicker': {
      const initial = asString(element.initial_value) ?? asString(element.initial_date) ?? asString(element.initial_time) ?? '';
      const inputType = INPUT_TYPES[type] ?? 'text';
      const common = {
        class: 'text-input',
        placeholder: plainLabel(element.placeholder) || undefined,
        maxlength: typeof element.max_length === 'number' ? element.max_length : undefined,
        ...ids(element, blockId),
      };
      const control =
        element.multiline === true
          ? h('textarea', { ...common, rows: 4 })
          : h('input', { ...common, type: inputType });
      control.value = draft ?? initial;
      if (place === 'action') {
        control.disabled = true;
        control.title = 'The playground cannot send this choice yet';
      }
      keep(context, key, control, () => control.value, place, blockId, element);
      return control;
    }
    case 'radio_buttons':
    case 'checkboxes':
      return renderChoices(element, blockId, context, place, key, draft);
    default:
      return h('span', { class: 'unsupported', ...ids(element, blockId) }, `[unsupported element: ${type}]`);
  }
}

/** An element's short label for a context block (text or image). */
export function renderContextElement(value: unknown, names: WorkspaceNames): HTMLElement {
  const element = asObject(value) ?? {};
  if (element.type === 'image') {
    const url = asString(element.image_url) ?? '';
    return isSafeHref(url) ? h('img', { class: 'context-image', src: url, alt: asString(element.alt_text) ?? '' }) : h('span');
  }
  if (element.type === 'mrkdwn' || element.type === 'plain_text') return renderTextObject(element, names, 'context-text');
  return h('span', { class: 'unsupported' }, `[unsupported element: ${asString(element.type) ?? 'unknown'}]`);
}

