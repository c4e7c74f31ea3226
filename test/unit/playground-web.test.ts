/** The playground page's pure parts: mrkdwn as safe HTML, emoji, threads, names, selection, modal values. */
import { describe, expect, it } from 'vitest';
import type { PlaygroundConversation, PlaygroundMessage, PlaygroundPerson } from '../../src/playground/protocol.ts';
import { collectValues, readOptionGroups } from '../../src/playground/web/block-kit-json.ts';
import { emojiFor, showEmoji } from '../../src/playground/web/emoji-names.ts';
import { describeReplies, isTopLevel, showsBlocks, threadMessages, topLevelMessages } from '../../src/playground/web/message-threads.ts';
import { firstSelection, keepSelection, selectConversation, shownConversationId } from '../../src/playground/web/page-selection.ts';
import { escapeHtml, isSafeHref, renderMrkdwn } from '../../src/playground/web/render-mrkdwn.ts';
import {
  buildWorkspaceNames,
  describeActor,
  initialsOf,
  mentionBeingTyped,
  mentionCandidates,
  sidebarSections,
} from '../../src/playground/web/workspace-names.ts';

// ---- small factories -------------------------------------------------------

function person(overrides: Partial<PlaygroundPerson> = {}): PlaygroundPerson {
  return { id: 'U0ALICE', name: 'alice', realName: 'Alice Smith', isAdmin: false, isBot: false, ...overrides };
}

function conversation(overrides: Partial<PlaygroundConversation> = {}): PlaygroundConversation {
  return { id: 'C0GENERAL', name: 'general', kind: 'public', isArchived: false, isMember: true, ...overrides };
}

function message(overrides: Partial<PlaygroundMessage> = {}): PlaygroundMessage {
  return {
    ts: '1700000000.000100',
    channel: 'C0GENERAL',
    user: 'U0ALICE',
    userName: 'Alice Smith',
    isBot: false,
    text: 'hello',
    replyCount: 0,
    replyUsers: [],
    reactions: [],
    files: [],
    edited: false,
    streaming: false,
    ...overrides,
  };
}

const BOT = { id: 'B0PULSE', name: 'Pulse' };
const PEOPLE = [person(), person({ id: 'U0ADA', name: 'ada', realName: 'Ada Admin', isAdmin: true }), person({ id: 'U0BOT', name: 'pulse', realName: 'Pulse', isBot: true })];
const CONVERSATIONS = [
  conversation(),
  conversation({ id: 'C0RANDOM', name: 'random' }),
  conversation({ id: 'G0SECRET', name: 'secret', kind: 'private' }),
  conversation({ id: 'C0OLD', name: 'old', isArchived: true }),
  conversation({ id: 'C0OTHER', name: 'other', isMember: false }),
  conversation({ id: 'D0PULSE', name: 'Pulse', kind: 'im', imUser: 'B0PULSE' }),
];
const names = buildWorkspaceNames({ people: PEOPLE, bot: BOT, conversations: CONVERSATIONS });
const render = (text: string) => renderMrkdwn(text, names);

/** Parses the HTML just enough to list the tags it opens, with their attributes. */
function openedTags(html: string): string[] {
  return [...html.matchAll(/<([a-z][a-z0-9]*)([^>]*)>/gi)].map((match) => `${match[1]}${match[2]}`);
}

// ---- mrkdwn ----------------------------------------------------------------

