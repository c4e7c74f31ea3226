/**
 * WorkspaceMetrics answers metric questions for one asker, with access
 * control in code: figures only for synced channels the asker is a member of,
 * per-person figures only for admins (unless widened) except one's own,
 * pseudonyms only in pseudonymized workspaces. Rows come from a real migrated
 * database filled through the analytics store; Slack is a plain object
 * implementing the AnalyticsAccess port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from '../../src/analytics/analytics-settings.ts';
import { extractMessageMetadata, type SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { createPseudonymizer } from '../../src/analytics/pseudonym.ts';
import { toStoredMessage } from '../../src/analytics/stored-message.ts';
import {
  DEFAULT_TOP,
  MAX_RESULT_ROWS,
  METRIC_DEFINITIONS,
  WorkspaceMetrics,
  type AnalyticsAccess,
  type MetricRequest,
  type Refusal,
} from '../../src/analytics/workspace-metrics.ts';
import { createAnalyticsChannelStore } from '../../src/db/analytics-channel-store.ts';
import { createAnalyticsQueries } from '../../src/db/analytics-queries.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';

const TEAM = 'T0ACME';
/** Friday 2024-03-15, midday UTC: the default range is 2024-02-15 to 2024-03-15. */
const NOW = new Date('2024-03-15T12:00:00Z');

const ADA = 'U01ADA';
const BEA = 'U02BEA';
const CY = 'U03CY';
const DEV = 'U04DEV';
const NAMES: Record<string, string> = { [ADA]: 'Ada Lovelace', [BEA]: 'Bea Arthur', [CY]: 'Cy Twombly', [DEV]: 'Dev Patel' };

const ENG = { id: 'C01ENG', name: 'eng' };
const SUPPORT = { id: 'C02SUPPORT', name: 'support' };
const OPS = { id: 'C05OPS', name: 'ops' };
const LEADS = { id: 'G01LEADS', name: 'leads', isPrivate: true };
/** Known from the channel list, but Pulse is not a member and never synced it. */
const RANDOM = { id: 'C03RANDOM', name: 'random' };

/** Who is in which channel (what users.conversations would say). ADA is the admin and in every channel. */
const MEMBERSHIPS: Readonly<Record<string, string[]>> = {
  [ADA]: [ENG.id, SUPPORT.id, OPS.id, LEADS.id, RANDOM.id],
  [BEA]: [ENG.id, SUPPORT.id, RANDOM.id],
  [CY]: [ENG.id, OPS.id],
  [DEV]: [RANDOM.id],
};

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

// ---- small factories -------------------------------------------------------

/** A Slack ts on a UTC date, `minute` minutes after 09:00. */
function at(date: string, minute = 0): string {
  return `${Date.parse(`${date}T09:00:00Z`) / 1000 + minute * 60}.000100`;
}

const said = (user: string, ts: string, text = 'an update'): SlackMessageLike => ({ ts, user, text });

/**
 * The workspace every test starts from (person messages in brackets):
 * - #eng: a question thread by Ada on Tue 03-05 answered by Bea after 5 minutes and by Cy, a note by Bea,
 *   and Ada and Cy on 03-12 (Ada 2, Bea 2, Cy 2)
 * - #support on 03-06 (Dev 3, Bea 1) · #ops on 03-07 (Cy 1) · private #leads on 03-07 (Ada 2)
 */
function baseMessages(): Record<string, SlackMessageLike[]> {
  const root = at('2024-03-05');
  return {
    [ENG.id]: [
      { ts: root, thread_ts: root, user: ADA, text: 'How do I deploy the API?', reply_count: 2, reply_users: [BEA, CY] },
      { ts: at('2024-03-05', 5), thread_ts: root, user: BEA, text: 'Run make deploy' },
      { ts: at('2024-03-05', 8), thread_ts: root, user: CY, text: 'And watch the dashboard' },
      said(BEA, at('2024-03-05', 60)),
      said(ADA, at('2024-03-12')),
      said(CY, at('2024-03-12', 30)),
    ],
    [SUPPORT.id]: [said(DEV, at('2024-03-06')), said(DEV, at('2024-03-06', 1)), said(DEV, at('2024-03-06', 2)), said(BEA, at('2024-03-06', 3))],
    [OPS.id]: [said(CY, at('2024-03-07'))],
    [LEADS.id]: [said(ADA, at('2024-03-07')), said(ADA, at('2024-03-07', 1))],
  };
}

