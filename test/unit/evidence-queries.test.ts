/**
 * The evidence behind a people summary: the threads a person started and the
 * threads they gave help replies in (createEvidenceQueries), and
 * PeopleSummaries.collaborationEvidence, which adds the person's signals,
 * permalinks and the refusals (non-admins, opted-out people, channels outside
 * the asker's access, Slack ids in pseudonymized workspaces). Rows come from a
 * real migrated database filled through the analytics store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from '../../src/analytics/analytics-settings.ts';
import { extractMessageMetadata, type SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { EVIDENCE_REFUSALS, MAX_EVIDENCE_THREADS } from '../../src/analytics/people-evidence.ts';
import { PeopleSummaries } from '../../src/analytics/people-summaries.ts';
import { createPseudonymizer } from '../../src/analytics/pseudonym.ts';
import { dayOfMs, toStoredMessage } from '../../src/analytics/stored-message.ts';
import { WorkspaceMetrics, type AnalyticsAccess, type Refusal } from '../../src/analytics/workspace-metrics.ts';
import { createAnalyticsChannelStore } from '../../src/db/analytics-channel-store.ts';
import { createAnalyticsQueries } from '../../src/db/analytics-queries.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { createEvidenceQueries } from '../../src/db/evidence-queries.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { createPeopleSummaryOptOuts } from '../../src/db/opt-out-store.ts';
import { createWorkspaceSettingsStore } from '../../src/db/workspace-settings-store.ts';

const TEAM = 'T0ACME';
const NOW = new Date('2024-03-15T12:00:00Z');
const ADA = 'U01ADA';
const BEA = 'U02BEA';
const CY = 'U03CY';
const DEV = 'U04DEV';
const NAMES: Record<string, string> = { [ADA]: 'Ada Lovelace', [BEA]: 'Bea Arthur', [CY]: 'Cy Twombly', [DEV]: 'Dev Patel' };
const ENG = { id: 'C01ENG', name: 'eng' };
const SUPPORT = { id: 'C02SUPPORT', name: 'support' };
/** Synced, but Ada (the admin) is not a member. */
const OPS = { id: 'C05OPS', name: 'ops' };
const MEMBERSHIPS: Record<string, string[]> = { [ADA]: [ENG.id, SUPPORT.id], [BEA]: [ENG.id, SUPPORT.id, OPS.id], [CY]: [ENG.id] };

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

function at(date: string, minute = 0): string {
  return `${Date.parse(`${date}T09:00:00Z`) / 1000 + minute * 60}.000100`;
}

function thread(root: { ts: string; user: string; text: string }, replies: [string, number][]): SlackMessageLike[] {
  return [
    { ...root, thread_ts: root.ts, reply_count: replies.length, reply_users: [...new Set(replies.map(([user]) => user))] },
    ...replies.map(([user, minute], index) => ({ ts: `${Number(root.ts.split('.')[0]) + minute * 60}.00010${index}`, thread_ts: root.ts, user, text: 'Try this' })),
  ];
}

/**
 * - #eng: Ada asks on 03-05; Bea answers twice, Cy once (Bea: 2 help replies there). Bea posts an update on
 *   03-06 that Ada and Cy reply to (Bea started it). Cy asks on 03-08; Bea answers once.
 * - #support: Dev asks on 03-07; Bea answers once. Bea asks on 02-01 (outside the default range); Dev answers.
 * - #ops (Ada is not in it): Cy asks on 03-09; Bea answers.
 */
function messages(): Record<string, SlackMessageLike[]> {
  return {
    [ENG.id]: [
      ...thread({ ts: at('2024-03-05'), user: ADA, text: 'How do I deploy the API?' }, [[BEA, 5], [CY, 8], [BEA, 12]]),
      ...thread({ ts: at('2024-03-06'), user: BEA, text: 'Shipped the new flow' }, [[ADA, 3], [CY, 4]]),
      ...thread({ ts: at('2024-03-08'), user: CY, text: 'Why is the build red?' }, [[BEA, 2]]),
    ],
    [SUPPORT.id]: [
      ...thread({ ts: at('2024-03-07'), user: DEV, text: 'Where are the runbooks?' }, [[BEA, 1]]),
      ...thread({ ts: at('2024-02-01'), user: BEA, text: 'Is the VPN down?' }, [[DEV, 1]]),
    ],
    [OPS.id]: thread({ ts: at('2024-03-09'), user: CY, text: 'Who owns billing?' }, [[BEA, 1]]),
  };
}

