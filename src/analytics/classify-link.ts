/**
 * Links in Slack message text → the kind of work item they point at (pure).
 *
 * Rules, checked in this order (host names compared lower-case):
 * - github_pr / github_issue: path `/<owner>/<repo>/pull/<n>` or
 *   `/<owner>/<repo>/issues/<n>` on github.com or a GitHub Enterprise host —
 *   one whose name has a label `github` or `ghe` (github.mycorp.com,
 *   ghe.corp.example) or that ends in `.ghe.com` (GitHub Enterprise Cloud).
 * - gitlab_mr: path containing `/-/merge_requests/<n>` on any host (the `/-/`
 *   separator is GitLab's own), or `…/merge_requests/<n>` on a host with a
 *   `gitlab` label (older GitLab URLs had no `/-/`).
 * - confluence: `*.atlassian.net/wiki/…`, any path starting `/confluence/`
 *   (self-hosted under a context path), or any host with a `confluence` label.
 * - jira: `/browse/<KEY>-<n>` on any host (self-hosted Jira), any
 *   `*.atlassian.net` path starting `/browse/` or `/jira/`, or any host with a
 *   `jira` label.
 * - linear: linear.app and its subdomains.
 * - google_docs: docs.google.com `/document/`, `/spreadsheets/`, `/presentation/`.
 * - notion: notion.so, *.notion.so, *.notion.site.
 * - other: anything else, including text that is not an http(s) URL.
 * Query strings and fragments never change the kind.
 */

export const LINK_KINDS = [
  'github_pr',
  'github_issue',
  'gitlab_mr',
  'jira',
  'linear',
  'google_docs',
  'notion',
  'confluence',
  'other',
] as const;

export type LinkKind = (typeof LINK_KINDS)[number];

const JIRA_ISSUE_KEY = /^\/(?:[^/]+\/)*browse\/[A-Z][A-Z0-9_]+-\d+\/?$/;
const GITHUB_ITEM = /^\/[^/]+\/[^/]+\/(pull|issues)\/\d+(?:\/|$)/;

export function classifyLink(url: string): LinkKind {
  let parsed: URL;
  try {
    parsed = new URL(unwrapSlackLink(url));
  } catch {
    return 'other';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'other';
  const host = parsed.hostname.toLowerCase();
  const labels = host.split('.');
  const path = parsed.pathname;

  const github = GITHUB_ITEM.exec(path);
  if (github && isGitHubHost(host, labels)) return github[1] === 'pull' ? 'github_pr' : 'github_issue';

  if (/\/-\/merge_requests\/\d+(?:\/|$)/.test(path)) return 'gitlab_mr';
  if (labels.includes('gitlab') && /\/merge_requests\/\d+(?:\/|$)/.test(path)) return 'gitlab_mr';

  const atlassianCloud = host.endsWith('.atlassian.net');
  if ((atlassianCloud && path.startsWith('/wiki')) || path.startsWith('/confluence/') || labels.includes('confluence')) {
    return 'confluence';
  }
  if (JIRA_ISSUE_KEY.test(path)) return 'jira';
  if (atlassianCloud && (path.startsWith('/browse/') || path.startsWith('/jira/'))) return 'jira';
  if (labels.includes('jira')) return 'jira';

  if (host === 'linear.app' || host.endsWith('.linear.app')) return 'linear';
  if (host === 'docs.google.com' && /^\/(document|spreadsheets|presentation)\//.test(path)) return 'google_docs';
  if (host === 'notion.so' || host.endsWith('.notion.so') || host.endsWith('.notion.site')) return 'notion';
  return 'other';
}

function isGitHubHost(host: string, labels: string[]): boolean {
  return host === 'github.com' || labels.includes('github') || labels.includes('ghe') || host.endsWith('.ghe.com');
}

/** `<url|label>` or `<url>` → url; anything else unchanged. */
function unwrapSlackLink(text: string): string {
  const match = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(text.trim());
  return decodeSlackEntities(match ? (match[1] as string) : text.trim());
}

function decodeSlackEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const SLACK_LINK = /<((?:https?):\/\/[^|>\s]+)(?:\|[^>]*)?>/gi;
const BARE_URL = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Sentence punctuation a writer puts after a URL; never part of the link. */
const TRAILING_PUNCTUATION = /[.,;:!?'"\]}*_~]+$/;

/**
 * Every distinct http(s) URL in Slack message text, in order of first
 * appearance: Slack's `<url>` / `<url|label>` (the URL, not the label) and
 * bare URLs in the rest of the text. Trailing sentence punctuation is dropped
 * from bare URLs, and a closing parenthesis too unless the URL opened one
 * (so `(see https://x.y/a_(b))` keeps `a_(b)`). `&amp;` is decoded.
 */
export function extractLinks(text: string): string[] {
  const found: string[] = [];
  // Both forms need a scheme's `://`; most messages have no link at all.
  if (!text.includes('://')) return found;
  const rest = text.replace(SLACK_LINK, (_match, url: string) => {
    addOnce(found, decodeSlackEntities(url));
    return ' ';
  });
  for (const url of rest.match(BARE_URL) ?? []) addOnce(found, trimBareUrl(decodeSlackEntities(url)));
  return found;
}

/** A message usually holds one or two links, so a linear search beats building a Set. */
function addOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

function trimBareUrl(url: string): string {
  let trimmed = url;
  for (;;) {
    const next = trimmed.replace(TRAILING_PUNCTUATION, '');
    const unbalancedParen = next.endsWith(')') && count(next, '(') < count(next, ')');
    const result = unbalancedParen ? next.slice(0, -1) : next;
    if (result === trimmed) return trimmed;
    trimmed = result;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
