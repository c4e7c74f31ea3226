/**
 * Collaboration signals over a hand-built workspace. Every expected value is
 * worked out by hand in the tables below, never by calling the code under test.
 */
import { describe, expect, it } from 'vitest';
import type { LinkKind } from '../../src/analytics/classify-link.ts';
import type { MessageMetadata } from '../../src/analytics/message-metadata.ts';
import {
  channelActivity,
  channelsActiveIn,
  helpReplies,
  linksByKind,
  mentionsGivenReceived,
  messagesPerPersonChannelDay,
  reactionsGivenReceived,
  threadDepth,
  threadsStarted,
} from '../../src/analytics/signals.ts';

// ---- small factories -------------------------------------------------------

/** A Slack ts for a UTC time; the same microsecond suffix keeps differences whole seconds. */
function ts(isoUtc: string): string {
  return `${Date.parse(isoUtc) / 1000}.000100`;
}

function message(overrides: Partial<MessageMetadata> & { ts: string }): MessageMetadata {
  return {
    teamId: 'T0ACME', channelId: ENG, threadTs: null, authorId: ALICE, botId: null, subtype: null, isBot: false,
    charCount: 10, replyCount: 0, replyUserIds: [], reactions: [], mentionedUserIds: [], linkKinds: [] as LinkKind[],
    fileCount: 0, edited: false, isQuestion: false, text: null, ...overrides,
  };
}

function reply(root: MessageMetadata, overrides: Partial<MessageMetadata> & { ts: string }): MessageMetadata {
  return message({ channelId: root.channelId, threadTs: root.ts, ...overrides });
}

function bot(overrides: Partial<MessageMetadata> & { ts: string }): MessageMetadata {
  return message({ authorId: 'U0CIBOT', botId: 'B0CI', isBot: true, ...overrides });
}

const ALICE = 'A';
const BOB = 'B';
const CAROL = 'C';
const ENG = 'C1ENG';
const SUPPORT = 'C2SUPPORT';

// ---- the fixture -----------------------------------------------------------
// Day 1 = 2024-03-04, day 2 = 2024-03-05 (UTC). Δ = seconds after the thread root.
//
// id   chan     day time      author  kind            notes
// m1   eng      1   01:00:00  A       root, question  reply_count 3; 👀 by B
// m2   eng      1   01:01:00  B       reply m1 Δ60    mentions A; github_pr; 👍 by A, C
// m3   eng      1   01:05:00  C       reply m1 Δ300   jira
// m4   eng      1   01:06:40  A       reply m1 Δ400   own thread; 🙏 by A (self)
// m5   eng      1   02:00:00  B       root            reply_count 2; github_pr, github_issue; 🎉 by A, C, B (self)
// m6   eng      1   02:00:10  bot     reply m5 Δ10    github_pr; mentions B; 🚀 by C
// m7   eng      1   02:05:00  C       reply m5 Δ300
// m8   eng      2   00:30:00  C       root, question  "Any idea why…" reply_count 2
// m9   eng      2   00:31:40  C       reply m8 Δ100   own thread
// m10  eng      2   00:40:00  A       reply m8 Δ600   mentions C, B; linear
// m11  eng      2   01:00:00  A       root            mentions B; google_docs; no replies
// m12  eng      2   00:00:10  B       channel_join    Slack notice, not a person message
// n1   support  1   00:30:00  B       root, question  reply_count 2; 👀 by C
// n2   support  1   00:32:00  A       reply n1 Δ120   notion
// n3   support  1   00:34:00  C       reply n1 Δ240   confluence; mentions B, C (self)
// n4   support  1   01:23:20  A       root            ❤️ by B, C; edited
// n5   support  1   01:25:00  bot     root, question  standup prompt, reply_count 1
// n6   support  1   01:30:00  B       reply n5 Δ300   answers the bot
// n7   support  2   02:00:00  C       root, question  reply_count 0: not a thread
// n8   support  2   02:01:40  A       root            reply_count 1; gitlab_mr, other
// n9   support  2   02:16:40  B       reply n8 Δ900   ✅ by A