describe('renderMrkdwn', () => {
  it('renders bold, italic, strike and inline code', () => {
    expect(render('*bold* _italic_ ~gone~ `a*b*`')).toBe('<strong>bold</strong> <em>italic</em> <del>gone</del> <code>a*b*</code>');
  });

  it('leaves markers inside words alone', () => {
    expect(render('snake_case_name and 2*3*4')).toBe('snake_case_name and 2*3*4');
  });

  it('renders code blocks as pre, with their content escaped and unformatted', () => {
    expect(render('before\n```\nselect *x* from <t>\n```\nafter')).toBe('before<pre>select *x* from &lt;t&gt;</pre>after');
  });

  it('keeps an unclosed code fence as text while an answer is still streaming', () => {
    expect(render('```\nselect 1')).toBe('```\nselect 1');
  });

  it('groups quoted lines into one quote', () => {
    expect(render('> first\n&gt; second\nafter')).toBe('<blockquote>first\nsecond</blockquote>after');
  });

  it('quotes the rest of the message after >>>', () => {
    expect(render('>>> all\nof it')).toBe('<blockquote>all\nof it</blockquote>');
  });

  it('shows "- " and "• " lines as bullets', () => {
    expect(render('• one\n- two')).toBe('• one\n• two');
  });

  it('links <url|label> and <url> for web and mail addresses only', () => {
    expect(render('<https://example.com/a?b=1&amp;c=2|the doc>')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the doc</a>',
    );
    expect(render('<mailto:ops@example.com>')).toContain('href="mailto:ops@example.com"');
    expect(render('<https://example.com>')).toContain('>https://example.com</a>');
  });

  it('shows people as @handle, Pulse by name, and unknown ids by their label or id', () => {
    expect(render('<@U0ALICE> <@B0PULSE> <@U0GHOST|ghost> <@U0NOBODY>')).toBe(
      [
        '<span class="mention" data-user-id="U0ALICE">@alice</span>',
        '<span class="mention" data-user-id="B0PULSE">@Pulse</span>',
        '<span class="mention" data-user-id="U0GHOST">@ghost</span>',
        '<span class="mention" data-user-id="U0NOBODY">@U0NOBODY</span>',
      ].join(' '),
    );
  });

  it('shows channels as #name from the conversations, with or without a label', () => {
    expect(render('<#C0RANDOM> <#C0RANDOM|random> <#C0UNKNOWN|elsewhere>')).toBe(
      [
        '<span class="mention" data-channel-id="C0RANDOM">#random</span>',
        '<span class="mention" data-channel-id="C0RANDOM">#random</span>',
        '<span class="mention" data-channel-id="C0UNKNOWN">#elsewhere</span>',
      ].join(' '),
    );
  });

  it('shows <!here> and <!channel> as broadcasts and special tokens by their label', () => {
    expect(render('<!here> <!channel>')).toBe('<span class="mention broadcast">@here</span> <span class="mention broadcast">@channel</span>');
    expect(render('<!subteam^S0DEVS|@devs> <!date^1700000000^{date}|Nov 14>')).toBe('@devs Nov 14');
  });

  it('decodes Slack entities once and escapes them again for HTML', () => {
    expect(render('a &lt; b &amp;&amp; c &gt; d "q" \'s\'')).toBe('a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &#39;s&#39;');
  });

  it('shows known :emoji: codes as characters and leaves others as typed', () => {
    expect(render(':tada: :not_an_emoji: 10:30:45')).toBe('🎉 :not_an_emoji: 10:30:45');
  });

  it('reads the standard Markdown of streamed answers: **bold**, [label](url) and headings', () => {
    expect(render('# Summary\n**1,234** messages, see [the doc](https://example.com/d)')).toBe(
      '<strong>Summary</strong>\n<strong>1,234</strong> messages, see <a href="https://example.com/d" target="_blank" rel="noopener noreferrer">the doc</a>',
    );
  });

  it('links bare web addresses without the sentence’s closing punctuation', () => {
    expect(render('see https://example.com/x.')).toBe('see <a href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a>.');
  });
});

describe('renderMrkdwn never produces live markup from what it is given', () => {
  const attacks = [
    '<script>alert(1)</script>',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '<img src=x onerror=alert(1)>',
    '&lt;img src=x onerror=alert(1)&gt;',
    '<javascript:alert(1)|click me>',
    '<javascript:alert(1)>',
    '<JaVaScRiPt:alert(1)|x>',
    '<data:text/html;base64,PHNjcmlwdD4=|open>',
    '<https://example.com" onmouseover="alert(1)|hover>',
    '[click](javascript:alert(1))',
    '*<img src=x onerror=alert(1)>*',
    '`<script>alert(1)</script>`',
    '```<iframe src="javascript:alert(1)"></iframe>```',
    '<@U0ALICE|"><script>alert(1)</script>>',
    '\uE0000\uE001<script>alert(1)</script>',
  ];

  it.each(attacks)('%s', (attack) => {
    const html = render(attack);
    const allowed = /^(strong|em|del|code|pre|blockquote|span class="mention[^"]*"( data-(user|channel)-id="[^"<>]*")?|a href="(https?:\/\/|mailto:)[^"]*" target="_blank" rel="noopener noreferrer")$/;
    for (const tag of openedTags(html)) expect(tag).toMatch(allowed);
    expect(html).not.toMatch(/<(script|img|iframe)/i);
    expect(html).not.toMatch(/href="(?!https?:|mailto:)/i);
  });

  it('shows the label of an unsafe link as plain text', () => {
    expect(render('<javascript:alert(1)|click me>')).toBe('click me');
  });

  it('shows an unsafe link without a label as the text that was typed', () => {
    expect(render('<javascript:alert(1)>')).toBe('&lt;javascript:alert(1)&gt;');
  });
});

