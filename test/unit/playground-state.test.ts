import { describe, expect, it } from 'vitest';
import { mentionsToSlack } from '../../src/playground/playground-state.ts';

const people = [
  { id: 'U01ANA', name: 'ana' },
  { id: 'U02ANABEL', name: 'anabel' },
  { id: 'U03BOB', name: 'bob' },
];
const bot = { id: 'U0PULSE', name: 'Pulse' };

describe('mentionsToSlack (what the playground composer sends)', () => {
  it.each([
    ['@Pulse hi', '<@U0PULSE> hi'],
    ['hi @pulse!', 'hi <@U0PULSE>!'],
    ['@anabel and @ana', '<@U02ANABEL> and <@U01ANA>'],
    ['(@bob)', '(<@U03BOB>)'],
    ['@bob, @BOB.', '<@U03BOB>, <@U03BOB>.'],
  ])('%s → %s', (typed, sent) => {
    expect(mentionsToSlack(typed, people, bot)).toBe(sent);
  });

  it.each([
    ['mail bob@bob.dev', 'an email address'],
    ['@bobby is not bob', 'a longer word starting with a handle'],
    ['@bob.smith', 'a handle followed by more of a name'],
    ['@carol', 'someone who is not in the workspace'],
    ['<@U03BOB> already', 'a mention already in Slack form'],
  ])('leaves %s alone (%s)', (typed) => {
    expect(mentionsToSlack(typed, people, bot)).toBe(typed);
  });
});
