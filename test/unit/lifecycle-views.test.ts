/** The lifecycle views (pure builders): the disconnect modal, the disconnected Home tab, the join notice modal. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYTICS_SETTINGS } from '../../src/analytics/analytics-settings.ts';
import { groupByKind } from '../../src/lifecycle/data-kinds.ts';
import { describeJoinNotice } from '../../src/lifecycle/join-notice-text.ts';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../src/slack/ids.ts';
import { buildDisconnectedHome } from '../../src/slack/views/app-home.ts';
import { buildDisconnectModal, buildJoinNoticeModal, DISCONNECT_CONFIRMATION_WORD } from '../../src/slack/views/settings-modals.ts';

/** Slack's limits on modal titles and buttons, and on section text. */
const MODAL_TEXT_LIMIT = 24;
const SECTION_TEXT_LIMIT = 3_000;

const kinds = groupByKind({
  workspace_secrets: 2,
  workspace_settings: 7,
  questions: 1_234,
  analytics_messages: 50_000,
  analytics_channels: 12,
  reports: 3,
  join_notices: 4,
  workspaces: 1,
  shiny_new_table: 5,
});

const sectionTexts = (blocks: unknown[]) =>
  (blocks as { type: string; text?: { text: string } }[]).filter((block) => block.type === 'section').map((block) => block.text?.text ?? '');

describe('buildDisconnectModal', () => {
  const modal = buildDisconnectModal({ kinds });

  it('lists every kind of stored data with its row count, a table added later included', () => {
    const text = sectionTexts(modal.blocks).join('\n');
    expect(text).toContain('question records and usage: *1,234*');
    expect(text).toContain('analytics rows (message metadata, reactions, mentions, links, threads, daily figures): *50,000*');
    expect(text).toContain('workspace record: *1*');
    expect(text).toContain('shiny_new_table: *5*');
    expect(text).toMatch(/revokes its bot token/);
  });

  it('asks for the confirmation word and fits Slack’s limits', () => {
    expect(modal.callback_id).toBe(VIEW_ID.disconnect);
    expect(modal.title.text.length).toBeLessThanOrEqual(MODAL_TEXT_LIMIT);
    expect(modal.submit.text.length).toBeLessThanOrEqual(MODAL_TEXT_LIMIT);
    const input = modal.blocks.find((block) => block.type === 'input') as { block_id: string; element: { action_id: string }; label: { text: string } };
    expect(input.block_id).toBe(BLOCK_ID.disconnectConfirmation);
    expect(input.element.action_id).toBe(ACTION_ID.disconnectConfirmationInput);
    expect(input.label.text).toContain(DISCONNECT_CONFIRMATION_WORD);
    for (const text of sectionTexts(modal.blocks)) expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
  });
});

describe('buildDisconnectedHome', () => {
  it('says what was deleted, kind by kind, and that the token is being revoked', () => {
    const home = buildDisconnectedHome({ kinds, total: 51_268 });
    const text = sectionTexts(home.blocks).join('\n');
    expect(home.type).toBe('home');
    expect(text).toContain('*51,268* rows');
    expect(text).toContain('scheduled reports: *3*');
    expect(text).toMatch(/bot token is being revoked now/);
  });
});

describe('buildJoinNoticeModal', () => {
  it('shows the notice as it reads and the current choice', () => {
    const preview = describeJoinNotice(DEFAULT_ANALYTICS_SETTINGS, 'invited');
    const modal = buildJoinNoticeModal({ enabled: false, preview });
    expect(modal.callback_id).toBe(VIEW_ID.joinNotice);
    expect(modal.title.text.length).toBeLessThanOrEqual(MODAL_TEXT_LIMIT);
    expect(sectionTexts(modal.blocks).join('\n')).toContain('> *Who sees figures:*');
    const select = (modal.blocks[2] as { element: { initial_option: { value: string } } }).element;
    expect(select.initial_option.value).toBe('false');
    expect(buildJoinNoticeModal({ enabled: true, preview }).blocks[2]).toMatchObject({ element: { initial_option: { value: 'true' } } });
  });
});