const m1 = message({ ts: ts('2024-03-04T01:00:00Z'), authorId: ALICE, replyCount: 3, isQuestion: true, reactions: [{ name: 'eyes', count: 1, userIds: [BOB] }] });
m1.threadTs = m1.ts;
const m2 = reply(m1, { ts: ts('2024-03-04T01:01:00Z'), authorId: BOB, mentionedUserIds: [ALICE], linkKinds: ['github_pr'], reactions: [{ name: '+1', count: 2, userIds: [ALICE, CAROL] }] });
const m3 = reply(m1, { ts: ts('2024-03-04T01:05:00Z'), authorId: CAROL, linkKinds: ['jira'] });
const m4 = reply(m1, { ts: ts('2024-03-04T01:06:40Z'), authorId: ALICE, reactions: [{ name: 'pray', count: 1, userIds: [ALICE] }] });
const m5 = message({ ts: ts('2024-03-04T02:00:00Z'), authorId: BOB, replyCount: 2, linkKinds: ['github_pr', 'github_issue'], reactions: [{ name: 'tada', count: 3, userIds: [ALICE, CAROL, BOB] }] });
m5.threadTs = m5.ts;
const m6 = bot({ ts: ts('2024-03-04T02:00:10Z'), threadTs: m5.ts, linkKinds: ['github_pr'], mentionedUserIds: [BOB], reactions: [{ name: 'rocket', count: 1, userIds: [CAROL] }] });
const m7 = reply(m5, { ts: ts('2024-03-04T02:05:00Z'), authorId: CAROL });
const m8 = message({ ts: ts('2024-03-05T00:30:00Z'), authorId: CAROL, replyCount: 2, isQuestion: true });
m8.threadTs = m8.ts;
const m9 = reply(m8, { ts: ts('2024-03-05T00:31:40Z'), authorId: CAROL });
const m10 = reply(m8, { ts: ts('2024-03-05T00:40:00Z'), authorId: ALICE, mentionedUserIds: [CAROL, BOB], linkKinds: ['linear'] });
const m11 = message({ ts: ts('2024-03-05T01:00:00Z'), authorId: ALICE, mentionedUserIds: [BOB], linkKinds: ['google_docs'] });
const m12 = message({ ts: ts('2024-03-05T00:00:10Z'), authorId: BOB, subtype: 'channel_join' });

const n1 = message({ channelId: SUPPORT, ts: ts('2024-03-04T00:30:00Z'), authorId: BOB, replyCount: 2, isQuestion: true, reactions: [{ name: 'eyes', count: 1, userIds: [CAROL] }] });
n1.threadTs = n1.ts;
const n2 = reply(n1, { ts: ts('2024-03-04T00:32:00Z'), authorId: ALICE, linkKinds: ['notion'] });
const n3 = reply(n1, { ts: ts('2024-03-04T00:34:00Z'), authorId: CAROL, linkKinds: ['confluence'], mentionedUserIds: [BOB, CAROL] });
const n4 = message({ channelId: SUPPORT, ts: ts('2024-03-04T01:23:20Z'), authorId: ALICE, edited: true, reactions: [{ name: 'heart', count: 2, userIds: [BOB, CAROL] }] });
const n5 = bot({ channelId: SUPPORT, ts: ts('2024-03-04T01:25:00Z'), replyCount: 1, isQuestion: true });
n5.threadTs = n5.ts;
const n6 = reply(n5, { ts: ts('2024-03-04T01:30:00Z'), authorId: BOB });
const n7 = message({ channelId: SUPPORT, ts: ts('2024-03-05T02:00:00Z'), authorId: CAROL, isQuestion: true });
const n8 = message({ channelId: SUPPORT, ts: ts('2024-03-05T02:01:40Z'), authorId: ALICE, replyCount: 1, linkKinds: ['gitlab_mr', 'other'] });
n8.threadTs = n8.ts;
const n9 = reply(n8, { ts: ts('2024-03-05T02:16:40Z'), authorId: BOB, reactions: [{ name: 'white_check_mark', count: 1, userIds: [ALICE] }] });