interface WorldOptions {
  settings?: Partial<AnalyticsSettings>;
  /** Replaces the base messages. */
  messages?: Record<string, SlackMessageLike[]>;
  /** Replaces some people's memberships. */
  memberships?: Record<string, string[]>;
}

function aWorld(options: WorldOptions = {}) {
  const database = openDatabase(':memory:');
  opened.push(database);
  const store = createAnalyticsStore(database.db);
  const channels = createAnalyticsChannelStore(database.db);
  const queries = createAnalyticsQueries(database.db);
  const settings: AnalyticsSettings = { ...DEFAULT_ANALYTICS_SETTINGS, ...options.settings };
  const pseudonymize = createPseudonymizer(Buffer.alloc(32, 3), TEAM);

  const sync = (channel: { id: string; name: string; isPrivate?: boolean }) => {
    channels.saveSeen(TEAM, { channelId: channel.id, name: channel.name, isPrivate: channel.isPrivate ?? false, isArchived: false, isMember: true });
    channels.finishPass(TEAM, channel.id, at('2023-12-01'), `${NOW.getTime() / 1000}.000000`);
  };
  for (const channel of [ENG, SUPPORT, OPS, LEADS]) sync(channel);
  channels.saveSeen(TEAM, { channelId: RANDOM.id, name: RANDOM.name, isPrivate: false, isArchived: false, isMember: false });

  const post = (channelId: string, messages: SlackMessageLike[]) =>
    store.writeMessages(
      TEAM,
      messages.map((message) =>
        toStoredMessage(
          extractMessageMetadata(message, {
            teamId: TEAM,
            channelId,
            storeText: false,
            ...(settings.pseudonymize ? { pseudonymize } : {}),
          }),
        ),
      ),
    );
  for (const [channelId, messages] of Object.entries(options.messages ?? baseMessages())) post(channelId, messages);

  const memberships = { ...MEMBERSHIPS, ...options.memberships };
  const lookedUp: string[][] = [];
  const access: AnalyticsAccess = {
    isAdmin: async (_teamId, userId) => userId === ADA,
    memberChannelIds: async (_teamId, userId) => new Set(memberships[userId] ?? []),
    describePeople: async (_teamId, userIds) => {
      lookedUp.push([...userIds]);
      return new Map(userIds.filter((id) => NAMES[id]).map((id) => [id, NAMES[id] as string]));
    },
    searchPeople: async (_teamId, query) =>
      Object.entries(NAMES)
        .filter(([, name]) => name.toLowerCase().includes(query.toLowerCase()))
        .map(([id, name]) => ({ id, name, ...(id === ADA ? { title: 'Staff engineer' } : {}) })),
    permalink: (_teamId, channelId, ts) => `https://acme.slack.com/archives/${channelId}/p${ts.replace('.', '')}`,
  };
  const metrics = new WorkspaceMetrics({ queries, channels, settings: () => settings, access, now: () => NOW });
  return { metrics, channels, post, sync, pseudonymize, lookedUp };
}

const asker = (userId: string) => ({ teamId: TEAM, userId });

interface MetricAnswer {
  metric: string;
  definition: string;
  range: string;
  channels_counted: string[];
  columns: string[];
  rows: unknown[][];
  notes: string[];
}

/** The answer, failing the test with the refusal text when it was refused. */
function answered(result: Refusal | Record<string, unknown>): MetricAnswer {
  if ('refused' in result) throw new Error(`refused: ${String(result.refused)}`);
  return result as unknown as MetricAnswer;
}

/** The refusal sentence, failing the test when figures were given. */
function refusal(result: Refusal | Record<string, unknown>): string {
  if (!('refused' in result)) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return String(result.refused);
}

const messages = (overrides: Partial<MetricRequest> = {}): MetricRequest => ({ metric: 'messages', groupBy: [], ...overrides });

// ---- which channels count --------------------------------------------------

