/** Links in Slack text are found and classified by the work item they point at. */
import { describe, expect, it } from 'vitest';
import { classifyLink, extractLinks } from '../../src/analytics/classify-link.ts';

describe('classifyLink', () => {
  it.each([
    ['https://github.com/acme/api/pull/42', 'github_pr'],
    ['https://github.com/acme/api/pull/42/files?w=1#diff-1', 'github_pr'],
    ['https://github.mycorp.com/platform/api/pull/12', 'github_pr'],
    ['https://ghe.corp.example/platform/api/pull/7', 'github_pr'],
    ['https://acme.ghe.com/platform/api/pull/3', 'github_pr'],
    ['https://github.com/acme/api/issues/9', 'github_issue'],
    ['https://github.mycorp.com/platform/api/issues/9#issuecomment-1', 'github_issue'],
  ])('classifies GitHub pull requests and issues, on enterprise hosts too: %s', (url, kind) => {
    expect(classifyLink(url)).toBe(kind);
  });

  it('leaves other GitHub pages, and /pull/ paths on unknown hosts, as other', () => {
    expect(classifyLink('https://github.com/acme/api')).toBe('other');
    expect(classifyLink('https://github.com/acme/api/pulls')).toBe('other');
    expect(classifyLink('https://git.example.org/acme/api/pull/4')).toBe('other');
  });

  it.each([
    ['https://gitlab.com/acme/api/-/merge_requests/3', 'gitlab_mr'],
    ['https://gitlab.example.com/group/sub/api/-/merge_requests/3/diffs', 'gitlab_mr'],
    ['https://code.corp.example/group/api/-/merge_requests/15', 'gitlab_mr'],
    ['https://gitlab.example.com/group/api/merge_requests/8', 'gitlab_mr'],
  ])('classifies GitLab merge requests on any host with the /-/ separator: %s', (url, kind) => {
    expect(classifyLink(url)).toBe(kind);
  });

  it.each([
    ['https://acme.atlassian.net/browse/ABC-123', 'jira'],
    ['https://acme.atlassian.net/browse/ABC-123?focusedCommentId=1', 'jira'],
    ['https://acme.atlassian.net/jira/software/projects/ABC/boards/1?selectedIssue=ABC-9', 'jira'],
    ['https://issues.corp.example/browse/KEY-1', 'jira'],
    ['https://tools.corp.example/jira/browse/OPS_2-77', 'jira'],
    ['https://jira.corp.example/secure/Dashboard.jspa', 'jira'],
  ])('classifies Jira on Atlassian cloud and self-hosted: %s', (url, kind) => {
    expect(classifyLink(url)).toBe(kind);
  });

  it('does not take a lower-case /browse/ path for a Jira issue key', () => {
    expect(classifyLink('https://shop.example.com/browse/shoes-42')).toBe('other');
  });

  it.each([
    ['https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Runbook', 'confluence'],
    ['https://intranet.corp.example/confluence/display/ENG/Runbook', 'confluence'],
    ['https://confluence.corp.example/pages/viewpage.action?pageId=1', 'confluence'],
  ])('classifies Confluence pages: %s', (url, kind) => {
    expect(classifyLink(url)).toBe(kind);
  });

  it.each([
    ['https://linear.app/acme/issue/ENG-42/fix-login', 'linear'],
    ['https://docs.google.com/document/d/1abc/edit', 'google_docs'],
    ['https://docs.google.com/spreadsheets/d/1abc/edit#gid=0', 'google_docs'],
    ['https://docs.google.com/presentation/d/1abc/edit?usp=sharing', 'google_docs'],
    ['https://www.notion.so/acme/Roadmap-0123456789abcdef', 'notion'],
    ['https://notion.so/Roadmap-0123', 'notion'],
    ['https://acme.notion.site/Handbook-0123', 'notion'],
  ])('classifies Linear, Google Docs and Notion: %s', (url, kind) => {
    expect(classifyLink(url)).toBe(kind);
  });

  it('leaves Google Drive files, lookalike hosts and non-URLs as other', () => {
    expect(classifyLink('https://drive.google.com/file/d/1abc/view')).toBe('other');
    expect(classifyLink('https://notion.so.evil.example/page')).toBe('other');
    expect(classifyLink('https://example.com/?next=https://github.com/a/b/pull/1')).toBe('other');
    expect(classifyLink('mailto:someone@example.com')).toBe('other');
    expect(classifyLink('not a url')).toBe('other');
  });

  it("accepts Slack's <url|label> and <url> forms", () => {
    expect(classifyLink('<https://github.com/acme/api/pull/42|#42 Fix login>')).toBe('github_pr');
    expect(classifyLink('<https://acme.atlassian.net/browse/ABC-1>')).toBe('jira');
  });
});

describe('extractLinks', () => {
  it("takes the URL, not the label, from Slack's <url|label> and <url> markup", () => {
    expect(extractLinks('see <https://github.com/a/b/pull/1|the PR> and <https://linear.app/a/issue/X-1>')).toEqual([
      'https://github.com/a/b/pull/1',
      'https://linear.app/a/issue/X-1',
    ]);
  });

  it('finds bare URLs and drops trailing sentence punctuation', () => {
    expect(extractLinks('Merged https://github.com/a/b/pull/1. Also https://x.example/a?b=1&c=2, ok?')).toEqual([
      'https://github.com/a/b/pull/1',
      'https://x.example/a?b=1&c=2',
    ]);
  });

  it('drops a closing parenthesis the URL did not open, and keeps one it did', () => {
    expect(extractLinks('(see https://acme.atlassian.net/browse/ABC-123)')).toEqual(['https://acme.atlassian.net/browse/ABC-123']);
    expect(extractLinks('https://en.wikipedia.org/wiki/Go_(game)')).toEqual(['https://en.wikipedia.org/wiki/Go_(game)']);
  });

  it('decodes &amp; in query strings the way Slack escapes them', () => {
    expect(extractLinks('<https://x.example/a?b=1&amp;c=2>')).toEqual(['https://x.example/a?b=1&c=2']);
    expect(extractLinks('<https://x.example/a?b=1&amp;c=2|R&amp;D>')).toEqual(['https://x.example/a?b=1&c=2']);
  });

  it('keeps an & that starts no entity', () => {
    expect(extractLinks('R&D https://x.example/a?b=1&c=2')).toEqual(['https://x.example/a?b=1&c=2']);
  });

  it('finds nothing without an http(s) scheme', () => {
    expect(extractLinks('example.com/a?b and ftp://x.example/a and <ftp://x.example/b>')).toEqual([]);
  });

  it('lists a URL repeated in one message once', () => {
    expect(extractLinks('<https://x.example/a|https://x.example/a> and https://x.example/a')).toEqual(['https://x.example/a']);
  });

  it('ignores mentions, channels, special mentions and mailto links', () => {
    expect(extractLinks('<@U123> <#C123|general> <!here> <mailto:a@b.example|a@b.example>')).toEqual([]);
  });
});