/** Shuffled on purpose: signals must not depend on input order. */
const WORKSPACE = [n9, m12, m3, n1, m10, m6, n5, m1, n4, m8, m2, n7, m5, n3, m11, n8, m4, n2, m9, n6, m7];

// ---- signals -----------------------------------------------------------------

describe('messagesPerPersonChannelDay', () => {
  it('counts person messages per person, channel and UTC day, leaving out bots and Slack notices', () => {
    // day 1 eng: A m1 m4, B m2 m5, C m3 m7 (m6 is a bot)   day 2 eng: A m10 m11, C m8 m9 (m12 is a join)
    // day 1 support: A n2 n4, B n1 n6, C n3 (n5 is a bot)  day 2 support: A n8, B n9, C n7
    expect(messagesPerPersonChannelDay(WORKSPACE)).toEqual([
      { day: '2024-03-04', channelId: ENG, personId: ALICE, messages: 2 },
      { day: '2024-03-04', channelId: ENG, personId: BOB, messages: 2 },
      { day: '2024-03-04', channelId: ENG, personId: CAROL, messages: 2 },
      { day: '2024-03-04', channelId: SUPPORT, personId: ALICE, messages: 2 },
      { day: '2024-03-04', channelId: SUPPORT, personId: BOB, messages: 2 },
      { day: '2024-03-04', channelId: SUPPORT, personId: CAROL, messages: 1 },
      { day: '2024-03-05', channelId: ENG, personId: ALICE, messages: 2 },
      { day: '2024-03-05', channelId: ENG, personId: CAROL, messages: 2 },
      { day: '2024-03-05', channelId: SUPPORT, personId: ALICE, messages: 1 },
      { day: '2024-03-05', channelId: SUPPORT, personId: BOB, messages: 1 },
      { day: '2024-03-05', channelId: SUPPORT, personId: CAROL, messages: 1 },
    ]);
  });
});

describe('channelsActiveIn', () => {
  it('counts the distinct channels each person posted in within the range', () => {
    // day 2 only: A eng (m10, m11) + support (n8); B support (n9) — the join m12 does not count; C eng (m8, m9) + support (n7)
    const day2 = { fromMs: Date.parse('2024-03-05T00:00:00Z'), toMs: Date.parse('2024-03-06T00:00:00Z') };
    expect(channelsActiveIn(WORKSPACE, day2)).toEqual([
      { personId: ALICE, channels: 2, channelIds: [ENG, SUPPORT] },
      { personId: BOB, channels: 1, channelIds: [SUPPORT] },
      { personId: CAROL, channels: 2, channelIds: [ENG, SUPPORT] },
    ]);
  });

  it('excludes a message at the end of the range', () => {
    const untilN2 = { fromMs: Date.parse('2024-03-04T00:00:00Z'), toMs: Date.parse('2024-03-04T00:32:00Z') };
    // only n1 (B, 00:30) falls in the range; n2 (A) at exactly 00:32 is excluded
    expect(channelsActiveIn(WORKSPACE, untilN2)).toEqual([{ personId: BOB, channels: 1, channelIds: [SUPPORT] }]);
  });
});

describe('threadsStarted', () => {
  it('counts person roots that got replies, not bot roots or unanswered posts', () => {
    // A: m1, n8   B: m5, n1   C: m8 (n7 has no replies; n5 is the bot's)
    expect(threadsStarted(WORKSPACE)).toEqual([
      { personId: ALICE, count: 2 },
      { personId: BOB, count: 2 },
      { personId: CAROL, count: 1 },
    ]);
  });
});

