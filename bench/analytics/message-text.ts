/**
 * What the bench workspace's people and bots write: a vocabulary of topics and
 * openers, work-item links of every kind classify-link.ts knows, and the
 * mentions, emoji and reactions people add. Every draw comes from the caller's
 * seeded Random, in a fixed order, so a seed replays the same text.
 */
import type { LinkKind } from '../../src/analytics/classify-link.ts';
import type { SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import type { Random } from '../../src/emulator/seeded-random.ts';

export const CHANNEL_NAMES = ['engineering', 'customer-support', 'general', 'random', 'incidents', 'deploys', 'product', 'design', 'sales', 'marketing'];
export const BOT_NAMES = ['deploybot', 'pagerduty', 'github', 'jira', 'standup', 'sentry'];
export const BOT_OPENERS = ['Deploy finished:', 'Alert firing:', 'New issue:', 'Standup reminder'];

const TOPICS = ['deploy', 'staging', 'release', 'build', 'pipeline', 'migration', 'schema', 'dashboard', 'alert', 'latency', 'customer',
  'ticket', 'invoice', 'onboarding', 'roadmap', 'sprint', 'review', 'config', 'feature flag', 'rollout', 'cache', 'queue', 'worker',
  'endpoint', 'token', 'retry', 'timeout', 'incident', 'postmortem', 'metrics', 'API', 'frontend', 'backend', 'iOS app', 'docs', 'spec',
  'pricing page', 'contract', 'renewal', 'demo', 'standup', 'budget', 'interview', 'SSO', 'webhook', 'CSV export', 'search', 'billing'];
const FILLER = ['the', 'a', 'to', 'for', 'on', 'in', 'with', 'and', 'is', 'was', 'we', 'it', 'this', 'that', 'after', 'before', 'now',
  'still', 'again', 'today', 'tomorrow', 'maybe', 'just', 'also', 'our', 'new', 'old', 'broken', 'fixed', 'slow', 'every'];
const QUESTION_OPENERS = ['Does anyone know how to fix', 'How do I update', 'Is there a way to skip', 'Can someone help with', 'Any idea why',
  'What is the best way to test', 'Who owns', 'hey team, has anyone seen', 'Quick question: where do we configure', 'Why does'];
const STATEMENT_OPENERS = ['FYI', 'Heads up:', 'Deployed', 'PSA', 'Shipped', 'Reminder:', 'Notes from', 'Update on', 'Working on', 'Merged'];
const REPLY_TEXTS = ['Thanks!', 'thanks, that worked', '+1', 'Looking into it now', 'same here', 'on it', 'nice :tada:', 'Fixed, thanks'];
const REACTIONS = ['+1', 'eyes', 'white_check_mark', 'tada', 'pray', 'raised_hands', 'joy', 'heart', '100', 'rocket', 'thinking_face', 'fire'];
const EMOJI = [':tada:', ':eyes:', ':sweat_smile:', ':rocket:', '🎉', '👍', '🚀', '🙏'];
const REPOS = ['api', 'web', 'mobile', 'infra', 'pulse', 'billing'];
/** Share of links per kind, roughly what an engineering-heavy workspace posts. */
const LINK_MIX: [LinkKind, number][] = [['github_pr', 0.25], ['github_issue', 0.08], ['gitlab_mr', 0.03], ['jira', 0.15], ['linear', 0.05],
  ['google_docs', 0.12], ['notion', 0.08], ['confluence', 0.05], ['other', 0.19]];

export function phrase(random: Random, words: number): string {
  return Array.from({ length: words }, () => (random.chance(0.35) ? random.pick(TOPICS) : random.pick(FILLER))).join(' ');
}

function linkOf(random: Random, kind: LinkKind): string {
  const n = random.int(100, 9_999);
  const repo = random.pick(REPOS);
  const url = {
    github_pr: `https://github.com/acme/${repo}/pull/${n}`,
    github_issue: `https://github.com/acme/${repo}/issues/${n}`,
    gitlab_mr: `https://gitlab.com/acme/${repo}/-/merge_requests/${n}`,
    jira: `https://acme.atlassian.net/browse/ENG-${n}`,
    linear: `https://linear.app/acme/issue/ENG-${n}/fix-${repo}-timeout`,
    google_docs: `https://docs.google.com/document/d/1${n}xYzAbCdEf${n}/edit?usp=sharing`,
    notion: `https://www.notion.so/acme/Runbook-${repo}-${n.toString(16)}a1b2c3d4e5f6`,
    confluence: `https://acme.atlassian.net/wiki/spaces/ENG/pages/${n}/Runbook`,
    other: `https://status.example.com/incidents/${n}?utm_source=slack&amp;ref=${repo}`,
  }[kind];
  return random.chance(0.4) ? `<${url}|${kind === 'github_pr' ? `${repo}#${n}` : 'link'}>` : `<${url}>`;
}

function drawLinkKind(random: Random): LinkKind {
  let target = random.next();
  for (const [kind, share] of LINK_MIX) if ((target -= share) <= 0) return kind;
  return 'other';
}

/** One link, its kind drawn from LINK_MIX. */
export const drawLink = (random: Random): string => linkOf(random, drawLinkKind(random));

/** Mentions, links, emoji and the odd code span around a person's sentence. */
function decorate(random: Random, text: string, people: readonly string[], linkChance: number): string {
  const parts = [text];
  if (random.chance(0.15)) {
    const mentions = Array.from({ length: random.chance(0.8) ? 1 : random.int(2, 3) }, () => `<@${random.pick(people)}>`);
    if (random.chance(0.5)) parts.unshift(mentions.join(' ')); else parts.push(mentions.join(' '));
  }
  if (random.chance(linkChance)) for (let index = random.chance(0.85) ? 1 : random.int(2, 3); index > 0; index -= 1) parts.push(drawLink(random));
  if (random.chance(0.12)) parts.push(random.pick(EMOJI));
  if (random.chance(0.03)) parts.push('`npm run build`');
  if (random.chance(0.02)) parts.push('see <#C0GENERAL1|general>');
  if (random.chance(0.05)) parts.push(`\n${phrase(random, random.int(30, 90))}.`);
  return parts.join(' ');
}

export function personText(random: Random, kind: 'question' | 'statement' | 'reply', people: readonly string[]): string {
  const body = phrase(random, random.int(3, 18));
  switch (kind) {
    case 'question': {
      // The heuristic also catches help phrases without a question mark; a third of askers leave it out.
      return decorate(random, `${random.pick(QUESTION_OPENERS)} ${body}${random.chance(0.7) ? '?' : ''}`, people, 0.15);
    }
    case 'statement':
      return decorate(random, `${random.pick(STATEMENT_OPENERS)} ${body}.`, people, 0.12);
    case 'reply':
      if (random.chance(0.3)) return random.pick(REPLY_TEXTS);
      return decorate(random, random.chance(0.08) ? `did you try restarting the ${random.pick(TOPICS)}?` : `I think ${body}.`, people, 0.1);
  }
}

export function reactionsOf(random: Random, author: string | undefined, drawPerson: () => string): SlackMessageLike['reactions'] {
  if (!random.chance(0.25)) return undefined;
  return Array.from({ length: random.chance(0.7) ? 1 : random.int(2, 3) }, (_, index) => {
    const users = new Set<string>();
    for (let draw = random.chance(0.6) ? 1 : random.int(2, 8); draw > 0; draw -= 1) users.add(drawPerson());
    if (author && random.chance(0.05)) users.add(author);
    return { name: REACTIONS[(random.int(0, REACTIONS.length - 1) + index) % REACTIONS.length] as string, users: [...users], count: users.size };
  });
}
