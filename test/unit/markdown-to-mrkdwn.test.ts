import { describe, expect, it } from 'vitest';
import { BULLET, HORIZONTAL_RULE, convertMarkdownToMrkdwn } from '../../src/slack/reply/markdown-to-mrkdwn.ts';
import { measureDisplayWidth } from '../../src/slack/reply/markdown-table-to-code.ts';

const convert = convertMarkdownToMrkdwn;

/** Builds a GFM pipe table from rows of cells; the second argument is the separator row. */
function pipeTable(header: string[], separator: string[], ...rows: string[][]): string {
  return [header, separator, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function fenced(body: string, info = ''): string {
  return `\`\`\`${info}\n${body}\n\`\`\``;
}

describe('convertMarkdownToMrkdwn — emphasis', () => {
  it('turns double-star and double-underscore bold into single-star bold', () => {
    expect(convert('**bold** and __also bold__')).toBe('*bold* and *also bold*');
  });

  it('turns star and underscore italics into underscore italics', () => {
    expect(convert('*slanted* and _slanted_')).toBe('_slanted_ and _slanted_');
  });

  it('turns double-tilde strikethrough into single-tilde strikethrough', () => {
    expect(convert('~~gone~~ but ~kept~')).toBe('~gone~ but ~kept~');
  });

  it('renders triple markers as bold italic', () => {
    expect(convert('***both*** and ___both___')).toBe('*_both_* and *_both_*');
  });

  it('keeps italics nested inside bold', () => {
    expect(convert('**bold _and italic_ text**')).toBe('*bold _and italic_ text*');
    expect(convert('**bold *and italic***')).toBe('*bold _and italic_*');
  });

  it('keeps bold nested inside italics', () => {
    expect(convert('*italic with **bold** inside*')).toBe('_italic with *bold* inside_');
  });

  it('converts several emphasis spans on one line independently', () => {
    expect(convert('**a** then **b** then *c*')).toBe('*a* then *b* then _c_');
  });

  it('leaves snake_case identifiers alone', () => {
    expect(convert('set max_retry_count and __private_name in my_module')).toBe(
      'set max_retry_count and __private_name in my_module',
    );
  });

  it('leaves Python dunder names alone', () => {
    expect(convert('edit __init__.py, call __call__() and read obj.__dict__')).toBe(
      'edit __init__.py, call __call__() and read obj.__dict__',
    );
  });

  it('leaves arithmetic with stars alone', () => {
    expect(convert('2*3*4 = 24, 2**3 + 4**2 = 24, a * b * c')).toBe('2*3*4 = 24, 2**3 + 4**2 = 24, a * b * c');
  });

  it('leaves emoji shortcodes with underscores alone', () => {
    expect(convert(':white_check_mark: done :heavy_plus_sign:')).toBe(':white_check_mark: done :heavy_plus_sign:');
  });

  it('does not treat a marker followed by a space as emphasis', () => {
    expect(convert('a * not italic * here')).toBe('a * not italic * here');
  });

  it('treats backslash-escaped markers as literal characters', () => {
    expect(convert('\\*not italic\\* and \\_nor this\\_')).toBe('*not italic* and _nor this_');
  });

  it('keeps emphasis around a link and a code span', () => {
    expect(convert('**see [docs](https://ex.com)** and *`code`*')).toBe('*see <https://ex.com|docs>* and _`code`_');
  });
});

describe('convertMarkdownToMrkdwn — links and Slack tokens', () => {
  it('turns Markdown links into Slack links', () => {
    expect(convert('Read [the docs](https://example.com/docs).')).toBe('Read <https://example.com/docs|the docs>.');
  });

  it('escapes ampersands inside link URLs', () => {
    expect(convert('[q](https://ex.com/?a=1&b=2)')).toBe('<https://ex.com/?a=1&amp;b=2|q>');
  });

  it('keeps underscores and stars in link URLs untouched', () => {
    expect(convert('[x](https://ex.com/a_b_c/*d*)')).toBe('<https://ex.com/a_b_c/*d*|x>');
  });

  it('supports parentheses in URLs and titles after them', () => {
    expect(convert('[Pi](https://en.wikipedia.org/wiki/Pi_(letter) "title")')).toBe(
      '<https://en.wikipedia.org/wiki/Pi_(letter)|Pi>',
    );
  });

  it('flattens formatting inside link text because Slack does not render it there', () => {
    expect(convert('[**bold** `code`](https://ex.com)')).toBe('<https://ex.com|bold code>');
  });

  it('escapes angle brackets in link text so they cannot end the token', () => {
    expect(convert('[a > b](https://ex.com)')).toBe('<https://ex.com|a &gt; b>');
  });

  it('uses the bare URL when the link text is empty or the URL itself', () => {
    expect(convert('[](https://ex.com) [https://ex.com](https://ex.com)')).toBe('<https://ex.com> <https://ex.com>');
  });

  it('turns images into links labelled with their alt text', () => {
    expect(convert('![Revenue chart](https://img.example.com/c.png)')).toBe(
      '<https://img.example.com/c.png|Revenue chart>',
    );
  });

  it('keeps only the words of relative and in-page links, which Slack cannot follow', () => {
    expect(convert('see [setup](/docs/setup) and [below](#usage)')).toBe('see setup and below');
  });

  it('adds https to www links', () => {
    expect(convert('[site](www.example.com)')).toBe('<https://www.example.com|site>');
  });

  it('keeps Markdown autolinks, which already are Slack links', () => {
    expect(convert('go to <https://example.com/a_b>')).toBe('go to <https://example.com/a_b>');
  });

  it('turns email autolinks into mailto links', () => {
    expect(convert('write to <ops@example.com>')).toBe('write to <mailto:ops@example.com|ops@example.com>');
  });

  it('keeps Slack mentions, channel links and special mentions the model already wrote', () => {
    const text = 'ping <@U123ABC> in <#C42|general>, <!here> and <!subteam^S1|@oncall>';
    expect(convert(text)).toBe(text);
  });

  it('keeps Slack links with labels verbatim', () => {
    expect(convert('<https://ex.com/?a=1&amp;b=2|the *report*>')).toBe('<https://ex.com/?a=1&amp;b=2|the *report*>');
  });

  it('keeps Slack date tokens whose fallback has spaces', () => {
    const token = '<!date^1392734382^Posted {date_num}|Posted 2014-02-18>';
    expect(convert(`${token} by me`)).toBe(`${token} by me`);
  });

  it('does not italicise underscores inside bare URLs', () => {
    expect(convert('see https://ex.com/a_b_c and _this_')).toBe('see https://ex.com/a_b_c and _this_');
  });

  it('leaves sentence punctuation after a bare URL outside it', () => {
    expect(convert('(see https://ex.com/x(1)). Then **go**')).toBe('(see https://ex.com/x(1)). Then *go*');
  });

  it('escapes ampersands in bare URLs', () => {
    expect(convert('https://ex.com/?a=1&b=2')).toBe('https://ex.com/?a=1&amp;b=2');
  });
});

describe('convertMarkdownToMrkdwn — escaping', () => {
  it('escapes ampersands and angle brackets in prose', () => {
    expect(convert('if a < b && c > d')).toBe('if a &lt; b &amp;&amp; c &gt; d');
  });

  it('does not escape entities that are already escaped', () => {
    expect(convert('Q&amp;A about &lt;tags&gt;')).toBe('Q&amp;A about &lt;tags&gt;');
  });

  it('escapes other entity-looking text so it shows as written', () => {
    expect(convert('AT&T and &quot;')).toBe('AT&amp;T and &amp;quot;');
  });

  it('escapes HTML tags rather than passing them through', () => {
    expect(convert('<b>hi</b>')).toBe('&lt;b&gt;hi&lt;/b&gt;');
  });

  it('turns HTML line breaks into newlines', () => {
    expect(convert('one<br>two<br/>three')).toBe('one\ntwo\nthree');
  });

  it('escapes backslash-escaped angle brackets', () => {
    expect(convert('\\<not a tag\\>')).toBe('&lt;not a tag&gt;');
  });

  it('ignores stray private-use characters rather than mistaking them for internals', () => {
    expect(convert('a\uE0000\uE001b **c**')).toBe('a0b *c*');
  });
});

describe('convertMarkdownToMrkdwn — code', () => {
  it('converts nothing inside inline code', () => {
    expect(convert('run `make **all** _now_ [x](y)` please')).toBe('run `make **all** _now_ [x](y)` please');
  });

  it('escapes &, < and > inside inline code literally', () => {
    expect(convert('`a < b && c &amp; <@U1>`')).toBe('`a &lt; b &amp;&amp; c &amp;amp; &lt;@U1&gt;`');
  });

  it('unwraps double-backtick code spans that contain a backtick', () => {
    expect(convert('``a ` b``')).toBe('`a ` b`');
  });

  it('leaves an unmatched backtick as text', () => {
    expect(convert('it`s **fine**')).toBe('it`s *fine*');
  });

  it('converts nothing inside a fenced block and drops the language tag', () => {
    const code = 'const total = **a** * b_c; // [x](y)\n# not a heading\n- not a bullet';
    expect(convert(fenced(code, 'ts'))).toBe(fenced(code));
  });

  it('escapes &, < and > inside a fenced block', () => {
    expect(convert(fenced('if (a < b && c > d) {}', 'js'))).toBe(fenced('if (a &lt; b &amp;&amp; c &gt; d) {}'));
  });

  it('keeps blank lines and indentation inside a fenced block', () => {
    const code = 'def f():\n\n    return 1';
    expect(convert(fenced(code, 'python'))).toBe(fenced(code));
  });

  it('accepts tilde fences and longer backtick fences', () => {
    expect(convert('~~~sql\nSELECT 1\n~~~')).toBe(fenced('SELECT 1'));
    expect(convert('````\n```inner```\n````')).toBe(fenced('```inner```'));
  });

  it('removes the indent of a fence nested in a list item', () => {
    expect(convert('- step\n  ```bash\n  npm test\n  ```')).toBe(`${BULLET} step\n${fenced('npm test')}`);
  });

  it('closes a fence the model left open', () => {
    expect(convert('```\nunclosed <x>')).toBe(fenced('unclosed &lt;x&gt;'));
  });

  it('converts text after a fenced block again', () => {
    expect(convert(`${fenced('**raw**')}\n**bold**`)).toBe(`${fenced('**raw**')}\n*bold*`);
  });

  it('treats triple backticks with text on one line as inline code, not a fence', () => {
    expect(convert('```inline **x**``` and **y**')).toBe('`inline **x**` and *y*');
  });
});

describe('convertMarkdownToMrkdwn — blocks', () => {
  it('turns every heading level into a bold line', () => {
    const headings = [1, 2, 3, 4, 5, 6].map((level) => `${'#'.repeat(level)} Level ${level}`).join('\n');
    expect(convert(headings)).toBe([1, 2, 3, 4, 5, 6].map((level) => `*Level ${level}*`).join('\n'));
  });

  it('does not double-bold a heading that is already bold and strips closing hashes', () => {
    expect(convert('## **Revenue** by _region_ ##')).toBe('*Revenue by _region_*');
  });

  it('does not treat a hashtag or a C# mention as a heading', () => {
    expect(convert('#general is about C#')).toBe('#general is about C#');
    expect(convert('# Learning C#')).toBe('*Learning C#*');
  });

  it('turns setext headings into bold lines', () => {
    expect(convert('Summary\n=======\nDetails\n-------\nbody')).toBe('*Summary*\n*Details*\nbody');
  });

  it('turns -, * and + bullets into bullet characters and keeps nesting', () => {
    expect(convert('- one\n  * two\n    + three\n- **four**')).toBe(
      `${BULLET} one\n  ${BULLET} two\n    ${BULLET} three\n${BULLET} *four*`,
    );
  });

  it('keeps numbered lists and converts their content', () => {
    expect(convert('1. **first**\n2) second\n   1. nested')).toBe('1. *first*\n2) second\n   1. nested');
  });

  it('renders task list boxes', () => {
    expect(convert('- [ ] todo\n- [x] done')).toBe(`${BULLET} ☐ todo\n${BULLET} ☑ done`);
  });

  it('keeps blockquotes, converts their content and flattens nesting Slack cannot show', () => {
    expect(convert('> **note** this\n>> deeper\n> - item\n>')).toBe(`> *note* this\n> deeper\n> ${BULLET} item\n>`);
  });

  it('turns horizontal rules of any style into a drawn line', () => {
    expect(convert('a\n\n---\n\n***\n\n_ _ _')).toBe(
      `a\n\n${HORIZONTAL_RULE}\n\n${HORIZONTAL_RULE}\n\n${HORIZONTAL_RULE}`,
    );
  });

  it('keeps paragraphs and blank lines, and drops trailing spaces and Windows line endings', () => {
    expect(convert('first line  \r\nsecond\r\n\r\nthird   \n\n')).toBe('first line\nsecond\n\nthird');
  });

  it('returns an empty string for empty input', () => {
    expect(convert('')).toBe('');
  });

  it('converts a typical analyst answer end to end', () => {
    const markdown = [
      '## Summary',
      '',
      'Activity in **#eng** rose *12%* — see [dashboard](https://ex.com/d?x=1&y=2).',
      '',
      '- Top poster: <@U123>',
      '- Busiest day: `2024-05-01`',
    ].join('\n');
    expect(convert(markdown)).toBe(
      [
        '*Summary*',
        '',
        'Activity in *#eng* rose _12%_ — see <https://ex.com/d?x=1&amp;y=2|dashboard>.',
        '',
        `${BULLET} Top poster: <@U123>`,
        `${BULLET} Busiest day: \`2024-05-01\``,
      ].join('\n'),
    );
  });
});

describe('convertMarkdownToMrkdwn — tables', () => {
  it('renders a pipe table as a code block with aligned columns', () => {
    const table = pipeTable(['Channel', 'Messages'], ['---', '---'], ['#eng', '120'], ['#random', '7']);
    expect(convert(table)).toBe(
      ['```', 'Channel | Messages', '--------+---------', '#eng    | 120', '#random | 7', '```'].join('\n'),
    );
  });

  it('honours right and centre alignment from the separator row', () => {
    const table = pipeTable(['Name', 'Qty', 'Mid'], [':--', '--:', ':-:'], ['a', '1', 'x'], ['bbbb', '100', 'yyy']);
    expect(convert(table)).toBe(
      ['```', 'Name | Qty | Mid', '-----+-----+----', 'a    |   1 |  x', 'bbbb | 100 | yyy', '```'].join('\n'),
    );
  });

  it('flattens cell formatting, keeps link targets and escapes for Slack after measuring', () => {
    const table = pipeTable(
      ['Item', 'Where'],
      ['---', '---'],
      ['**Q&A**', '[site](https://ex.com)'],
      ['`a<b`', '_soon_'],
    );
    expect(convert(table)).toBe(
      [
        '```',
        'Item | Where',
        `-----+-${'-'.repeat('site (https://ex.com)'.length)}`,
        'Q&amp;A  | site (https://ex.com)',
        'a&lt;b  | soon',
        '```',
      ].join('\n'),
    );
  });

  it('keeps escaped pipes and pipes inside code as part of the cell', () => {
    const table = ['| Expr | Means |', '| --- | --- |', '| `a|b` | a or b |', '| x \\| y | also |'].join('\n');
    expect(convert(table)).toBe(
      ['```', 'Expr  | Means', '------+-------', 'a|b   | a or b', 'x | y | also', '```'].join('\n'),
    );
  });

  it('accepts tables without outer pipes and pads short rows', () => {
    expect(convert('a | b\n--|--\n1 |\n2 | 3')).toBe(['```', 'a | b', '--+--', '1 |', '2 | 3', '```'].join('\n'));
  });

  it('keeps extra cells instead of dropping data', () => {
    expect(convert('| a |\n|---|\n| 1 | 2 |')).toBe(['```', 'a |', '--+--', '1 | 2', '```'].join('\n'));
  });

  it('counts emoji and wide characters as two columns', () => {
    expect(measureDisplayWidth('ab')).toBe(2);
    expect(measureDisplayWidth('👍🏽')).toBe(2);
    expect(measureDisplayWidth('日本')).toBe(4);
    expect(measureDisplayWidth('é')).toBe(1);
    const table = pipeTable(['k', 'v'], ['-', '-'], ['日本', '1'], ['ab', '2']);
    expect(convert(table)).toContain('日本 | 1\nab   | 2');
  });

  it('leaves prose containing pipes alone when no separator row follows', () => {
    expect(convert('use a | b to pipe\nnext line')).toBe('use a | b to pipe\nnext line');
  });

  it('requires the separator row to have as many cells as the header', () => {
    expect(convert('| a | b |\n|---|\nrest')).toBe('| a | b |\n|---|\nrest');
  });

  it('ends the table at a line without a pipe', () => {
    expect(convert('| a |\n|---|\n| 1 |\n**after**')).toBe(['```', 'a', '-', '1', '```', '*after*'].join('\n'));
  });

  it('ends the table at a blank line and converts what follows', () => {
    const table = pipeTable(['a'], ['---'], ['1']);
    expect(convert(`intro\n\n${table}\n\n**after**`)).toBe(
      ['intro', '', '```', 'a', '-', '1', '```', '', '*after*'].join('\n'),
    );
  });
});
