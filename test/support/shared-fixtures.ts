/**
 * Slack's own payloads and schemas live outside the repository, in
 * ../shared/fixtures beside the checkout, and are read in place. A clone made
 * elsewhere (e.g. /tmp/x for a clean CI run) finds them through
 * SLACK_FIXTURES_DIR or the workplace's shared folder. Missing fixtures fail
 * loudly: a fidelity test must never pass by skipping.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CANDIDATES = [
  process.env.SLACK_FIXTURES_DIR,
  fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url)),
  '/work/shared/fixtures/',
].filter((candidate): candidate is string => Boolean(candidate));

function locateFixtures(): URL {
  const found = CANDIDATES.find((candidate) => existsSync(`${candidate.replace(/\/?$/, '/')}README.md`));
  if (!found) {
    throw new Error(`Slack fixtures not found; looked in ${CANDIDATES.join(', ')}. Set SLACK_FIXTURES_DIR.`);
  }
  return pathToFileURL(found.replace(/\/?$/, '/'));
}

/** The fixtures folder as a file URL ending in '/'. */
export const FIXTURES_DIR: URL = locateFixtures();

export function fixtureUrl(relativePath: string): URL {
  return new URL(relativePath, FIXTURES_DIR);
}

export function readFixtureJson<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(fixtureUrl(relativePath), 'utf8')) as T;
}