describe('an answer posted for others (a scheduled report)', () => {
  it('leaves out private channels other than the one it is posted in, and says so', async () => {
    const { metrics } = aWorld();
    const toEng = { ...asker(ADA), audience: { privateChannelIds: [ENG.id] } };

    const answer = answered(await metrics.metric(toEng, messages({ groupBy: ['channel'] })));

    expect(answer.channels_counted).not.toContain('#leads');
    expect(answer.notes.join(' ')).toMatch(/private, or you are not a member/);
    const inLeads = answered(await metrics.metric({ ...asker(ADA), audience: { privateChannelIds: [LEADS.id] } }, messages({ groupBy: ['channel'] })));
    expect(inLeads.channels_counted).toContain('#leads');
    expect(refusal(await metrics.metric(toEng, messages({ channels: ['leads'] })))).toMatch(/can\u2019t be posted where people outside it/);
  });

  it('gives per-person figures only as members who are not admins may see them, even when an admin owns it', async () => {
    const { metrics } = aWorld();
    const posted = { ...asker(ADA), audience: { privateChannelIds: [] } };

    expect(refusal(await metrics.metric(posted, messages({ groupBy: ['person'] })))).toMatch(/only for workspace admins/);
    expect(answered(await metrics.metric(asker(ADA), messages({ groupBy: ['person'] }))).rows.length).toBeGreaterThan(0);
  });
});

describe('channel access', () => {
  it('counts only synced channels the asker is a member of and says how many synced channels were left out', async () => {
    const { metrics } = aWorld();

    const answer = answered(await metrics.metric(asker(BEA), messages({ groupBy: ['channel'] })));

    expect(answer.channels_counted).toEqual(['#eng', '#support']);
    expect(answer.rows).toEqual([
      ['#eng', 6],
      ['#support', 4],
    ]);
    expect(answer.notes).toEqual(['2 synced channels you are not a member of are not counted.']);
  });

  it('gives a channel total without grouping, with the metric and its definition', async () => {
    const { metrics } = aWorld();

    const answer = answered(await metrics.metric(asker(CY), messages()));

    expect(answer).toMatchObject({ metric: 'messages', definition: METRIC_DEFINITIONS.messages, columns: ['messages'], rows: [[7]] });
    expect(answer.channels_counted).toEqual(['#eng', '#ops']);
  });

  it('refuses figures for a named channel the asker is not a member of, naming the channel', async () => {
    const { metrics } = aWorld();

    expect(refusal(await metrics.metric(asker(BEA), messages({ channels: ['ops'] })))).toBe(
      "You're not a member of #ops, so I can't share figures about it.",
    );
  });

  it('refuses a channel Pulse does not sync and says how to have it counted', async () => {
    const { metrics } = aWorld();

    for (const [wanted, shown] of [
      ['random', '#random'],
      ['#random', '#random'],
      [RANDOM.id, RANDOM.id],
      ['no-such-channel', '#no-such-channel'],
    ] as const) {
      const text = refusal(await metrics.metric(asker(BEA), messages({ channels: [wanted] })));
      expect(text).toMatch(new RegExp(`^I don't have data for ${shown}: Pulse only counts channels it is a member of\\.`));
      expect(text).toContain('/invite @Pulse');
    }
  });

  it('finds a named channel by id, by name or by #name, in any case', async () => {
    const { metrics } = aWorld();

    for (const wanted of [ENG.id, 'eng', '#eng', ' #ENG ']) {
      const answer = answered(await metrics.metric(asker(BEA), messages({ channels: [wanted] })));
      expect(answer.channels_counted).toEqual(['#eng']);
      expect(answer.notes).toEqual([]);
    }
  });

  it('refuses when the asker is in none of the channels Pulse syncs', async () => {
    const { metrics } = aWorld();

    expect(refusal(await metrics.metric(asker(DEV), messages()))).toBe(
      'None of the channels Pulse syncs has you as a member, so there are no figures I can share with you.',
    );
  });

  it('does not reveal the name of a private channel the asker is not in', async () => {
    const { metrics } = aWorld();

    // Slack shows a private channel's name only to its members; listChannels hides it too.
    const text = refusal(await metrics.metric(asker(BEA), messages({ channels: [LEADS.id] })));

    expect(text).not.toContain(LEADS.name);
  });

  it('notes a channel Pulse is a member of but has not synced yet', async () => {
    const { metrics, channels } = aWorld({ memberships: { [CY]: [ENG.id, OPS.id, 'C06NEW'] } });
    channels.saveSeen(TEAM, { channelId: 'C06NEW', name: 'new-hires', isPrivate: false, isArchived: false, isMember: true });

    const answer = answered(await metrics.metric(asker(CY), messages()));

    expect(answer.channels_counted).toEqual(['#eng', '#new-hires', '#ops']);
    expect(answer.notes).toContain('Not synced yet: #new-hires.');
  });
});

