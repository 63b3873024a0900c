// Reads captured and hand-made fixtures from test/fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'latin1');
}

export const fixtureRoot = (name: string): string => join(FIXTURES, 'roots', name);