function aWorld(options: { settings?: Partial<AnalyticsSettings> } = {}) {
  const database = openDatabase(':memory:');
  opened.push(database);
  const store = createAnalyticsStore(database.db);
  const channels = createAnalyticsChannelStore(database.db);
  const settings: AnalyticsSettings = { ...DEFAULT_ANALYTICS_SETTINGS, ...options.settings };
  const pseudonymize = createPseudonymizer(Buffer.alloc(32, 3), TEAM);
  for (const channel of [ENG, SUPPORT, OPS]) {
    channels.saveSeen(TEAM, { channelId: channel.id, name: channel.name, isPrivate: false, isArchived: false, isMember: true });
    channels.finishPass(TEAM, channel.id, at('2023-12-01'), `${NOW.getTime() / 1000}.000000`);
  }
  for (const [channelId, list] of Object.entries(messages())) {
    store.writeMessages(
      TEAM,
      list.map((message) =>
        toStoredMessage(
          extractMessageMetadata(message, { teamId: TEAM, channelId, storeText: false, ...(settings.pseudonymize ? { pseudonymize } : {}) }),
        ),
      ),
    );
  }
  const access: AnalyticsAccess = {
    isAdmin: async (_teamId, userId) => userId === ADA,
    memberChannelIds: async (_teamId, userId) => new Set(MEMBERSHIPS[userId] ?? []),
    describePeople: async (_teamId, userIds) => new Map(userIds.filter((id) => NAMES[id]).map((id) => [id, NAMES[id] as string])),
    searchPeople: async () => [],
    permalink: (_teamId, channelId, ts) => `https://acme.slack.com/archives/${channelId}/p${ts.replace('.', '')}`,
  };
  const optOuts = createPeopleSummaryOptOuts(createWorkspaceSettingsStore(database.db));
  const evidence = createEvidenceQueries(database.db);
  const queries = createAnalyticsQueries(database.db);
  const metrics = new WorkspaceMetrics({ queries, channels, settings: () => settings, access, now: () => NOW });
  const summaries = new PeopleSummaries({ metrics, queries, settings: () => settings, access, evidence, optOuts, pseudonymizer: () => pseudonymize });
  return { summaries, evidence, optOuts, pseudonymize };
}

const day = (date: string) => dayOfMs(Date.parse(`${date}T00:00:00Z`));
const link = (channelId: string, ts: string) => `https://acme.slack.com/archives/${channelId}/p${ts.replace('.', '')}`;

interface EvidenceAnswer {
  person: string;
  signals: Record<string, unknown>;
  threads: { columns: string[]; rows: unknown[][] };
  threads_total: number;
  more_threads: number;
  channels_counted: string[];
  notes: string[];
}

function answered(result: Refusal | Record<string, unknown>): EvidenceAnswer {
  if ('refused' in result) throw new Error(`refused: ${String(result.refused)}`);
  return result as unknown as EvidenceAnswer;
}

describe('createEvidenceQueries personThreads', () => {
  it('returns the threads a person started and the ones they gave help replies in, deepest first, with the total', () => {
    const { evidence } = aWorld();
    const result = evidence.personThreads({
      teamId: TEAM,
      personId: BEA,
      channelIds: [ENG.id, SUPPORT.id, OPS.id],
      fromDay: day('2024-03-01'),
      toDay: day('2024-03-16'),
      limit: 10,
    });
    expect(result.total).toBe(5);
    expect(result.threads.map((row) => [row.channelId, row.threadTs, row.role, row.helpReplies, row.replies, row.participants])).toEqual([
      [ENG.id, at('2024-03-05'), 'help_reply', 2, 3, 3],
      [ENG.id, at('2024-03-06'), 'started', 0, 2, 3],
      [OPS.id, at('2024-03-09'), 'help_reply', 1, 1, 2],
      [ENG.id, at('2024-03-08'), 'help_reply', 1, 1, 2],
      [SUPPORT.id, at('2024-03-07'), 'help_reply', 1, 1, 2],
    ]);
  });

  it('keeps to the channels and days asked for, and bounds the list without losing the total', () => {
    const { evidence } = aWorld();
    const query = { teamId: TEAM, personId: BEA, channelIds: [SUPPORT.id], fromDay: day('2024-01-01'), toDay: day('2024-03-16') };
    expect(evidence.personThreads({ ...query, limit: 10 }).threads.map((row) => row.role)).toEqual(['help_reply', 'started']);
    const bounded = evidence.personThreads({ ...query, channelIds: [ENG.id, SUPPORT.id], limit: 2 });
    expect(bounded).toMatchObject({ total: 5 });
    expect(bounded.threads).toHaveLength(2);
    expect(evidence.personThreads({ ...query, channelIds: [], limit: 10 })).toEqual({ threads: [], total: 0 });
  });

  it("never counts a reply to one's own question as a help reply", () => {
    const { evidence } = aWorld();
    const ada = evidence.personThreads({ teamId: TEAM, personId: ADA, channelIds: [ENG.id], fromDay: day('2024-03-01'), toDay: day('2024-03-16'), limit: 10 });
    // Ada replied to Bea's update (not a question): no help reply; she started the 03-05 question.
    expect(ada.threads.map((row) => [row.threadTs, row.role])).toEqual([[at('2024-03-05'), 'started']]);
  });
});