describe('escapeHtml and isSafeHref', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('accepts http, https and mailto only', () => {
    expect(['https://a.b', 'http://a.b/c?d=e', 'mailto:a@b.c'].every(isSafeHref)).toBe(true);
    expect(['javascript:alert(1)', 'data:text/html,x', 'vbscript:x', '//evil.example', '/relative', 'https://a.b/"x'].some(isSafeHref)).toBe(false);
  });
});

// ---- emoji -----------------------------------------------------------------

describe('emoji names', () => {
  it('maps the reactions Pulse and the seed use', () => {
    expect(['eyes', 'white_check_mark', 'x', 'heavy_check_mark', '+1', 'thumbsup', '-1', 'tada', 'heart', 'rocket'].map(emojiFor)).toEqual([
      '👀', '✅', '❌', '✔️', '👍', '👍', '👎', '🎉', '❤️', '🚀',
    ]);
    expect(['raised_hands', 'fire', 'pray', 'joy', 'warning', 'hourglass_flowing_sand', 'memo', 'bar_chart', 'chart_with_upwards_trend', 'white_circle'].map(emojiFor)).toEqual([
      '🙌', '🔥', '🙏', '😂', '⚠️', '⏳', '📝', '📊', '📈', '⚪',
    ]);
  });

  it('accepts colons and skin tones, and shows an unknown name as :name:', () => {
    expect(emojiFor(':eyes:')).toBe('👀');
    expect(emojiFor('+1::skin-tone-3')).toBe('👍');
    expect(showEmoji('party_parrot')).toBe(':party_parrot:');
    expect(emojiFor('constructor')).toBeUndefined();
  });
});

// ---- threads ---------------------------------------------------------------

describe('which messages a channel and a thread show', () => {
  const root = message({ ts: '1.000001', threadTs: '1.000001', replyCount: 2 });
  const reply = message({ ts: '2.000001', threadTs: '1.000001' });
  const broadcast = message({ ts: '3.000001', threadTs: '1.000001', subtype: 'thread_broadcast' });
  const plain = message({ ts: '4.000001' });
  const other = message({ ts: '5.000001', threadTs: '4.500000' });

  it('shows plain messages, thread roots and broadcast replies in the channel', () => {
    expect(topLevelMessages([root, reply, broadcast, plain, other]).map((m) => m.ts)).toEqual(['1.000001', '3.000001', '4.000001']);
    expect(isTopLevel(reply)).toBe(false);
  });

  it('shows a thread as its root and its replies, broadcasts included', () => {
    const thread = threadMessages([root, reply, broadcast, plain, other], '1.000001');
    expect(thread.root?.ts).toBe('1.000001');
    expect(thread.replies.map((m) => m.ts)).toEqual(['2.000001', '3.000001']);
  });

  it('says "1 reply" and "N replies"', () => {
    expect(describeReplies(1)).toBe('1 reply');
    expect(describeReplies(3)).toBe('3 replies');
  });

  it('shows blocks only when they hold more than rich_text', () => {
    expect(showsBlocks(message({ blocks: [{ type: 'rich_text', elements: [] }] }))).toBe(false);
    expect(showsBlocks(message({ blocks: [{ type: 'rich_text' }, { type: 'actions' }] }))).toBe(true);
    expect(showsBlocks(message())).toBe(false);
  });
});

// ---- names -----------------------------------------------------------------

