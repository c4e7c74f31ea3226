import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('every setting is documented', () => {
  it('in .env.example, as an assignment', () => {
    const example = read('.env.example');
    expect(CONFIG_VARIABLES.filter((name) => !new RegExp(`^${name}=`, 'm').test(example))).toEqual([]);
  });

  it('in the README configuration table, as a row', () => {
    const readme = read('README.md');
    expect(CONFIG_VARIABLES.filter((name) => !readme.includes(`| \`${name}\` |`))).toEqual([]);
  });

  it('and nothing is documented that Pulse does not read', () => {
    const documented = [...read('.env.example').matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1]);
    expect(documented.filter((name) => !CONFIG_VARIABLES.includes(name as string))).toEqual([]);
  });
});
