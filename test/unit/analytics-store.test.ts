/**
 * The analytics store's writes after the first sync — live deletes,
 * reactions, late replies, pruning, purging, failed batches — checked against
 * the pure reference: after every change, every metric equals what
 * signals.ts computes over the messages as Slack would now describe them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageMetadata } from '../../src/analytics/message-metadata.ts';
import { toStoredMessage, type StoredMessage } from '../../src/analytics/stored-message.ts';
import { createAnalyticsChannelStore } from '../../src/db/analytics-channel-store.ts';
import { createAnalyticsQueries, type Metric } from '../../src/db/analytics-queries.ts';
import { ANALYTICS_TABLES, createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import {
  CHANNELS,
  FIRST_DAY,
  OTHER_TEAM,
  PEOPLE,
  TEAM,
  createRandom,
  dayOfTs,
  generateWorkspace,
  message,
  reply,
  storedMessages,
  threadRoot,
  tsAt,
} from '../support/analytics-factories.ts';
import { differencesFromReference } from '../support/analytics-reference.ts';

const [ADA, BEA, CY, DEV] = PEOPLE;
const [ENG, SUPPORT] = CHANNELS;
const DAY = FIRST_DAY + 3;

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

function setUp() {
  const database = openDatabase(':memory:');
  opened.push(database);
  const store = createAnalyticsStore(database.db);
  const queries = createAnalyticsQueries(database.db);
  return {
    store,
    queries,
    sqlite: database.db.$client,
    write: (messages: readonly MessageMetadata[], teamId = TEAM) => store.writeMessages(teamId, storedMessages(messages)),
    /** Non-zero values of a metric per person, all channels and all time. */
    perPerson: (metric: Metric) =>
      Object.fromEntries(
        queries
          .metric({ teamId: TEAM, metric, groupBy: ['person'], channelIds: [...CHANNELS], fromDay: 0, toDay: 1_000_000 })
          .filter((row) => row.value !== 0)
          .map((row) => [row.keys.person, row.value]),
      ),
  };
}

/** The message as Slack describes it after `userId` adds or removes the `name` reaction. */
function reacted(target: MessageMetadata, name: string, userId: string, added: boolean): MessageMetadata {
  const existing = target.reactions.find((reaction) => reaction.name === name);
  const others = target.reactions.filter((reaction) => reaction !== existing);
  if (added) {
    if (existing?.userIds.includes(userId)) return target;
    const count = (existing?.count ?? 0) + 1;
    return { ...target, reactions: [...others, { name, count, userIds: [...(existing?.userIds ?? []), userId] }] };
  }
  if (!existing) return target;
  const kept = { name, count: existing.count - 1, userIds: existing.userIds.filter((id) => id !== userId) };
  return { ...target, reactions: kept.count > 0 ? [...others, kept] : others };
}

function reaction(target: MessageMetadata, name: string, userId: string, added: boolean) {
  return { teamId: target.teamId, channelId: target.channelId, ts: target.ts, name, userId, added };
}

