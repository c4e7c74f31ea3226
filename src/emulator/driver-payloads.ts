/**
 * Pure builders for what the Slack client sends when the driver acts as a
 * person: interactive payloads (message shortcuts, block actions, view
 * submissions and the input state they carry) and the events a click in the
 * client raises (app_home_opened, assistant_thread_started). The driver looks
 * things up, renders them and mints ids and timestamps; these only shape them.
 */
import type { EmulatedConversation, EmulatedUser, EmulatedView, TeamInfo } from './types.ts';

export interface ButtonClick {
  actionId: string;
  blockId?: string;
  value?: string;
}

export interface OptionPick {
  actionId: string;
  value: string;
  text?: string;
  blockId?: string;
}

export interface OverflowPick {
  actionId: string;
  value: string;
  blockId?: string;
}

/** What a person types or picks in a modal, block_id → action_id → value. */
export type TypedValues = Record<string, Record<string, string>>;

/** The message a shortcut or block action comes from, already rendered as Slack shows it. */
export interface MessageSource {
  conversation: EmulatedConversation;
  messageTs: string;
  message: Record<string, unknown>;
  responseUrl: string;
}

export type InteractiveBase = ReturnType<typeof buildInteractiveBase>;

/** The fields every interactive payload starts with. */
export function buildInteractiveBase(team: TeamInfo, user: EmulatedUser, type: string, triggerId: string) {
  return {
    type,
    team: { id: team.id, domain: team.domain },
    user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
    api_app_id: team.appId,
    token: 'emulated-verification-token',
    trigger_id: triggerId,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Slack names a DM "directmessage" in an interactive payload's channel. */
function describeChannel(conversation: EmulatedConversation): { id: string; name: string } {
  return { id: conversation.id, name: conversation.kind === 'im' ? 'directmessage' : conversation.name };
}

export function buildMessageShortcutPayload(base: InteractiveBase, callbackId: string, actionTs: string, source: MessageSource) {
  // A message_action names its user by id and name only and carries no api_app_id
  // (slack-field-samples MessageShortcutPayload, bolt-python tests/scenario_tests/test_shortcut.py).
  const { api_app_id: _appId, user, ...rest } = base;
  return {
    ...rest,
    user: { id: user.id, name: user.name, team_id: user.team_id },
    action_ts: actionTs,
    callback_id: callbackId,
    response_url: source.responseUrl,
    message_ts: source.messageTs,
    message: source.message,
    channel: describeChannel(source.conversation),
  };
}

export function buildButtonAction(click: ButtonClick, blockId: string, actionTs: string): Record<string, unknown> {
  return {
    type: 'button',
    action_id: click.actionId,
    block_id: blockId,
    text: { type: 'plain_text', text: click.actionId, emoji: true },
    ...(click.value !== undefined ? { value: click.value } : {}),
    action_ts: actionTs,
  };
}

export function buildStaticSelectAction(pick: OptionPick, blockId: string, actionTs: string): Record<string, unknown> {
  return {
    type: 'static_select',
    action_id: pick.actionId,
    block_id: blockId,
    selected_option: { text: { type: 'plain_text', text: pick.text ?? pick.value, emoji: true }, value: pick.value },
    action_ts: actionTs,
  };
}

export function buildOverflowAction(pick: OverflowPick, blockId: string, actionTs: string): Record<string, unknown> {
  return {
    type: 'overflow',
    action_id: pick.actionId,
    block_id: blockId,
    selected_option: { text: { type: 'plain_text', text: pick.value, emoji: true }, value: pick.value },
    action_ts: actionTs,
  };
}

export function buildViewBlockActionsPayload(
  base: InteractiveBase,
  view: Record<string, unknown>,
  viewId: string,
  action: Record<string, unknown>,
) {
  return { ...base, container: { type: 'view', view_id: viewId }, view, actions: [action] };
}

export function buildMessageBlockActionsPayload(base: InteractiveBase, source: MessageSource, action: Record<string, unknown>) {
  const { conversation } = source;
  return {
    ...base,
    container: { type: 'message', message_ts: source.messageTs, channel_id: conversation.id, is_ephemeral: false },
    channel: describeChannel(conversation),
    message: source.message,
    response_url: source.responseUrl,
    actions: [action],
  };
}

export function buildViewSubmissionPayload(base: InteractiveBase, view: Record<string, unknown>) {
  return { ...base, view, response_urls: [] };
}

/** The block_id of the block holding `actionId` (as an accessory or among its elements), if any. */
export function findActionBlockId(blocks: readonly unknown[] | undefined, actionId: string): string | undefined {
  for (const block of blocks ?? []) {
    const record = block as { block_id?: string; elements?: { action_id?: string }[]; accessory?: { action_id?: string } };
    if (record.accessory?.action_id === actionId || record.elements?.some((element) => element.action_id === actionId)) {
      return record.block_id;
    }
  }
  return undefined;
}

export function buildAppHomeOpenedEvent(
  opened: { userId: string; imId: string; tab: 'home' | 'messages'; eventTs: string },
  view: Record<string, unknown> | undefined,
): Record<string, unknown> {
  return {
    type: 'app_home_opened',
    user: opened.userId,
    channel: opened.imId,
    tab: opened.tab,
    event_ts: opened.eventTs,
    ...(view ? { view } : {}),
  };
}

export function buildAssistantThreadStartedEvent(thread: {
  userId: string;
  contextChannelId: string | undefined;
  teamId: string;
  imId: string;
  threadTs: string;
  eventTs: string;
}): Record<string, unknown> {
  return {
    type: 'assistant_thread_started',
    assistant_thread: {
      user_id: thread.userId,
      context: { channel_id: thread.contextChannelId ?? null, team_id: thread.teamId, enterprise_id: null },
      channel_id: thread.imId,
      thread_ts: thread.threadTs,
    },
    event_ts: thread.eventTs,
  };
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

/**
 * A modal's state on submission. As in Slack it holds every input block:
 * what `values` sets (a text input's text, or the value of the static_select /
 * radio option to pick), else the element's initial value. A value naming no
 * input goes in as a plain_text_input's, unless the state already holds it.
 * Returns a new state, so an unknown option throws before anything changes.
 */
export function buildSubmittedState(blocks: unknown, state: EmulatedView['state'], values: TypedValues): EmulatedView['state'] {
  const submitted = { ...state };
  for (const block of (blocks ?? []) as InputBlockLike[]) {
    if (block.type !== 'input' || !block.block_id || !block.element?.action_id) continue;
    const typed = values[block.block_id]?.[block.element.action_id];
    submitted[block.block_id] = { ...submitted[block.block_id], [block.element.action_id]: inputState(block.element, typed) };
  }
  for (const [blockId, actions] of Object.entries(values)) {
    for (const [actionId, value] of Object.entries(actions)) {
      if (submitted[blockId]?.[actionId] === undefined) {
        submitted[blockId] = { ...submitted[blockId], [actionId]: { type: 'plain_text_input', value } };
      }
    }
  }
  return submitted;
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
