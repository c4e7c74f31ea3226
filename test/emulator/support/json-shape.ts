/**
 * Compares the shape of the emulator's JSON with Slack's: key paths the
 * emulator emits that a sample lacks, and JSON types of chosen paths.
 * Paths use dots for keys and `[]` for "every element of an array", e.g.
 * `messages[].bot_profile.icons`.
 */
import { readFileSync } from 'node:fs';
import { FIXTURES_DIR as FIXTURES } from '../../support/shared-fixtures.ts';

export function readFixture(relativePath: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(relativePath, FIXTURES), 'utf8')) as Record<string, unknown>;
}

export function fixtureExists(relativePath: string): boolean {
  try {
    readFileSync(new URL(relativePath, FIXTURES));
    return true;
  } catch {
    return false;
  }
}

export type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every key path in `actual` that `sample` does not have. Each element of an
 * array in `actual` is compared with the sample array's first element (the
 * samples merge every field into it). Paths in `skip` (exact, or a prefix
 * followed by "." / "[]") are not descended into: for polymorphic or
 * dynamic-keyed values such as Block Kit blocks or `state.values`.
 */
export function keysMissingFromSample(actual: unknown, sample: unknown, skip: readonly string[] = [], path = ''): string[] {
  if (skip.includes(path)) return [];
  if (Array.isArray(actual)) {
    const model = Array.isArray(sample) ? sample[0] : undefined;
    const elementPath = `${path}[]`;
    if (skip.includes(elementPath)) return [];
    const missing = new Set<string>();
    for (const element of actual) {
      if (model === undefined && (isRecord(element) || Array.isArray(element))) missing.add(elementPath);
      else for (const key of keysMissingFromSample(element, model, skip, elementPath)) missing.add(key);
    }
    return [...missing];
  }
  if (!isRecord(actual)) return [];
  const missing: string[] = [];
  for (const [key, value] of Object.entries(actual)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    if (skip.includes(childPath)) continue;
    if (!isRecord(sample) || !(key in sample)) {
      missing.push(childPath);
      continue;
    }
    missing.push(...keysMissingFromSample(value, sample[key], skip, childPath));
  }
  return missing;
}

/** The value at a path; `[]` steps into an array's first element. */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const step of path.split('.')) {
    const isArrayStep = step.endsWith('[]');
    const key = isArrayStep ? step.slice(0, -2) : step;
    if (key !== '') current = isRecord(current) ? current[key] : undefined;
    if (isArrayStep) current = Array.isArray(current) ? current[0] : undefined;
  }
  return current;
}

/** For each path a client reads: the emulator's type differs from the sample's, or the path is absent. */
export function typeMismatches(actual: unknown, sample: unknown, paths: readonly string[]): string[] {
  const problems: string[] = [];
  for (const path of paths) {
    const value = valueAt(actual, path);
    const expected = jsonType(valueAt(sample, path));
    if (value === undefined) problems.push(`${path}: missing (Slack sends ${expected})`);
    else if (jsonType(value) !== expected) problems.push(`${path}: ${jsonType(value)} where Slack sends ${expected}`);
  }
  return problems;
}

/** Key paths of two values that differ in either direction (for comparing with real captures). */
export function keySetDifference(actual: unknown, capture: unknown, skip: readonly string[] = []) {
  return {
    notInCapture: keysMissingFromSample(actual, capture, skip),
    notEmitted: keysMissingFromSample(capture, actual, skip),
  };
}

/**
 * The sample with fields Slack really sends but the sample lacks merged in
 * (objects deep-merged, arrays by their first element, anything else replaced); each addition cites its evidence where it is declared.
 */
export function withAdditions(sample: unknown, additions: Record<string, unknown> | undefined): unknown {
  if (!additions) return sample;
  const merged: Record<string, unknown> = isRecord(sample) ? { ...sample } : {};
  for (const [key, value] of Object.entries(additions)) {
    const existing = merged[key];
    if (isRecord(value) && isRecord(existing)) merged[key] = withAdditions(existing, value);
    else if (Array.isArray(value) && isRecord(value[0]) && Array.isArray(existing)) merged[key] = [withAdditions(existing[0], value[0])];
    else merged[key] = value;
  }
  return merged;
}
