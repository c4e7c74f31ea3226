/**
 * What the analytics test world's people and bots write: questions (some
 * without a question mark, as people write them), statements, replies,
 * reactions, and work-item links of every kind classify-link.ts knows.
 */
import type { Random } from '../../src/emulator/seeded-random.ts';

export const QUESTIONS = [
  'How do I rotate the staging database credentials?',
  'Why is the deploy pipeline stuck on the migrate step?',
  'Is there a way to rerun only the failed tests?',
  'Can someone review my change to the rate limiter?',
  "What's the right place to put feature flags?",
  'Where are the on-call runbooks these days?',
  'does anyone know why the nightly build is red',
  'Does anyone know who owns the billing service',
  'hi team, does anyone know how to get access to the prod logs',
  'quick question: which region does the search cluster run in?',
];
export const STATEMENTS = [
  'Deployed the api to production',
  'FYI: the staging cluster will be down for maintenance tonight',
  'Shipped the new onboarding flow :rocket:',
  "Writing up the postmortem for yesterday's incident",
  'Reminder: retro at 3pm',
  "Heads up, I'm refactoring the auth middleware this week",
  'Merged the dependency bumps',
  'Notes from the planning session',
];
export const REPLIES = [
  'I had the same problem last week, try clearing the cache',
  "It's in the wiki under Runbooks",
  'Looking into it now',
  '+1, seeing this too',
  'Pushed a fix',
  'Can you share the error?',
  'Done :white_check_mark:',
  'Nice work',
];
export const AUTHOR_REPLIES = ['Thanks all!', 'Update: fixed by restarting the worker', 'Still failing for me', 'Thanks, that worked!'];
export const EMOJI = ['thumbsup', 'eyes', 'white_check_mark', 'tada', 'pray', 'heart', 'joy', 'rocket'];
export const REPOS = ['api', 'web', 'billing', 'infra'];

/** A work-item link of every kind classify-link.ts knows, in Slack's `<url>` / `<url|label>` markup. */
export function randomLink(random: Random): string {
  const n = random.int(1, 4_000);
  const repo = random.pick(REPOS);
  const url = random.pick([
    `https://github.com/acme/${repo}/pull/${n}`,
    `https://github.com/acme/${repo}/issues/${n}`,
    `https://gitlab.com/acme/${repo}/-/merge_requests/${n}`,
    `https://acme.atlassian.net/browse/ABC-${n % 300}`,
    `https://linear.app/acme/issue/ENG-${n}/flaky-login-test`,
    `https://docs.google.com/document/d/1x${n}Qa/edit`,
    `https://www.notion.so/acme/Design-notes-${n.toString(16)}`,
    `https://acme.atlassian.net/wiki/spaces/ENG/pages/${n}/Runbook`,
    `https://status.acme.io/incidents/${n}`,
    `https://grafana.acme.io/d/api-latency?from=now-${n % 24}h`,
  ]);
  return random.chance(0.5) ? `<${url}>` : `<${url}|${repo} #${n}>`;
}