describe('listChannels', () => {
  it("lists the synced channels, marking the asker's, and hides private channels the asker is not in", async () => {
    const { metrics } = aWorld();

    const listing = (await metrics.listChannels(asker(BEA))) as { columns: string[]; rows: unknown[][] };

    expect(listing.columns).toEqual(['id', 'name', 'private', 'archived', 'you_are_a_member', 'synced_until']);
    expect(listing.rows.map((row) => [row[1], row[4], row[5]])).toEqual([
      ['#eng', true, '2024-03-15T12:00:00.000Z'],
      ['#ops', false, '2024-03-15T12:00:00.000Z'],
      ['#support', true, '2024-03-15T12:00:00.000Z'],
    ]);
  });

  it('shows a private channel to its members, and filters by a name fragment', async () => {
    const { metrics } = aWorld();

    const all = (await metrics.listChannels(asker(ADA))) as { rows: unknown[][] };
    const filtered = (await metrics.listChannels(asker(ADA), '#LEA')) as { rows: unknown[][] };

    expect(all.rows.map((row) => row[1])).toEqual(['#eng', '#leads', '#ops', '#support']);
    expect(filtered.rows).toEqual([[LEADS.id, '#leads', true, false, true, '2024-03-15T12:00:00.000Z']]);
  });
});

// ---- who may see per-person figures ----------------------------------------

describe('per-person figures', () => {
  const ADMINS_ONLY = /^Per-person figures are only for workspace admins here/;

  it('are refused to a member who is not an admin, however they are asked for', async () => {
    const { metrics } = aWorld();

    for (const request of [
      messages({ groupBy: ['person'] }),
      messages({ people: [CY] }),
      messages({ people: [BEA, CY] }),
      { metric: 'channels_active_in', groupBy: [] } satisfies MetricRequest,
    ]) {
      expect(refusal(await metrics.metric(asker(BEA), request))).toMatch(ADMINS_ONLY);
    }
    expect(refusal(await metrics.threads(asker(BEA), { order: 'replies', people: [ADA] }))).toMatch(ADMINS_ONLY);
  });

  it('are given to an admin, ranked, each person named with their id', async () => {
    const { metrics } = aWorld();

    const answer = answered(await metrics.metric(asker(ADA), messages({ groupBy: ['person'] })));

    expect(answer.columns).toEqual(['person', 'messages']);
    expect(answer.rows).toEqual([
      ['Ada Lovelace (U01ADA)', 4],
      ['Bea Arthur (U02BEA)', 3],
      ['Cy Twombly (U03CY)', 3],
      ['Dev Patel (U04DEV)', 3],
    ]);
  });

  it('are given to everyone once an admin allowed it', async () => {
    const { metrics } = aWorld({ settings: { personFiguresFor: 'everyone' } });

    const answer = answered(await metrics.metric(asker(BEA), messages({ groupBy: ['person'] })));

    // Still only Bea's channels: #eng and #support.
    expect(answer.rows).toEqual([
      ['Bea Arthur (U02BEA)', 3],
      ['Dev Patel (U04DEV)', 3],
      ['Ada Lovelace (U01ADA)', 2],
      ['Cy Twombly (U03CY)', 2],
    ]);
  });

  it("lets anyone see their own figures", async () => {
    const { metrics } = aWorld();

    const answer = answered(await metrics.metric(asker(BEA), messages({ people: [BEA, BEA], groupBy: ['person', 'channel'] })));

    expect(answer.rows).toEqual([
      ['Bea Arthur (U02BEA)', '#eng', 2],
      ['Bea Arthur (U02BEA)', '#support', 1],
    ]);
  });

  it('leaves thread authors out for a member who is not an admin, and names them for an admin', async () => {
    const { metrics } = aWorld();
    const permalink = `https://acme.slack.com/archives/${ENG.id}/p${at('2024-03-05').replace('.', '')}`;

    const member = answered(await metrics.threads(asker(BEA), { order: 'replies' }));
    const admin = answered(await metrics.threads(asker(ADA), { order: 'replies' }));

    expect(member.columns).toEqual(['channel', 'link', 'replies', 'participants', 'minutes_to_first_reply', 'link_kinds', 'question']);
    expect(member.rows).toEqual([['#eng', permalink, 2, 3, 5, '-', true]]);
    expect(member.notes).toContain('Thread authors are left out: per-person figures are for admins.');
    expect(admin.columns).toContain('started_by');
    expect(admin.rows).toEqual([['#eng', permalink, 'Ada Lovelace', 2, 3, 5, '-', true]]);
  });
});

