/** Slack message markup becomes plain text the model reads; mentions are found by user id. */
import { describe, expect, it } from 'vitest';
import { mentionedUserIds, renderSlackTextAsPlain } from '../../src/slack/slack-text.ts';

// ---- small factories -------------------------------------------------------

function directory(entries: Record<string, string> = {}): ReadonlyMap<string, string> {
  return new Map(Object.entries(entries));
}

const PEOPLE = directory({ U012ALICE: 'Alice Chen', W0ENTBOB: 'Bob' });

function render(text: string, names: ReadonlyMap<string, string> = PEOPLE): string {
  return renderSlackTextAsPlain(text, names);
}

// ---- mentionedUserIds ------------------------------------------------------

describe('mentionedUserIds', () => {
  it('returns the user ids mentioned, in order of appearance', () => {
    expect(mentionedUserIds('<@U012ALICE> can you ask <@W0ENTBOB>?')).toEqual(['U012ALICE', 'W0ENTBOB']);
  });

  it('reads the id of a legacy mention that carries a label', () => {
    expect(mentionedUserIds('ping <@U012ALICE|alice>')).toEqual(['U012ALICE']);
  });

  it('keeps repeated mentions, once per occurrence', () => {
    expect(mentionedUserIds('<@U1ABC> and <@U1ABC>')).toEqual(['U1ABC', 'U1ABC']);
  });

  it('ignores channels, special mentions, user groups and plain @text', () => {
    expect(mentionedUserIds('<#C0GENERAL|general> <!here> <!subteam^S0TEAM|@devs> @U012ALICE <@u012lower>')).toEqual([]);
  });

  it('returns nothing for text without mentions', () => {
    expect(mentionedUserIds('')).toEqual([]);
    expect(mentionedUserIds('what is our churn?')).toEqual([]);
  });

  it('gives the same answer when called twice on the same text', () => {
    const text = '<@U012ALICE> hi';

    expect(mentionedUserIds(text)).toEqual(mentionedUserIds(text));
  });
});

// ---- renderSlackTextAsPlain ----------------------------------------------------

describe('renderSlackTextAsPlain', () => {
  it('resolves user mentions to @name through the directory', () => {
    expect(render('<@U012ALICE> asked <@W0ENTBOB>')).toBe('@Alice Chen asked @Bob');
  });

  it('falls back to the user id when the directory does not know the user', () => {
    expect(render('<@U0STRANGER> joined', directory())).toBe('@U0STRANGER joined');
  });

  it('resolves a labelled legacy mention through the directory too', () => {
    expect(render('<@U012ALICE|alice> hi')).toBe('@Alice Chen hi');
  });

  it('renders a channel link as #name, or #id when Slack sent no name', () => {
    expect(render('see <#C0GENERAL|general> and <#G0PRIVATE>')).toBe('see #general and #G0PRIVATE');
  });

  it('renders an empty channel label as the channel id', () => {
    expect(render('in <#C0GENERAL|>')).toBe('in #C0GENERAL');
  });

  it.each([
    ['<!here>', '@here'],
    ['<!channel>', '@channel'],
    ['<!everyone>', '@everyone'],
    ['<!here|here>', '@here'],
  ])('renders the special mention %s as %s', (markup, plain) => {
    expect(render(`${markup} standup`)).toBe(`${plain} standup`);
  });

  it('renders a user group by its label, or a generic @group without one', () => {
    expect(render('<!subteam^S0TEAM|@devs> and <!subteam^S0OTHER>')).toBe('@devs and @group');
  });

  it('renders a labelled link as "label (url)"', () => {
    expect(render('read <https://example.com/a?b=1|the doc>')).toBe('read the doc (https://example.com/a?b=1)');
  });

  it('renders a bare link as its url', () => {
    expect(render('<http://example.com/x>')).toBe('http://example.com/x');
  });

  it('renders a mailto link like any other link', () => {
    expect(render('mail <mailto:ops@example.com|ops@example.com>')).toBe('mail ops@example.com (mailto:ops@example.com)');
  });

  it('unescapes &amp;, &lt; and &gt;', () => {
    expect(render('a &lt; b &amp;&amp; c &gt; d')).toBe('a < b && c > d');
  });

  it('unescapes &amp; last, so an escaped entity stays literal', () => {
    expect(render('type &amp;lt; to get &lt;')).toBe('type &lt; to get <');
  });

  it('does not turn escaped angle brackets into Slack markup', () => {
    expect(render('&lt;@U012ALICE&gt; is literal')).toBe('<@U012ALICE> is literal');
  });

  it('renders every kind of markup in one message', () => {
    expect(render('<@U012ALICE> in <#C0GENERAL|general>: <!here> read <https://x.io|x> &amp; reply')).toBe(
      '@Alice Chen in #general: @here read x (https://x.io) & reply',
    );
  });

  it('leaves plain text unchanged', () => {
    const text = 'What were Q3 sales? Compare 2 > 1 with :chart_with_upwards_trend:';

    expect(render(text)).toBe(text);
  });
});
