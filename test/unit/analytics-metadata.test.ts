/** A Slack message becomes stored metadata: counts, people, links — text only when allowed. */
import { describe, expect, it } from 'vitest';
import { LINK_KINDS } from '../../src/analytics/classify-link.ts';
import { extractMessageMetadata, type SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { createPseudonymizer } from '../../src/analytics/pseudonym.ts';
import { tsToMs } from '../../src/analytics/message-roles.ts';
import { toStoredMessage } from '../../src/analytics/stored-message.ts';
import { countVisibleCharacters, extractMentionedUserIds } from '../../src/analytics/visible-text.ts';
import { readFixtureJson } from '../support/shared-fixtures.ts';

// ---- small factories -------------------------------------------------------

function slackMessage(overrides: Partial<SlackMessageLike> = {}): SlackMessageLike {
  return { ts: '1709510400.000100', user: 'U0ALICE', text: 'hello', ...overrides };
}

const OPTIONS = { teamId: 'T0ACME', channelId: 'C0ENG', storeText: false };

function capturedEvent(name: string): SlackMessageLike {
  return readFixtureJson<{ event: SlackMessageLike }>(`slack-captures/SlackWebhookEvent/${name}.json`).event;
}

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef');

// ---- extractMessageMetadata --------------------------------------------------

describe('extractMessageMetadata', () => {
  it('records every field of a threaded message with reactions, files and an edit', () => {
    const metadata = extractMessageMetadata(
      slackMessage({
        ts: '1709510460.000200',
        thread_ts: '1709510400.000100',
        subtype: 'thread_broadcast',
        text: 'thanks <@U0BOB>, fixed in <https://github.com/a/b/pull/7|#7>',
        reactions: [{ name: 'tada', count: 2, users: ['U0BOB', 'U0CAROL'] }],
        files: [{ id: 'F1' }, { id: 'F2' }],
        edited: { user: 'U0ALICE', ts: '1709510470.000000' },
      }),
      OPTIONS,
    );
    expect(metadata).toEqual({
      teamId: 'T0ACME',
      channelId: 'C0ENG',
      ts: '1709510460.000200',
      threadTs: '1709510400.000100',
      authorId: 'U0ALICE',
      botId: null,
      subtype: 'thread_broadcast',
      isBot: false,
      // "thanks @U0BOB, fixed in #7" = 6 + 1 + 6 + 1 + 1 + 5 + 1 + 2 + 1 + 2 = 26 code points
      charCount: 26,
      replyCount: 0,
      replyUserIds: [],
      reactions: [{ name: 'tada', count: 2, userIds: ['U0BOB', 'U0CAROL'] }],
      mentionedUserIds: ['U0BOB'],
      linkKinds: ['github_pr'],
      fileCount: 2,
      edited: true,
      isQuestion: false,
      text: null,
    });
  });

  it('keeps the text only when the workspace stores content', () => {
    expect(extractMessageMetadata(slackMessage({ text: 'secret plan' }), OPTIONS).text).toBeNull();
    expect(extractMessageMetadata(slackMessage({ text: 'secret plan' }), { ...OPTIONS, storeText: true }).text).toBe('secret plan');
  });

  it('pseudonymizes the author, reply users, reactors and mentioned people', () => {
    const pseudonymize = createPseudonymizer(SECRET, 'T0ACME');
    const metadata = extractMessageMetadata(
      slackMessage({
        text: 'ping <@U0BOB>',
        reply_count: 1,
        reply_users: ['U0CAROL'],
        reactions: [{ name: 'eyes', count: 1, users: ['U0BOB'] }],
      }),
      { ...OPTIONS, pseudonymize },
    );
    const bob = pseudonymize('U0BOB');
    expect(metadata.authorId).toBe(pseudonymize('U0ALICE'));
    expect(metadata.replyUserIds).toEqual([pseudonymize('U0CAROL')]);
    expect(metadata.reactions[0]?.userIds).toEqual([bob]);
    expect(metadata.mentionedUserIds).toEqual([bob]);
    expect(JSON.stringify(metadata)).not.toMatch(/U0ALICE|U0BOB|U0CAROL/);
  });

  it('flags bot posts by bot_id, the bot_message subtype or Slackbot', () => {
    expect(extractMessageMetadata(slackMessage({ bot_id: 'B01' }), OPTIONS).isBot).toBe(true);
    expect(extractMessageMetadata(slackMessage({ user: undefined, subtype: 'bot_message' }), OPTIONS)).toMatchObject({ isBot: true, authorId: null });
    expect(extractMessageMetadata(slackMessage({ user: 'USLACKBOT' }), OPTIONS).isBot).toBe(true);
    expect(extractMessageMetadata(slackMessage(), OPTIONS).isBot).toBe(false);
  });

  it('marks a root that asks something as a question', () => {
    expect(extractMessageMetadata(slackMessage({ text: 'how do I get access' }), OPTIONS).isQuestion).toBe(true);
  });

  it('uses Slack\'s reaction count, or the listed users when the count is missing', () => {
    const metadata = extractMessageMetadata(slackMessage({ reactions: [{ name: 'eyes', users: ['U1', 'U2'] }] }), OPTIONS);
    expect(metadata.reactions).toEqual([{ name: 'eyes', count: 2, userIds: ['U1', 'U2'] }]);
  });

  it('reads a captured rich-text message: channel, emoji, mention and link', () => {
    const metadata = extractMessageMetadata(capturedEvent('message_rich_text'), { ...OPTIONS, storeText: true });
    // "#general :cat: @U043H11ES4V https://google.com text text text"
    //  8 + 1 + 5 + 1 + 12 + 1 + 18 + 15 = 61
    expect(metadata).toMatchObject({
      authorId: 'U043H11ES4V',
      charCount: 61,
      mentionedUserIds: ['U043H11ES4V'],
      linkKinds: ['other'],
      isBot: false,
      text: '<#C043YJGBY49|general> :cat: <@U043H11ES4V> <https://google.com> text text text',
    });
  });

  it('reads a captured file share and a captured bot reply', () => {
    expect(extractMessageMetadata(capturedEvent('message_file_share'), OPTIONS)).toMatchObject({
      subtype: 'file_share',
      fileCount: 1,
      charCount: 23,
    });
    expect(extractMessageMetadata(capturedEvent('botMessage'), OPTIONS)).toMatchObject({
      isBot: true,
      botId: 'B0439P161B9',
      threadTs: '1664216109.798919',
      ts: '1664216870.477049',
    });
  });
});

// ---- visible characters ------------------------------------------------------

describe('countVisibleCharacters', () => {
  it.each([
    ['<@U012ALICE|alice> hi', 9], // "@alice hi"
    ['<!here> <#C1|ops>', 10], // "@here #ops"
    ['<!subteam^S01|@devs> go', 8], // "@devs go"
    ['<https://example.com/a|the doc>', 7], // "the doc"
    ['a &amp; b &lt;3', 8], // "a & b <3"
    ['👍🏽 ok', 5], // thumbs up + skin tone + space + o + k
    ['', 0],
    ['R&D and Q&A', 11], // an & that starts no entity stays as typed
    ['x &amp;lt; y', 8], // "x &lt; y": an escaped entity is decoded once
    ['<@U1|al&amp;ice>', 7], // "@al&ice": entities inside markup are decoded too
    ['I <3 it', 7], // a < that opens no markup stays
    ['a > b', 5],
    ['<@U1|<#C1>>', 4], // "@#C1": the rules apply in order, each to what the last one left
    ['🇩🇪', 2], // a flag is two regional indicators
    ['\ud83d\ud83d\udc4d', 2], // a lone high surrogate, then 👍
    ['\udc4d\ud83d', 2], // two lone surrogates in the wrong order
  ])('counts %j as %i code points of what a reader sees', (text, expected) => {
    expect(countVisibleCharacters(text)).toBe(expected);
  });
});

// ---- mentioned users ------------------------------------------------------------

describe('extractMentionedUserIds', () => {
  it('lists each mentioned user once, in order of first mention, labelled or not', () => {
    expect(extractMentionedUserIds('<@U2|bob> <@U1> <@W3> <@U2>')).toEqual(['U2', 'U1', 'W3']);
  });

  it('ignores typed @names, channels, special mentions and unclosed or lower-case markup', () => {
    expect(extractMentionedUserIds('@U1 <U1> <#C1> <!here> <@u1> <@U1')).toEqual([]);
  });
});

// ---- stored rows ----------------------------------------------------------------

describe('toStoredMessage', () => {
  const stored = toStoredMessage(
    extractMessageMetadata(
      slackMessage({
        text: 'see <https://github.com/a/b/pull/1> <https://linear.app/a/issue/X-1> https://github.com/a/b/pull/2',
        reactions: [
          { name: 'eyes', count: 3, users: ['U0BOB', 'U0BOB', 'U0ALICE'] },
          { name: 'tada', count: 2 },
        ],
      }),
      OPTIONS,
    ),
  );

  it('counts distinct URLs per kind, kinds in order of first appearance, with their bits in the mask', () => {
    expect(stored).toMatchObject({
      linkCount: 3,
      links: [{ kind: 'github_pr', count: 2 }, { kind: 'linear', count: 1 }],
      linkMask: (1 << LINK_KINDS.indexOf('github_pr')) | (1 << LINK_KINDS.indexOf('linear')),
    });
  });

  it('stores each listed reactor once per emoji and counts reactions other people gave', () => {
    expect(stored.reactions).toEqual([
      { name: 'eyes', userId: 'U0BOB' },
      { name: 'eyes', userId: 'U0ALICE' },
    ]);
    expect(stored.reactionsReceived).toBe(4); // 3 - the author's own + 2
  });
});

describe('tsToMs', () => {
  it.each([
    ['1709510400.000100', 1709510400000],
    ['1709510400.999999', 1709510400999],
    ['1709510400', 1709510400000],
    ['1709510400.5', 1709510400500],
    ['1709510400.1234567', 1709510400123],
    ['1709510400.000999.7', 1709510400000],
  ])('reads %s as %i ms, truncating to the millisecond', (ts, ms) => {
    expect(tsToMs(ts)).toBe(ms);
  });
});

// ---- pseudonyms -----------------------------------------------------------

describe('createPseudonymizer', () => {
  it('gives the same person the same pseudonym: P- and 12 base32 characters', () => {
    const pseudonymize = createPseudonymizer(SECRET, 'T0ACME');
    expect(pseudonymize('U0ALICE')).toMatch(/^P-[A-Z2-7]{12}$/);
    expect(pseudonymize('U0ALICE')).toBe(createPseudonymizer(SECRET, 'T0ACME')('U0ALICE'));
  });

  it('matches HMAC-SHA-256 of "team:user" under the secret (known answer)', () => {
    // HMAC-SHA-256(key "0123456789abcdef0123456789abcdef", "T0ACME:U0ALICE") computed with openssl;
    // its first 60 bits in RFC 4648 base32.
    expect(createPseudonymizer(SECRET, 'T0ACME')('U0ALICE')).toBe(KNOWN_PSEUDONYM);
  });

  it('gives different people, workspaces and secrets different pseudonyms', () => {
    const pseudonymize = createPseudonymizer(SECRET, 'T0ACME');
    const other = Buffer.from('fedcba9876543210fedcba9876543210');
    expect(pseudonymize('U0ALICE')).not.toBe(pseudonymize('U0BOB'));
    expect(pseudonymize('U0ALICE')).not.toBe(createPseudonymizer(SECRET, 'T0OTHER')('U0ALICE'));
    expect(pseudonymize('U0ALICE')).not.toBe(createPseudonymizer(other, 'T0ACME')('U0ALICE'));
  });

  it('does not contain the user id', () => {
    expect(createPseudonymizer(SECRET, 'T0ACME')('U0ALICE')).not.toContain('ALICE');
  });

  it('rejects a secret too short to resist guessing', () => {
    expect(() => createPseudonymizer(Buffer.from('short'), 'T0ACME')).toThrow(/at least 16 bytes/);
  });
});

const KNOWN_PSEUDONYM = 'P-4OIMPGETRW46';