describe('pseudonymized workspaces', () => {
  it('refuse to match names to people', async () => {
    const { metrics } = aWorld({ settings: { pseudonymize: true } });

    expect(refusal(await metrics.findPerson(asker(ADA), 'ada'))).toMatch(/^People are pseudonymized in this workspace/);
  });

  it('accept only pseudonyms as people filters', async () => {
    const { metrics, pseudonymize } = aWorld({ settings: { pseudonymize: true } });

    expect(refusal(await metrics.metric(asker(ADA), messages({ people: [DEV] })))).toBe(
      'People are pseudonymized in this workspace: filter by pseudonyms (P-…), not Slack ids.',
    );
    expect(answered(await metrics.metric(asker(ADA), messages({ people: [pseudonymize(DEV)] }))).rows).toEqual([[3]]);
  });

  it('name people by pseudonym only, never looking a pseudonym up in the directory', async () => {
    const { metrics, pseudonymize, lookedUp } = aWorld({ settings: { pseudonymize: true } });

    const answer = answered(await metrics.metric(asker(ADA), messages({ groupBy: ['person'], top: 1 })));

    expect(answer.rows).toEqual([[pseudonymize(ADA), 4]]);
    expect(lookedUp).toEqual([]);
  });

  it("do not let a member's own Slack id unlock per-person figures", async () => {
    const { metrics } = aWorld({ settings: { pseudonymize: true } });

    expect(refusal(await metrics.metric(asker(BEA), messages({ people: [BEA] })))).toMatch(/^Per-person figures are only for workspace admins/);
  });
});

describe('findPerson', () => {
  it('lists the people whose names match, with their ids and titles', async () => {
    const { metrics } = aWorld();

    const found = (await metrics.findPerson(asker(BEA), 'ada')) as { rows: unknown[][]; notes: string[] };

    expect(found.rows).toEqual([[ADA, 'Ada Lovelace', 'Staff engineer']]);
    expect(found.notes).toEqual([]);
  });

  it('says so when no one matches', async () => {
    const { metrics } = aWorld();

    expect(await metrics.findPerson(asker(BEA), 'zed')).toMatchObject({ rows: [], notes: ['No one in the workspace matches "zed".'] });
  });
});

// ---- ranking and series ----------------------------------------------------