describe('names, sidebar sections and mention autocomplete', () => {
  it('labels actors with their role', () => {
    expect(describeActor(person({ realName: 'Ada Admin', isAdmin: true }))).toBe('Ada Admin (admin)');
    expect(describeActor(person())).toBe('Alice Smith (member)');
  });

  it('makes avatar initials from the first and last names', () => {
    expect(initialsOf('Alice Smith')).toBe('AS');
    expect(initialsOf('Pulse')).toBe('P');
    expect(initialsOf('Mary Ann Lee')).toBe('ML');
    expect(initialsOf('  ')).toBe('?');
  });

  it('lists member channels then DMs, each by name, leaving out conversations the person is not in', () => {
    const sections = sidebarSections(CONVERSATIONS);
    expect(sections.channels.map((c) => c.name)).toEqual(['general', 'old', 'random', 'secret']);
    expect(sections.directMessages.map((c) => c.id)).toEqual(['D0PULSE']);
  });

  it('offers Pulse first, then people (not bots) whose handle or name starts with what was typed', () => {
    const state = { people: PEOPLE, bot: BOT };
    expect(mentionCandidates(state, '').map((c) => c.handle)).toEqual(['Pulse', 'alice', 'ada']);
    expect(mentionCandidates(state, 'pu').map((c) => c.handle)).toEqual(['Pulse']);
    expect(mentionCandidates(state, 'smi').map((c) => c.handle)).toEqual(['alice']);
  });

  it('finds the "@…" being typed right before the caret', () => {
    expect(mentionBeingTyped('hey @Pu', 7)).toEqual({ start: 4, query: 'Pu' });
    expect(mentionBeingTyped('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionBeingTyped('mail me@example', 15)).toBeUndefined();
    expect(mentionBeingTyped('hey @Pu there', 13)).toBeUndefined();
  });
});

// ---- selection -------------------------------------------------------------

describe('what the page shows', () => {
  const state = { conversations: CONVERSATIONS, pulseDm: 'D0PULSE' };

  it('starts in #general', () => {
    expect(firstSelection(state)).toEqual({ kind: 'conversation', id: 'C0GENERAL' });
  });

  it('opens the DM with Pulse as the Pulse app’s Messages tab', () => {
    expect(selectConversation('D0PULSE', state)).toEqual({ kind: 'pulse', tab: 'messages' });
    expect(shownConversationId({ kind: 'pulse', tab: 'messages' }, state)).toBe('D0PULSE');
    expect(shownConversationId({ kind: 'pulse', tab: 'home' }, state)).toBeUndefined();
  });

  it('falls back to the first channel when the person is no longer in the shown one', () => {
    expect(keepSelection({ kind: 'conversation', id: 'C0OTHER' }, state)).toEqual({ kind: 'conversation', id: 'C0GENERAL' });
    expect(keepSelection({ kind: 'conversation', id: 'C0RANDOM' }, state)).toEqual({ kind: 'conversation', id: 'C0RANDOM' });
  });
});

// ---- modal values ----------------------------------------------------------

describe('collectValues', () => {
  it('collects typed text, chosen options and conversations by block and action, leaving out what was not chosen', () => {
    const values = collectValues([
      { blockId: 'name', actionId: 'name_input', read: () => 'Weekly' },
      { blockId: 'name', actionId: 'empty', read: () => '' },
      { blockId: 'destination', actionId: 'destination_select', read: () => 'C0RANDOM' },
      { blockId: 'model', actionId: 'model_select', read: () => undefined },
      { blockId: '', actionId: 'no_block', read: () => 'x' },
    ]);
    expect(values).toEqual({ name: { name_input: 'Weekly', empty: '' }, destination: { destination_select: 'C0RANDOM' } });
  });

  it('reads options and option groups, skipping malformed ones', () => {
    expect(readOptionGroups({ options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }, { text: 'bad' }] })).toEqual([{ options: [{ text: 'A', value: 'a' }] }]);
    expect(readOptionGroups({ option_groups: [{ label: { text: 'G' }, options: [{ text: { text: 'B' }, value: 'b' }] }] })).toEqual([
      { label: 'G', options: [{ text: 'B', value: 'b' }] },
    ]);
  });
});