describe('helpReplies', () => {
  it("counts each reply to someone else's question", () => {
    // question threads with a person root: m1 (A), m8 (C), n1 (B); m5 and n8 are not questions; n5 is a bot's
    // m1: m2 B ✓, m3 C ✓, m4 A ✗ own   m8: m9 C ✗ own, m10 A ✓   n1: n2 A ✓, n3 C ✓   n6 answers the bot ✗
    expect(helpReplies(WORKSPACE)).toEqual([
      { personId: ALICE, count: 2 }, // m10, n2
      { personId: BOB, count: 1 }, // m2
      { personId: CAROL, count: 2 }, // m3, n3
    ]);
  });

  it('skips replies whose root is not in the data', () => {
    expect(helpReplies([m2, m3])).toEqual([]);
  });
});

describe('threadDepth', () => {
  it('reports person replies, participants and the first answer by someone else', () => {
    // m1: replies m2 m3 m4 = 3; people A B C = 3; first other reply m2 Δ60
    // m5: the bot reply m6 is left out: replies m7 = 1; people B C = 2; first other reply m7 Δ300 (bot Δ10 ignored)
    // m8: replies m9 m10 = 2; people C A = 2; m9 is C's own, so first other reply m10 Δ600
    // n1: replies n2 n3 = 2; people B A C = 3; Δ120      n8: replies n9 = 1; people A B = 2; Δ900
    expect(threadDepth(WORKSPACE)).toEqual([
      { channelId: ENG, threadTs: m1.ts, rootAuthorId: ALICE, replies: 3, participants: 3, timeToFirstReplySeconds: 60 },
      { channelId: ENG, threadTs: m5.ts, rootAuthorId: BOB, replies: 1, participants: 2, timeToFirstReplySeconds: 300 },
      { channelId: ENG, threadTs: m8.ts, rootAuthorId: CAROL, replies: 2, participants: 2, timeToFirstReplySeconds: 600 },
      { channelId: SUPPORT, threadTs: n1.ts, rootAuthorId: BOB, replies: 2, participants: 3, timeToFirstReplySeconds: 120 },
      { channelId: SUPPORT, threadTs: n8.ts, rootAuthorId: ALICE, replies: 1, participants: 2, timeToFirstReplySeconds: 900 },
    ]);
  });

  it('has no time to first reply when only the author replied', () => {
    expect(threadDepth([m8, m9])).toEqual([
      { channelId: ENG, threadTs: m8.ts, rootAuthorId: CAROL, replies: 1, participants: 1, timeToFirstReplySeconds: null },
    ]);
  });
});

describe('reactionsGivenReceived', () => {
  it('counts reactions each way, ignoring reactions to one own message', () => {
    // given: A 👍m2 🎉m5 ✅n9 = 3 (🙏 on own m4 skipped)   B 👀m1 ❤️n4 = 2 (🎉 on own m5 skipped)
    //        C 👍m2 🎉m5 🚀m6(bot) 👀n1 ❤️n4 = 5
    // received: A m1 1 + n4 2 = 3 (m4 self only = 0)   B m2 2 + m5 (3 − self) 2 + n1 1 + n9 1 = 6
    //           C none, but listed because C gave some; the bot's 🚀 is received by no person
    expect(reactionsGivenReceived(WORKSPACE)).toEqual([
      { personId: ALICE, given: 3, received: 3 },
      { personId: BOB, given: 2, received: 6 },
      { personId: CAROL, given: 5, received: 0 },
    ]);
  });

  it("trusts Slack's count for received when it lists only some reactors", () => {
    const busy = message({ ts: ts('2024-03-06T00:00:00Z'), authorId: ALICE, reactions: [{ name: 'fire', count: 60, userIds: [BOB, CAROL] }] });
    expect(reactionsGivenReceived([busy])).toEqual([
      { personId: ALICE, given: 0, received: 60 },
      { personId: BOB, given: 1, received: 0 },
      { personId: CAROL, given: 1, received: 0 },
    ]);
  });
});