describe('ranking', () => {
  /** Twelve people in #eng on 03-11, person n sending n messages. */
  function aCrowd() {
    const people = Array.from({ length: 12 }, (_, index) => `U1${String(index + 1).padStart(2, '0')}`);
    const crowd = people.flatMap((user, index) => Array.from({ length: index + 1 }, (_, n) => said(user, at('2024-03-11', index * 20 + n))));
    return { people, world: aWorld({ messages: { [ENG.id]: crowd } }) };
  }

  it(`shows the top ${DEFAULT_TOP} of a ranked dimension by default and says how many there were`, async () => {
    const { people, world } = aCrowd();

    const answer = answered(await world.metrics.metric(asker(ADA), messages({ groupBy: ['person'] })));

    expect(answer.rows.map((row) => row[0])).toEqual([...people].reverse().slice(0, DEFAULT_TOP));
    expect(answer.rows[0]).toEqual(['U112', 12]);
    expect(answer.notes).toContain(`Showing the top ${DEFAULT_TOP} of 12 by messages.`);
  });

  it('keeps the top N asked for, or the bottom N when sorted ascending', async () => {
    const { world } = aCrowd();

    const top = answered(await world.metrics.metric(asker(ADA), messages({ groupBy: ['person'], top: 3 })));
    const bottom = answered(await world.metrics.metric(asker(ADA), messages({ groupBy: ['person'], top: 2, sort: 'asc' })));

    expect(top.rows).toEqual([
      ['U112', 12],
      ['U111', 11],
      ['U110', 10],
    ]);
    expect(top.notes).toContain('Showing the top 3 of 12 by messages.');
    expect(bottom.rows).toEqual([
      ['U101', 1],
      ['U102', 2],
    ]);
  });

  it('breaks ties by key so the same question gets the same answer', async () => {
    const { metrics } = aWorld();

    const answer = answered(await metrics.metric(asker(ADA), messages({ groupBy: ['person'], top: 2 })));

    expect(answer.rows.map((row) => row[0])).toEqual(['Ada Lovelace (U01ADA)', 'Bea Arthur (U02BEA)']);
  });

  it('keeps every period of the top keys in a two-dimension series, in rank order then time order', async () => {
    // Dev sends 3, 1, 2 over three weeks (6), Bea 1 and 4 (5), Cy 2 in the middle week: a top 2 keeps Dev's quiet week.
    const { metrics } = aWorld({
      messages: {
        [SUPPORT.id]: [
          ...[0, 1, 2].map((n) => said(DEV, at('2024-02-26', n))),
          said(DEV, at('2024-03-04')),
          ...[0, 1].map((n) => said(DEV, at('2024-03-11', n))),
          said(BEA, at('2024-02-27')),
          ...[0, 1, 2, 3].map((n) => said(BEA, at('2024-03-12', n))),
          ...[0, 1].map((n) => said(CY, at('2024-03-05', n))),
        ],
      },
    });

    const answer = answered(await metrics.metric(asker(ADA), messages({ groupBy: ['person', 'week'], top: 2 })));

    expect(answer.columns).toEqual(['person', 'week', 'messages']);
    expect(answer.rows).toEqual([
      ['Dev Patel (U04DEV)', 'week of 2024-02-26', 3],
      ['Dev Patel (U04DEV)', 'week of 2024-03-04', 1],
      ['Dev Patel (U04DEV)', 'week of 2024-03-11', 2],
      ['Bea Arthur (U02BEA)', 'week of 2024-02-26', 1],
      ['Bea Arthur (U02BEA)', 'week of 2024-03-11', 4],
    ]);
    expect(answer.notes).toContain('Showing the top 2 of 3 by messages.');
  });

  it(`keeps every key of a two-dimension series, even past ${DEFAULT_TOP}, when no top N is asked for`, async () => {
    const { people, world } = aCrowd();

    const answer = answered(await world.metrics.metric(asker(ADA), messages({ groupBy: ['person', 'day'] })));

    expect(answer.rows.map((row) => row[0])).toEqual([...people].reverse());
    expect(answer.notes.filter((note) => note.startsWith('Showing the top'))).toEqual([]);
  });

  it('orders the keys of a two-dimension series by their totals', async () => {
    const { metrics } = aWorld();

    const answer = answered(await metrics.metric(asker(ADA), messages({ groupBy: ['channel', 'month'] })));

    expect(answer.rows).toEqual([
      ['#eng', '2024-03', 6],
      ['#support', '2024-03', 4],
      ['#leads', '2024-03', 2],
      ['#ops', '2024-03', 1],
    ]);
  });

  it(`cuts a long result to ${MAX_RESULT_ROWS} rows and says how to narrow it`, async () => {
    const days = MAX_RESULT_ROWS + 5;
    const firstDay = Date.parse('2024-03-15T00:00:00Z') - (days - 1) * 86_400_000;
    const daily = Array.from({ length: days }, (_, index) => said(BEA, `${(firstDay + index * 86_400_000) / 1000 + 3_600}.000100`));
    const { metrics } = aWorld({ messages: { [ENG.id]: daily } });

    const answer = answered(await metrics.metric(asker(BEA), messages({ groupBy: ['day'], from: '2022-01-01' })));

    expect(answer.rows).toHaveLength(MAX_RESULT_ROWS);
    expect(answer.rows[0]?.[0]).toBe(new Date(firstDay).toISOString().slice(0, 10));
    expect(answer.notes).toContain(`Only the first ${MAX_RESULT_ROWS} of ${days} rows are shown; narrow the range or group by week or month.`);
  });

  it('orders a time series by time, not by value', async () => {
    const { metrics } = aWorld();

    const answer = answered(await metrics.metric(asker(BEA), messages({ groupBy: ['day'] })));

    expect(answer.rows).toEqual([
      ['2024-03-05', 4],
      ['2024-03-06', 4],
      ['2024-03-12', 2],
    ]);
  });
});