describe('PeopleSummaries.collaborationEvidence', () => {
  it("gives an admin the person's signals and permalinks of their threads in the admin's channels, saying what was left out", async () => {
    const { summaries } = aWorld();
    const result = answered(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: BEA }));
    expect(result.person).toBe(`Bea Arthur (${BEA})`);
    expect(result.channels_counted).toEqual(['#eng', '#support']);
    expect(result.signals).toMatchObject({ messages: 5, threads_started: 1, help_replies: 4, replies: 4, channels_active_in: 2 });
    expect(result.threads.rows.map((row) => row[0])).toEqual([
      link(ENG.id, at('2024-03-05')),
      link(ENG.id, at('2024-03-06')),
      link(ENG.id, at('2024-03-08')),
      link(SUPPORT.id, at('2024-03-07')),
    ]);
    expect(result.threads.rows[0]).toEqual([link(ENG.id, at('2024-03-05')), '#eng', '2024-03-05', 'gave help replies', 2, 3, 3, true]);
    expect(result.threads_total).toBe(4);
    expect(result.more_threads).toBe(0);
    expect(result.notes.join(' ')).toMatch(/1 synced channel you are not a member of is not counted/);
    expect(result.notes.join(' ')).toMatch(/every claim cites one of these links/);
    expect(JSON.stringify(result)).not.toContain(OPS.id);
  });

  it('accepts a Slack mention as the person and bounds the threads to MAX_EVIDENCE_THREADS', async () => {
    const { summaries } = aWorld();
    const result = answered(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: `<@${BEA}>`, from: '2024-01-01' }));
    expect(result.threads.rows.length).toBeLessThanOrEqual(MAX_EVIDENCE_THREADS);
    expect(result.threads_total).toBe(5);
  });

  it('refuses non-admins, opted-out people, names instead of ids, and channels outside the asker\u2019s access', async () => {
    const { summaries, optOuts } = aWorld();
    expect(await summaries.collaborationEvidence({ teamId: TEAM, userId: BEA }, { person: CY })).toEqual({ refused: EVIDENCE_REFUSALS.notAdmin });
    expect(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: 'bea' })).toEqual({ refused: EVIDENCE_REFUSALS.needsId });
    expect(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: BEA, channels: ['#ops'] })).toEqual({
      refused: expect.stringMatching(/not a member of #ops/),
    });
    expect(
      await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA, audience: { privateChannelIds: [] } }, { person: BEA }),
    ).toEqual({ refused: EVIDENCE_REFUSALS.notPrivate });

    expect(await summaries.setPeopleSummaryOptOut({ teamId: TEAM, userId: BEA }, true)).toMatchObject({ opted_out: true });
    expect(optOuts.list(TEAM)).toEqual([BEA]);
    expect(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: BEA })).toEqual({ refused: EVIDENCE_REFUSALS.optedOut });
    // Only Bea's own choice changed: Cy can still be summarized.
    answered(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: CY }));

    expect(await summaries.setPeopleSummaryOptOut({ teamId: TEAM, userId: BEA }, false)).toMatchObject({ opted_out: false });
    expect(optOuts.list(TEAM)).toEqual([]);
    answered(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: BEA }));
  });

  it('works on pseudonyms in a pseudonymized workspace: Slack ids refused, the pseudonym cited, opt-outs matched through it', async () => {
    const { summaries, pseudonymize } = aWorld({ settings: { pseudonymize: true } });
    expect(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: BEA })).toEqual({ refused: EVIDENCE_REFUSALS.pseudonymsOnly });
    const result = answered(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: pseudonymize(BEA) }));
    expect(result.person).toBe(pseudonymize(BEA));
    expect(result.signals).toMatchObject({ help_replies: 4, threads_started: 1 });
    expect(result.threads.rows).toHaveLength(4);
    expect(JSON.stringify(result)).not.toMatch(/U0\dBEA|Bea Arthur/);

    await summaries.setPeopleSummaryOptOut({ teamId: TEAM, userId: BEA }, true);
    expect(await summaries.collaborationEvidence({ teamId: TEAM, userId: ADA }, { person: pseudonymize(BEA) })).toEqual({
      refused: EVIDENCE_REFUSALS.optedOut,
    });
  });
});