describe('live changes', () => {
  const question = threadRoot({ channelId: SUPPORT, ts: tsAt(DAY, 3_600), authorId: ADA, isQuestion: true, replyCount: 3 });
  const answers = [
    reply(question, { ts: tsAt(DAY, 3_700), authorId: BEA }),
    reply(question, { ts: tsAt(DAY, 3_800), authorId: ADA }),
    reply(question, { ts: tsAt(DAY + 1, 60), authorId: CY }),
  ];

  it('deleting a question root makes its replies stop counting as help replies', () => {
    const { store, queries, write, perPerson } = setUp();
    write([question, ...answers]);
    expect(perPerson('help_replies')).toEqual({ [BEA]: 1, [CY]: 1 });

    expect(store.deleteMessage(TEAM, SUPPORT, question.ts)).toBe(true);

    expect(perPerson('help_replies')).toEqual({});
    expect(perPerson('threads_started')).toEqual({});
    expect(differencesFromReference(queries, answers, TEAM)).toEqual([]);
  });

  it('deleting a reply takes it out of its thread and its help replies', () => {
    const { store, queries, write, perPerson } = setUp();
    write([question, ...answers]);

    expect(store.deleteMessage(TEAM, SUPPORT, answers[2]!.ts)).toBe(true);

    expect(perPerson('help_replies')).toEqual({ [BEA]: 1 });
    expect(differencesFromReference(queries, [question, answers[0]!, answers[1]!], TEAM)).toEqual([]);
  });

  it('deleting a message that was never stored reports false and changes nothing', () => {
    const { store, write } = setUp();
    write([question, ...answers]);
    const before = store.rowCounts(TEAM);

    expect(store.deleteMessage(TEAM, SUPPORT, tsAt(DAY, 1))).toBe(false);
    expect(store.rowCounts(TEAM)).toEqual(before);
  });

  const post = message({ channelId: SUPPORT, ts: tsAt(DAY, 7_200), authorId: ADA, linkKinds: ['github_pr'] });

  it('adding a reaction counts one given and one received, once however often the event repeats', () => {
    const { store, queries, write, perPerson } = setUp();
    write([post]);

    expect(store.applyReaction(reaction(post, 'eyes', BEA, true))).toBe(true);
    expect(store.applyReaction(reaction(post, 'eyes', BEA, true))).toBe(false);

    expect(perPerson('reactions_given')).toEqual({ [BEA]: 1 });
    expect(perPerson('reactions_received')).toEqual({ [ADA]: 1 });
    expect(differencesFromReference(queries, [reacted(post, 'eyes', BEA, true)], TEAM)).toEqual([]);
  });

  it('removing a reaction takes back exactly the one given and received, once however often the event repeats', () => {
    const { store, queries, write, perPerson } = setUp();
    const withReactions = { ...post, reactions: [{ name: 'eyes', count: 2, userIds: [BEA, CY] }] };
    write([withReactions]);

    expect(store.applyReaction(reaction(post, 'eyes', BEA, false))).toBe(true);
    expect(store.applyReaction(reaction(post, 'eyes', BEA, false))).toBe(false);

    expect(perPerson('reactions_given')).toEqual({ [CY]: 1 });
    expect(perPerson('reactions_received')).toEqual({ [ADA]: 1 });
    expect(differencesFromReference(queries, [reacted(withReactions, 'eyes', BEA, false)], TEAM)).toEqual([]);
  });

  it('a self-reaction, added or removed, changes neither given nor received', () => {
    const { store, queries, write, perPerson } = setUp();
    write([post]);

    store.applyReaction(reaction(post, 'pray', ADA, true));
    expect(perPerson('reactions_given')).toEqual({});
    expect(perPerson('reactions_received')).toEqual({});
    expect(differencesFromReference(queries, [reacted(post, 'pray', ADA, true)], TEAM)).toEqual([]);

    store.applyReaction(reaction(post, 'pray', ADA, false));
    expect(perPerson('reactions_given')).toEqual({});
    expect(perPerson('reactions_received')).toEqual({});
  });

  it('a reaction to a bot message counts as given but not as received', () => {
    const { store, queries, write, perPerson } = setUp();
    const alert = message({ channelId: ENG, ts: tsAt(DAY, 100), authorId: 'U0CIBOT', botId: 'B0CI', isBot: true });
    write([alert]);

    store.applyReaction(reaction(alert, 'eyes', BEA, true));

    expect(perPerson('reactions_given')).toEqual({ [BEA]: 1 });
    expect(perPerson('reactions_received')).toEqual({});
    expect(differencesFromReference(queries, [reacted(alert, 'eyes', BEA, true)], TEAM)).toEqual([]);
  });

  it('a reaction to a message that is not stored is ignored', () => {
    const { store, write } = setUp();
    write([post]);
    const before = store.rowCounts(TEAM);

    expect(store.applyReaction(reaction({ ...post, ts: tsAt(DAY, 5) }, 'eyes', BEA, true))).toBe(false);
    expect(store.rowCounts(TEAM)).toEqual(before);
  });

  it('a reaction removed by someone Slack did not list stays counted until the next sync re-reads the message', () => {
    // Slack lists only some reactors: count 3, listed [Bea]. Cy (unlisted) removes 👀 → count 2, which the
    // store cannot attribute; the refresh window writes the message again and replaces its reactions fully.
    const { store, queries, write, perPerson } = setUp();
    const busy = { ...post, reactions: [{ name: 'eyes', count: 3, userIds: [BEA] }] };
    write([busy]);
    expect(perPerson('reactions_received')).toEqual({ [ADA]: 3 });

    expect(store.applyReaction(reaction(busy, 'eyes', CY, false))).toBe(false);
    expect(perPerson('reactions_received')).toEqual({ [ADA]: 3 });
    expect(differencesFromReference(queries, [busy], TEAM)).toEqual([]);

    const resynced = reacted(busy, 'eyes', CY, false);
    write([resynced]);

    expect(perPerson('reactions_received')).toEqual({ [ADA]: 2 });
    expect(perPerson('reactions_given')).toEqual({ [BEA]: 1 });
    expect(differencesFromReference(queries, [resynced], TEAM)).toEqual([]);
  });

  it('a reply arriving after its root was stored as a standalone message turns the root into a thread', () => {
    const { queries, write, perPerson } = setUp();
    const standalone = message({ channelId: SUPPORT, ts: tsAt(DAY, 80_000), authorId: ADA, isQuestion: true });
    const nextDayAnswer = reply(standalone, { ts: tsAt(DAY + 1, 600), authorId: BEA });
    write([standalone]);
    expect(perPerson('threads_started')).toEqual({});

    write([nextDayAnswer]);

    expect(perPerson('threads_started')).toEqual({ [ADA]: 1 });
    expect(perPerson('help_replies')).toEqual({ [BEA]: 1 });
    expect(queries.threads({ teamId: TEAM, channelIds: [SUPPORT], fromDay: DAY, toDay: DAY + 1, order: 'replies', limit: 10 })).toEqual([
      { channelId: SUPPORT, threadTs: standalone.ts, rootAuthorId: ADA, rootIsQuestion: true, replies: 1, participants: 2, firstReplyMs: 7_000_000, linkMask: 0 },
    ]);
    // What Slack now says of the root: thread_ts === ts, one reply.
    const root = { ...standalone, threadTs: standalone.ts, replyCount: 1, replyUserIds: [BEA] };
    expect(differencesFromReference(queries, [root, nextDayAnswer], TEAM)).toEqual([]);
  });

  it('a root edited to no longer ask a question stops its replies counting as help replies', () => {
    const { queries, write, perPerson } = setUp();
    write([question, ...answers]);
    const edited = { ...question, isQuestion: false, edited: true };

    write([edited]);

    expect(perPerson('help_replies')).toEqual({});
    expect(differencesFromReference(queries, [edited, ...answers], TEAM)).toEqual([]);
  });

  it('random reactions and deletions on a random workspace keep every metric equal to the reference', () => {
    const { store, queries, write } = setUp();
    const random = createRandom(7);
    const current = new Map(generateWorkspace(random, { roots: 120 }).map((one) => [`${one.channelId}:${one.ts}`, one]));
    write([...current.values()]);
    for (let step = 0; step < 300; step += 1) {
      const [key, target] = random.pick([...current.entries()]);
      const roll = random.next();
      if (roll < 0.1) {
        store.deleteMessage(TEAM, target.channelId, target.ts);
        current.delete(key);
      } else if (roll < 0.55) {
        // Adds by anyone, the author included; repeats of a listed reactor are duplicate events.
        const userId = random.pick([...PEOPLE, ...(target.authorId ? [target.authorId] : [])]);
        const name = random.pick(['eyes', 'tada', '+1']);
        store.applyReaction(reaction(target, name, userId, true));
        current.set(key, reacted(target, name, userId, true));
      } else {
        // Removes by a listed reactor (see the test above for unlisted ones), or by someone who never reacted.
        const listed = target.reactions.flatMap((one) => one.userIds.map((userId) => ({ name: one.name, userId })));
        const { name, userId } = listed.length > 0 && random.chance(0.8) ? random.pick(listed) : { name: 'eyes', userId: DEV };
        if (!listed.some((one) => one.name === name && one.userId === userId)) {
          expect(store.applyReaction(reaction(target, name, userId, false))).toBe(false);
          continue;
        }
        store.applyReaction(reaction(target, name, userId, false));
        current.set(key, reacted(target, name, userId, false));
      }
    }
    expect(differencesFromReference(queries, [...current.values()], TEAM)).toEqual([]);
  });
});

