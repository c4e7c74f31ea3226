/**
 * The analytics part of the admin Home tab and the analytics modals: pure
 * builders, tested on the blocks they return.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYTICS_SETTINGS, MAX_PATTERN_LENGTH, type AnalyticsSettings } from '../../src/analytics/analytics-settings.ts';
import type { SyncProgress, SyncSummary } from '../../src/analytics/analytics-sync.ts';
import type { AnalyticsChannel } from '../../src/db/analytics-channel-store.ts';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../src/slack/ids.ts';
import {
  buildAnalyticsSection,
  buildAnalyticsSettingsModal,
  buildDeleteAnalyticsModal,
  DELETE_CONFIRMATION_WORD,
  HOME_CHANNEL_LINES,
  type AnalyticsHomeState,
} from '../../src/slack/views/analytics-home.ts';

// Block Kit limits (docs.slack.dev/reference/block-kit); Slack rejects the whole view past any of them.
/** Section text and any other text object: at most 3,000 characters. */
const TEXT_OBJECT_LIMIT = 3_000;
/** Header text: at most 150 characters. */
const HEADER_TEXT_LIMIT = 150;
/** Button text: at most 75 characters. */
const BUTTON_TEXT_LIMIT = 75;
/** Modal title, submit and close: at most 24 characters. */
const MODAL_TITLE_LIMIT = 24;
/** Input label: at most 2,000 characters; hint likewise. */
const LABEL_LIMIT = 2_000;

const SYNCED_AT = new Date('2024-06-01T09:30:00Z');

// ---- small factories -------------------------------------------------------

function aChannel(overrides: Partial<AnalyticsChannel> = {}): AnalyticsChannel {
  return {
    teamId: 'T0ACME',
    channelId: 'C0GENERAL',
    name: 'general',
    isPrivate: false,
    isArchived: false,
    isMember: true,
    autoJoinedAt: null,
    coveredFromTs: null,
    coveredToTs: null,
    passOldestTs: null,
    passLatestTs: null,
    passCursor: null,
    status: 'never',
    lastSyncStartedAt: null,
    lastSyncFinishedAt: null,
    lastSyncMessages: null,
    lastSyncError: null,
    updatedAt: SYNCED_AT,
    ...overrides,
  };
}

/** A channel as it looks after a successful sync: the line carries a date and a count. */
function aSyncedChannel(index: number, overrides: Partial<AnalyticsChannel> = {}): AnalyticsChannel {
  return aChannel({
    channelId: `C${String(index).padStart(4, '0')}`,
    name: `team-${String(index).padStart(3, '0')}`,
    status: 'synced',
    lastSyncStartedAt: SYNCED_AT,
    lastSyncFinishedAt: SYNCED_AT,
    lastSyncMessages: 1_234,
    coveredToTs: '1717234200.000000',
    ...overrides,
  });
}

function aSummary(overrides: Partial<SyncSummary> = {}): SyncSummary {
  return {
    trigger: 'manual',
    startedAt: new Date('2024-06-01T09:00:00Z'),
    finishedAt: SYNCED_AT,
    channels: 3,
    joined: [],
    messages: 12_345,
    failed: [],
    ...overrides,
  };
}

function aProgress(overrides: Partial<SyncProgress> = {}): SyncProgress {
  return {
    trigger: 'schedule',
    startedAt: new Date('2024-06-01T09:00:00Z'),
    channelsTotal: 5,
    channelsDone: 2,
    currentChannel: 'eng-help',
    messages: 4_321,
    ...overrides,
  };
}

function aState(overrides: Partial<Omit<AnalyticsHomeState, 'settings'>> & { settings?: Partial<AnalyticsSettings> } = {}): AnalyticsHomeState {
  const { settings, ...rest } = overrides;
  return {
    channels: [],
    progress: undefined,
    lastSync: undefined,
    schedule: { cron: '0 6,12,18 * * *', timeZone: 'Europe/Berlin' },
    notice: undefined,
    ...rest,
    settings: { ...DEFAULT_ANALYTICS_SETTINGS, ...settings },
  };
}