// ---- dates and request shape -----------------------------------------------

describe('date ranges', () => {
  it('covers the last 30 UTC days up to today by default', async () => {
    const { metrics } = aWorld();

    expect(answered(await metrics.metric(asker(BEA), messages())).range).toBe('2024-02-15 to 2024-03-15 (UTC days, inclusive)');
  });

  it('reads both dates as inclusive UTC days', async () => {
    const { metrics } = aWorld();

    const answer = answered(await metrics.metric(asker(BEA), messages({ from: '2024-03-06', to: '2024-03-12', groupBy: ['day'] })));

    expect(answer.range).toBe('2024-03-06 to 2024-03-12 (UTC days, inclusive)');
    expect(answer.rows).toEqual([
      ['2024-03-06', 4],
      ['2024-03-12', 2],
    ]);
  });

  it('counts from a start date up to today when only the start is given', async () => {
    const { metrics } = aWorld();

    const answer = answered(await metrics.metric(asker(BEA), messages({ from: '2024-03-12' })));

    expect(answer.range).toBe('2024-03-12 to 2024-03-15 (UTC days, inclusive)');
    expect(answer.rows).toEqual([[2]]);
  });

  it('refuses dates not written YYYY-MM-DD', async () => {
    const { metrics } = aWorld();

    for (const date of ['2024/03/01', '03-01-2024', '2024-3-1', 'last week', '2024-13-01']) {
      expect(refusal(await metrics.metric(asker(BEA), messages({ from: date })))).toBe('Dates must be real calendar days written YYYY-MM-DD.');
      expect(refusal(await metrics.metric(asker(BEA), messages({ to: date })))).toBe('Dates must be real calendar days written YYYY-MM-DD.');
    }
  });

  it('refuses a date that is not on the calendar rather than moving it to the next month', async () => {
    const { metrics } = aWorld();

    for (const date of ['2024-02-30', '2023-02-29', '2024-04-31']) {
      expect(await metrics.metric(asker(BEA), messages({ from: '2024-01-01', to: date }))).toHaveProperty('refused');
    }
  });

  it('refuses a start date after the end date', async () => {
    const { metrics } = aWorld();

    expect(refusal(await metrics.metric(asker(BEA), messages({ from: '2024-03-10', to: '2024-03-09' })))).toBe(
      'The start date must be on or before the end date.',
    );
  });
});

describe('request shape', () => {
  it('refuses grouping by more than two dimensions', async () => {
    const { metrics } = aWorld();

    expect(refusal(await metrics.metric(asker(ADA), messages({ groupBy: ['person', 'channel', 'week'] })))).toMatch(/^Group by at most two dimensions/);
  });

  it('counts a dimension named twice once', async () => {
    const { metrics } = aWorld();

    expect(answered(await metrics.metric(asker(BEA), messages({ groupBy: ['channel', 'channel', 'channel'] }))).columns).toEqual(['channel', 'messages']);
  });

  it('refuses link_kind for any metric but links, and person for channel-only metrics', async () => {
    const { metrics } = aWorld();

    expect(refusal(await metrics.metric(asker(ADA), messages({ groupBy: ['link_kind'] })))).toBe('Only the links metric can be grouped by link_kind.');
    expect(refusal(await metrics.metric(asker(ADA), { metric: 'bot_messages', groupBy: ['person'] }))).toBe(
      'bot_messages is a channel figure; it cannot be split by person.',
    );
    expect(refusal(await metrics.metric(asker(ADA), { metric: 'active_people', groupBy: ['person'] }))).toMatch(/cannot be split by person/);
  });

  it('gives channel-level figures such as active people to any member', async () => {
    const { metrics } = aWorld();

    expect(answered(await metrics.metric(asker(BEA), { metric: 'active_people', groupBy: [] })).rows).toEqual([[4]]);
  });
});