describe('mentionsGivenReceived', () => {
  it('counts distinct people mentioned per person message, not self-mentions or bot posts', () => {
    // m2 B→A   m10 A→C, A→B   m11 A→B   n3 C→B (C→C self skipped)   m6 is a bot's: B not counted
    // given: A 3, B 1, C 1   received: A 1, B 3, C 1
    expect(mentionsGivenReceived(WORKSPACE)).toEqual([
      { personId: ALICE, given: 3, received: 1 },
      { personId: BOB, given: 1, received: 3 },
      { personId: CAROL, given: 1, received: 1 },
    ]);
  });
});

describe('linksByKind', () => {
  it('counts links in person messages by author and kind, leaving out the bot', () => {
    // A: m10 linear, m11 google_docs, n2 notion, n8 gitlab_mr + other   B: m2 + m5 github_pr, m5 github_issue
    // C: m3 jira, n3 confluence      (m6's github_pr is the bot's)
    expect(linksByKind(WORKSPACE, 'person')).toEqual([
      { key: ALICE, kind: 'gitlab_mr', links: 1 },
      { key: ALICE, kind: 'linear', links: 1 },
      { key: ALICE, kind: 'google_docs', links: 1 },
      { key: ALICE, kind: 'notion', links: 1 },
      { key: ALICE, kind: 'other', links: 1 },
      { key: BOB, kind: 'github_pr', links: 2 },
      { key: BOB, kind: 'github_issue', links: 1 },
      { key: CAROL, kind: 'jira', links: 1 },
      { key: CAROL, kind: 'confluence', links: 1 },
    ]);
  });

  it('counts links per channel and kind', () => {
    // eng: github_pr m2 m5 = 2, github_issue m5, jira m3, linear m10, google_docs m11
    // support: gitlab_mr n8, notion n2, confluence n3, other n8
    expect(linksByKind(WORKSPACE, 'channel')).toEqual([
      { key: ENG, kind: 'github_pr', links: 2 },
      { key: ENG, kind: 'github_issue', links: 1 },
      { key: ENG, kind: 'jira', links: 1 },
      { key: ENG, kind: 'linear', links: 1 },
      { key: ENG, kind: 'google_docs', links: 1 },
      { key: SUPPORT, kind: 'gitlab_mr', links: 1 },
      { key: SUPPORT, kind: 'notion', links: 1 },
      { key: SUPPORT, kind: 'confluence', links: 1 },
      { key: SUPPORT, kind: 'other', links: 1 },
    ]);
  });
});

describe('channelActivity', () => {
  it('summarises messages, people, threads and the median wait for an answer per channel', () => {
    // eng: person messages m1 m2 m3 m4 m5 m7 m8 m9 m10 m11 = 10; bot m6 = 1; people A B C; threads m1 m5 m8;
    //      waits 60, 300, 600 → median 300
    // support: n1 n2 n3 n4 n6 n7 n8 n9 = 8; bot n5 = 1; people A B C; threads n1 n8 (n5 is the bot's);
    //      waits 120, 900 → median (120 + 900) / 2 = 510
    expect(channelActivity(WORKSPACE)).toEqual([
      { channelId: ENG, messages: 10, botMessages: 1, activePeople: 3, threads: 3, medianTimeToFirstReplySeconds: 300 },
      { channelId: SUPPORT, messages: 8, botMessages: 1, activePeople: 3, threads: 2, medianTimeToFirstReplySeconds: 510 },
    ]);
  });

  it('has no median when no thread got an answer', () => {
    expect(channelActivity([n7])).toEqual([
      { channelId: SUPPORT, messages: 1, botMessages: 0, activePeople: 1, threads: 0, medianTimeToFirstReplySeconds: null },
    ]);
  });
});