// ---- reading blocks --------------------------------------------------------

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every text object anywhere in a value, with the path to it. */
function textObjects(value: unknown, path = ''): { path: string; type: string; text: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => textObjects(item, `${path}[${index}]`));
  if (!isNode(value)) return [];
  const own = typeof value.text === 'string' && typeof value.type === 'string' ? [{ path, type: value.type, text: value.text }] : [];
  return [...own, ...Object.entries(value).flatMap(([key, child]) => textObjects(child, `${path}.${key}`))];
}

/** The texts longer than Block Kit allows, as readable lines (empty when all fit). */
function overLongTexts(value: unknown): string[] {
  return textObjects(value)
    .filter((object) => object.text.length > TEXT_OBJECT_LIMIT)
    .map((object) => `${object.path}: ${object.text.length} characters`);
}

const sectionTexts = (blocks: unknown[]) =>
  blocks.filter((block): block is Node => isNode(block) && block.type === 'section').map((block) => String((block.text as Node).text));
const contextTexts = (blocks: unknown[]) =>
  blocks
    .filter((block): block is Node => isNode(block) && block.type === 'context')
    .map((block) => String(((block.elements as Node[])[0] as Node).text));
const buttons = (blocks: unknown[]) =>
  blocks
    .filter((block): block is Node => isNode(block) && block.type === 'actions')
    .flatMap((block) => block.elements as Node[])
    .map((button) => ({ text: String((button.text as Node).text), actionId: String(button.action_id), style: button.style }));
/** The section listing channels: the last block, after the settings section, when there are channels to list. */
function channelSection(blocks: unknown[]): string | undefined {
  const last = blocks.at(-1);
  if (!isNode(last) || last.type !== 'section') return undefined;
  const text = String((last.text as Node).text);
  return text.startsWith('*Auto-join pattern:*') ? undefined : text;
}

// ---- the Home tab section --------------------------------------------------

