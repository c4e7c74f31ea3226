/** The question heuristic decides which thread roots can earn help replies. */
import { describe, expect, it } from 'vitest';
import { isQuestion } from '../../src/analytics/question-heuristic.ts';

describe('isQuestion', () => {
  it.each([
    'Is the deploy done?',
    'deploy is done?',
    'Deployed to staging. Can you check it? Thanks!',
    'why does this fail?!',
    'is prod down?? :fire:',
    'any luck with this? 🙏',
    'where do I find the runbook? `make run`',
    '"is this right?"',
    '(does this work?)',
    'ready for review? <https://github.com/a/b/pull/1|#1>',
    'deploy is done  ?',
    'is it done\t?',
    'did it pass `npm test` ?',
    'it broke :fire: ?',
  ])('counts text with a sentence ending in "?" as a question: %s', (text) => {
    expect(isQuestion(text)).toBe(true);
  });

  it.each([
    'How do I run the migrations',
    'how can we speed up CI',
    'Does anyone know the staging password',
    'can someone review my PR <https://github.com/a/b/pull/1>',
    'Any idea why the build is red',
    'Is there a runbook for this',
    'Is it possible to export the dashboard',
    "What's the status of the release",
    'Why is the queue growing',
    'Who owns the billing service',
    'hey team, does anybody have the VPN config',
    'Hi all - quick question: where are the dashboards',
    '<@U012ALICE> could you take a look',
    'WHAT DOES THIS ERROR MEAN',
    'good  morning, can you check',
    'What’re the odds',
    "who's around",
    'whose is this',
    'Any way to skip CI',
    ':wave: how do I deploy',
    '👍 can you check',
    '&gt; quoted\nwhy is it red',
  ])('counts text opening with a help phrase or interrogative + auxiliary as a question: %s', (text) => {
    expect(isQuestion(text)).toBe(true);
  });

  it.each([
    'Deployed v2.3 to staging',
    'FYI: the release notes are in the doc',
    'FYI: what we shipped today is in #releases',
    'What a release!',
    'Why not.',
    'How to deploy: see the runbook',
    'see <https://example.com/search?q=why&page=2>',
    'see https://example.com/search?q=1',
    '```\nwhy does this print?\n```\nfixed it',
    'use `a ?? b` for defaults',
    '&gt; can someone help?\nanswered above',
    'The "?" operator unwraps results',
    'thanks :question:',
    '',
    'Showing how the sausage is made',
    'hello\n> why is it red?',
    'Can yourself check',
    'who ows this',
    'whatever is fine',
    'R&D update',
    'a<b and c',
    'x >y',
    'ok\n?',
  ])('does not count statements, URLs, code or quotes as questions: %s', (text) => {
    expect(isQuestion(text)).toBe(false);
  });
});