describe('pruning', () => {
  const DAY_TABLES = ['analytics_messages', 'analytics_links', 'analytics_threads', 'analytics_channel_days', 'analytics_person_days'];

  it('removes every row of the days before the cutoff from every table, and the rest still matches the reference', () => {
    const { store, queries, sqlite, write } = setUp();
    const workspace = generateWorkspace(createRandom(11));
    write(workspace);
    const cutoff = FIRST_DAY + 20;
    const kept = workspace.filter((one) => dayOfTs(one.ts) >= cutoff);

    expect(store.pruneBefore(TEAM, cutoff)).toBe(workspace.length - kept.length);

    for (const table of DAY_TABLES) {
      const old = sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE team_id = ? AND day < ?`).get(TEAM, cutoff) as { n: number };
      expect({ table, rows: old.n }).toEqual({ table, rows: 0 });
    }
    expect(store.rowCounts(TEAM).analytics_messages).toBe(kept.length);
    expect(differencesFromReference(queries, kept, TEAM)).toEqual([]);
  });

  it('a reply whose question root was pruned is no longer a help reply', () => {
    const { store, queries, write, perPerson } = setUp();
    const asked = threadRoot({ ts: tsAt(DAY, 86_000), authorId: ADA, isQuestion: true });
    const answered = reply(asked, { ts: tsAt(DAY + 1, 300), authorId: BEA });
    write([asked, answered]);
    expect(perPerson('help_replies')).toEqual({ [BEA]: 1 });

    store.pruneBefore(TEAM, DAY + 1);

    expect(perPerson('help_replies')).toEqual({});
    expect(perPerson('messages')).toEqual({ [BEA]: 1 });
    expect(differencesFromReference(queries, [answered], TEAM)).toEqual([]);
  });

  it("leaves another team's rows alone", () => {
    const { store, write } = setUp();
    write(generateWorkspace(createRandom(12)));
    write(generateWorkspace(createRandom(13), { teamId: OTHER_TEAM, roots: 60 }), OTHER_TEAM);
    const other = store.rowCounts(OTHER_TEAM);

    store.pruneBefore(TEAM, FIRST_DAY + 30);

    expect(store.rowCounts(OTHER_TEAM)).toEqual(other);
  });
});

describe('purging', () => {
  it("leaves every row count of the team at zero and another team's rows as they were", () => {
    const { store, queries, write } = setUp();
    const database = opened.at(-1) as OpenedDatabase;
    const channels = createAnalyticsChannelStore(database.db, () => new Date(0));
    const ours = generateWorkspace(createRandom(21), { roots: 100 });
    // Same channel ids on purpose: a channel shared between two workspaces keeps its id.
    const theirs = generateWorkspace(createRandom(22), { teamId: OTHER_TEAM, roots: 100 });
    write(ours);
    write(theirs, OTHER_TEAM);
    for (const teamId of [TEAM, OTHER_TEAM]) {
      channels.saveSeen(teamId, { channelId: ENG, name: 'eng', isPrivate: false, isArchived: false, isMember: true });
    }
    const theirCounts = store.rowCounts(OTHER_TEAM);
    expect(Object.entries(store.rowCounts(TEAM)).filter(([table]) => !table.includes('_dirty_')).map(([, rows]) => rows).every((rows) => rows > 0)).toBe(true);

    expect(store.purge(TEAM)).toBe(ours.length);

    expect(store.rowCounts(TEAM)).toEqual(Object.fromEntries(ANALYTICS_TABLES.map((table) => [table, 0])));
    expect(store.rowCounts(OTHER_TEAM)).toEqual(theirCounts);
    expect(differencesFromReference(queries, theirs, OTHER_TEAM)).toEqual([]);
  });
});

describe('failed batches', () => {
  it('a batch with a row that violates NOT NULL stores nothing of that batch', () => {
    const { store, queries, sqlite, write } = setUp();
    const first = threadRoot({ ts: tsAt(DAY, 100), authorId: ADA, isQuestion: true, charCount: 40 });
    const answer = reply(first, { ts: tsAt(DAY, 150), authorId: CY });
    write([first, answer]);
    const before = store.rowCounts(TEAM);
    const bad: StoredMessage = { ...toStoredMessage(message({ ts: tsAt(DAY, 900) })), charCount: null as unknown as number };
    const batch = [
      toStoredMessage({ ...first, charCount: 99, reactions: [{ name: 'eyes', count: 1, userIds: [BEA] }] }),
      ...storedMessages([reply(first, { ts: tsAt(DAY, 200), authorId: BEA, mentionedUserIds: [ADA], linkKinds: ['jira'] })]),
      toStoredMessage(message({ channelId: SUPPORT, ts: tsAt(DAY + 1, 100), authorId: CY })),
      bad,
    ];

    expect(() => store.writeMessages(TEAM, batch)).toThrow(/NOT NULL/);

    expect(store.rowCounts(TEAM)).toEqual(before);
    expect(sqlite.prepare('SELECT char_count AS chars FROM analytics_messages WHERE ts = ?').get(first.ts)).toEqual({ chars: 40 });
    expect(differencesFromReference(queries, [first, answer], TEAM)).toEqual([]);
  });

  it('the next batch after a failed one is stored and rebuilt as usual', () => {
    const { store, queries, write } = setUp();
    const first = threadRoot({ ts: tsAt(DAY, 100), authorId: ADA, isQuestion: true });
    const answer = reply(first, { ts: tsAt(DAY, 200), authorId: BEA });
    const bad: StoredMessage = { ...toStoredMessage(message({ ts: tsAt(DAY, 900) })), channelId: null as unknown as string };
    expect(() => store.writeMessages(TEAM, [...storedMessages([first, answer]), bad])).toThrow(/NOT NULL/);

    write([first, answer]);

    expect(differencesFromReference(queries, [first, answer], TEAM)).toEqual([]);
  });
});

describe('rewrites and reply sync', () => {
  it('writing the same messages again changes no row count', () => {
    const { store, write } = setUp();
    const workspace = generateWorkspace(createRandom(31), { roots: 80 });
    write(workspace);
    const before = store.rowCounts(TEAM);

    write(createRandom(32).shuffle(workspace));

    expect(store.rowCounts(TEAM)).toEqual(before);
  });

  it('a thread waits for its replies to be read until they are marked read up to its latest reply, and again when a newer one comes', () => {
    const { store, write } = setUp();
    const root = threadRoot({ ts: tsAt(DAY, 100), replyCount: 1 });
    const quiet = message({ ts: tsAt(DAY, 50) });
    const first = reply(root, { ts: tsAt(DAY, 200), authorId: BEA });
    const second = reply(root, { ts: tsAt(DAY, 300), authorId: CY });
    write([quiet, root, first]);
    expect(store.pendingThreads(TEAM, ENG, 10)).toEqual([{ ts: root.ts, latestReply: first.ts }]);

    store.markRepliesSynced(TEAM, ENG, root.ts, first.ts);
    expect(store.pendingThreads(TEAM, ENG, 10)).toEqual([]);

    write([{ ...root, replyCount: 2 }, first, second]);
    expect(store.pendingThreads(TEAM, ENG, 10)).toEqual([{ ts: root.ts, latestReply: second.ts }]);

    // A stale copy of the root (older latest_reply) does not move it back.
    store.writeMessages(TEAM, [toStoredMessage(root, first.ts)]);
    expect(store.pendingThreads(TEAM, ENG, 10)).toEqual([{ ts: root.ts, latestReply: second.ts }]);
  });
});