describe('buildAnalyticsSection', () => {
  it('shows Paused with a Resume button, and no Sync now, when analytics is off', () => {
    const blocks = buildAnalyticsSection(aState({ settings: { enabled: false } }));

    expect(sectionTexts(blocks)[0]).toContain('*Paused*');
    expect(buttons(blocks).map((button) => button.actionId)).toEqual([
      ACTION_ID.resumeAnalytics,
      ACTION_ID.editAnalytics,
      ACTION_ID.deleteAnalytics,
    ]);
  });

  it('shows On with a Sync now button when analytics is on and no sync runs', () => {
    const blocks = buildAnalyticsSection(aState());

    expect(sectionTexts(blocks)[0]).toContain('*On*');
    expect(buttons(blocks)[0]).toEqual({ text: 'Sync now', actionId: ACTION_ID.syncNow, style: 'primary' });
    expect(buttons(blocks).at(-1)).toMatchObject({ actionId: ACTION_ID.deleteAnalytics, style: 'danger' });
  });

  it("shows a running sync's channels done of total, its current channel and the messages read so far", () => {
    const blocks = buildAnalyticsSection(aState({ progress: aProgress() }));

    expect(sectionTexts(blocks)[0]).toBe(
      ':hourglass_flowing_sand: *Syncing* — 2 of 5 channels done, now #eng-help; 4,321 messages read so far.',
    );
    expect(buttons(blocks)[0]).toMatchObject({ text: 'Syncing…', actionId: ACTION_ID.syncNow });
  });

  it('leaves the current channel out of the progress line between channels', () => {
    const blocks = buildAnalyticsSection(aState({ progress: aProgress({ currentChannel: undefined, channelsDone: 0, messages: 0 }) }));

    expect(sectionTexts(blocks)[0]).toContain('0 of 5 channels done; 0 messages read so far.');
  });

  it('shows Paused rather than progress when analytics was turned off during a sync', () => {
    const blocks = buildAnalyticsSection(aState({ settings: { enabled: false }, progress: aProgress() }));

    expect(sectionTexts(blocks)[0]).toContain('*Paused*');
    expect(buttons(blocks)[0]?.actionId).toBe(ACTION_ID.resumeAnalytics);
  });

  it('summarises the last sync: trigger, channels, messages, joined channels and failures', () => {
    const lastSync = aSummary({
      channels: 1,
      messages: 2_500,
      joined: ['eng-help', 'eng-prs'],
      failed: [{ name: 'eng-prs', error: 'The sync failed (ref 0a1b2c3d); it will be retried on the next sync.' }],
    });

    const [summary] = contextTexts(buildAnalyticsSection(aState({ lastSync })));

    expect(summary).toMatch(/^Last sync \(manual\) finished <!date\^1717234200\^[^|]+\|2024-06-01T09:30:00\.000Z>: /);
    expect(summary).toContain('1 channel · 2,500 messages read · joined #eng-help, #eng-prs · 1 failed.');
  });

  it('says why the last sync was skipped', () => {
    const lastSync = aSummary({ skipped: 'Analytics is turned off in App Home.' });

    expect(contextTexts(buildAnalyticsSection(aState({ lastSync })))).toContain('Last sync skipped: Analytics is turned off in App Home.');
  });

  it('says the schedule is off and points to Sync now when scheduled syncs are off', () => {
    const settingsText = sectionTexts(buildAnalyticsSection(aState({ schedule: undefined }))).join('\n');

    expect(settingsText).toContain('*Schedule:* off (ANALYTICS_SYNC_CRON=off): use Sync now');
  });

  it('shows the schedule with its time zone when syncs are scheduled', () => {
    const settingsText = sectionTexts(buildAnalyticsSection(aState())).join('\n');

    expect(settingsText).toContain('*Schedule:* `0 6,12,18 * * *` (Europe/Berlin)');
  });

  it('shows the settings an admin chose', () => {
    const settingsText = sectionTexts(
      buildAnalyticsSection(
        aState({
          settings: { autoJoinPattern: '^eng-', lookbackDays: 1_200, retentionDays: 2_000, storeText: true, pseudonymize: true, personFiguresFor: 'everyone' },
        }),
      ),
    ).join('\n');

    expect(settingsText).toContain('*Auto-join pattern:* `^eng-`');
    expect(settingsText).toContain('*History:* 1,200 days back · *Kept for:* 2,000 days');
    expect(settingsText).toContain('*Message text:* stored · *People:* pseudonymized · *Per-person figures:* everyone');
  });

  it('puts a one-off notice for the admin right under the header', () => {
    const blocks = buildAnalyticsSection(aState({ notice: 'Deleted all analytics data.' }));

    expect(sectionTexts(blocks)[0]).toBe(':information_source: Deleted all analytics data.');
  });

  it('says how to get started when Pulse syncs no channel yet', () => {
    const blocks = buildAnalyticsSection(aState({ channels: [aChannel({ isMember: false })] }));

    expect(channelSection(blocks)).toBeUndefined();
    expect(contextTexts(blocks).join('\n')).toContain('Invite Pulse to a channel (`/invite @Pulse`)');
  });

  it("describes each channel's state: private, not a member any more, archived, joined by pattern, never synced, failed", () => {
    const channels = [
      aChannel({ channelId: 'C1', name: 'fresh' }),
      aChannel({ channelId: 'G1', name: 'leads', isPrivate: true, status: 'synced', lastSyncFinishedAt: SYNCED_AT, lastSyncMessages: 7 }),
      aChannel({ channelId: 'C2', name: 'old', isMember: false, isArchived: true, status: 'synced', lastSyncFinishedAt: SYNCED_AT, lastSyncMessages: 0 }),
      aChannel({ channelId: 'C3', name: 'eng-prs', autoJoinedAt: SYNCED_AT, status: 'failed', lastSyncFinishedAt: SYNCED_AT, lastSyncMessages: 2, lastSyncError: 'Pulse can no longer read this channel.' }),
      aChannel({ channelId: 'C4', name: 'ignored', isMember: false }),
    ];

    const lines = (channelSection(buildAnalyticsSection(aState({ channels }))) ?? '').split('\n');

    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(':white_circle: #fresh — not synced yet');
    expect(lines[1]).toMatch(/^:white_check_mark: :lock: leads — last sync <!date\^\d+\^[^>]+>, 7 messages read$/);
    expect(lines[2]).toMatch(/^:white_check_mark: #old — Pulse is not a member · archived · last sync /);
    expect(lines[3]).toMatch(/^:x: #eng-prs — joined by pattern · last sync .+ · Pulse can no longer read this channel\.$/);
  });

  it(`lists at most ${HOME_CHANNEL_LINES} channels and counts the rest`, () => {
    const channels = Array.from({ length: HOME_CHANNEL_LINES + 7 }, (_, index) => aChannel({ channelId: `C${index}`, name: `c${index}` }));

    const lines = (channelSection(buildAnalyticsSection(aState({ channels }))) ?? '').split('\n');

    expect(lines).toHaveLength(HOME_CHANNEL_LINES + 1);
    expect(lines[HOME_CHANNEL_LINES - 1]).toContain(`#c${HOME_CHANNEL_LINES - 1} `);
    expect(lines.at(-1)).toBe('…and 7 more');
  });

  it('keeps every listed line whole and the "…and N more" count when every channel has a last sync', () => {
    // A synced channel's line carries a <!date…> token and a count (~130 characters), so 25 of them pass 3,000.
    const channels = Array.from({ length: HOME_CHANNEL_LINES + 5 }, (_, index) => aSyncedChannel(index));

    const text = channelSection(buildAnalyticsSection(aState({ channels }))) ?? '';

    expect(text.length).toBeLessThanOrEqual(TEXT_OBJECT_LIMIT);
    // As many whole lines as fit, and the count of the rest.
    const listed = text.split('\n').length - 1;
    expect(listed).toBeGreaterThan(10);
    expect(text.split('\n').at(-1)).toBe(`…and ${channels.length - listed} more`);
    for (const line of text.split('\n').slice(0, -1)) expect(line).toMatch(/messages read$/);
  });

  it("keeps the last sync's summary within Slack's text limit when a pattern joined hundreds of channels", () => {
    const joined = Array.from({ length: 300 }, (_, index) => `eng-team-${String(index).padStart(3, '0')}`);

    const blocks = buildAnalyticsSection(aState({ lastSync: aSummary({ channels: 300, joined }) }));

    expect(overLongTexts(blocks)).toEqual([]);
  });

  it("keeps every text within Slack's limits for a large workspace with long names and errors", () => {
    const channels = Array.from({ length: 400 }, (_, index) =>
      aSyncedChannel(index, {
        name: `${'very-long-channel-name-'.repeat(3)}${index}`.slice(0, 80),
        status: 'failed',
        lastSyncError: 'The sync failed (ref 0a1b2c3d); it will be retried on the next sync.',
      }),
    );
    const state = aState({
      channels,
      settings: { autoJoinPattern: 'x'.repeat(MAX_PATTERN_LENGTH) },
      progress: aProgress({ currentChannel: 'c'.repeat(80), channelsTotal: 400, messages: 9_999_999 }),
    });

    const blocks = buildAnalyticsSection(state);

    expect(overLongTexts(blocks)).toEqual([]);
    for (const object of textObjects(blocks.filter((block) => isNode(block) && block.type === 'header'))) {
      expect(object.text.length).toBeLessThanOrEqual(HEADER_TEXT_LIMIT);
    }
    for (const button of buttons(blocks)) expect(button.text.length).toBeLessThanOrEqual(BUTTON_TEXT_LIMIT);
  });
});

// ---- the modals ------------------------------------------------------------

type Input = { block_id: string; optional?: boolean; label: Node; hint: Node; element: Node };
const inputsOf = (view: { blocks: unknown[] }) => view.blocks.filter((block): block is Input => isNode(block) && block.type === 'input');
const inputById = (view: { blocks: unknown[] }, blockId: string) => inputsOf(view).find((block) => block.block_id === blockId);

describe('buildAnalyticsSettingsModal', () => {
  it('fills every field from the current settings, under the ids the submission handler reads', () => {
    const view = buildAnalyticsSettingsModal({
      ...DEFAULT_ANALYTICS_SETTINGS,
      autoJoinPattern: '^eng-',
      lookbackDays: 30,
      retentionDays: 400,
      storeText: true,
      pseudonymize: false,
      personFiguresFor: 'everyone',
    });

    expect(view.callback_id).toBe(VIEW_ID.analyticsSettings);
    const fields = Object.fromEntries(
      inputsOf(view).map((block) => [
        block.block_id,
        {
          actionId: block.element.action_id,
          value: block.element.initial_value ?? (block.element.initial_option as Node | undefined)?.value,
        },
      ]),
    );
    expect(fields).toEqual({
      [BLOCK_ID.autoJoinPattern]: { actionId: ACTION_ID.autoJoinPatternInput, value: '^eng-' },
      [BLOCK_ID.lookbackDays]: { actionId: ACTION_ID.lookbackDaysInput, value: '30' },
      [BLOCK_ID.retentionDays]: { actionId: ACTION_ID.retentionDaysInput, value: '400' },
      [BLOCK_ID.storeText]: { actionId: ACTION_ID.storeTextSelect, value: 'true' },
      [BLOCK_ID.pseudonymize]: { actionId: ACTION_ID.pseudonymizeSelect, value: 'false' },
      [BLOCK_ID.personFigures]: { actionId: ACTION_ID.personFiguresSelect, value: 'everyone' },
    });
  });

  it('leaves the auto-join pattern empty and optional when there is none, and every other field required', () => {
    const view = buildAnalyticsSettingsModal(DEFAULT_ANALYTICS_SETTINGS);

    const pattern = inputById(view, BLOCK_ID.autoJoinPattern);
    expect(pattern?.optional).toBe(true);
    expect(pattern?.element).not.toHaveProperty('initial_value');
    for (const block of inputsOf(view).filter((input) => input.block_id !== BLOCK_ID.autoJoinPattern)) {
      expect(block.optional ?? false).toBe(false);
    }
  });

  it('picks an initial option that is exactly one of the options, as Slack requires', () => {
    const view = buildAnalyticsSettingsModal({ ...DEFAULT_ANALYTICS_SETTINGS, pseudonymize: true });

    for (const block of inputsOf(view).filter((input) => input.element.type === 'static_select')) {
      const options = (block.element.options as Node[]).map((option) => JSON.stringify(option));
      expect(options).toContain(JSON.stringify(block.element.initial_option));
    }
    expect((inputById(view, BLOCK_ID.pseudonymize)?.element.initial_option as Node).value).toBe('true');
  });

  it("keeps titles, labels and hints within Slack's limits", () => {
    const view = buildAnalyticsSettingsModal({ ...DEFAULT_ANALYTICS_SETTINGS, autoJoinPattern: 'x'.repeat(MAX_PATTERN_LENGTH) });

    for (const text of [view.title.text, view.submit.text, view.close.text]) expect(text.length).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
    for (const block of inputsOf(view)) {
      expect(String(block.label.text).length).toBeLessThanOrEqual(LABEL_LIMIT);
      expect(String(block.hint.text).length).toBeLessThanOrEqual(LABEL_LIMIT);
    }
  });
});

describe('buildDeleteAnalyticsModal', () => {
  it('names how many messages and channels the deletion removes and asks for the confirmation word', () => {
    const view = buildDeleteAnalyticsModal({ messages: 123_456, channels: 7 });

    expect(view.callback_id).toBe(VIEW_ID.deleteAnalytics);
    const [warning] = sectionTexts(view.blocks);
    expect(warning).toContain("123,456 messages' metadata");
    expect(warning).toContain('the sync state of 7 channels');
    expect(warning).toContain('Syncing pauses until you resume it.');
    const confirmation = inputById(view, BLOCK_ID.deleteConfirmation);
    expect(confirmation?.element.action_id).toBe(ACTION_ID.deleteConfirmationInput);
    expect(confirmation?.label.text).toBe(`Type ${DELETE_CONFIRMATION_WORD} to confirm`);
    expect(confirmation?.element).not.toHaveProperty('initial_value');
    for (const text of [view.title.text, view.submit.text, view.close.text]) expect(text.length).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
  });
});
