// Reads output captured from the real Xen 4.17 lab host (tests/fixtures/xen-4.17, see its README).
import { readFileSync } from 'node:fs';

export function lab(path: string): string {
  return readFileSync(new URL(`../../fixtures/xen-4.17/${path}`, import.meta.url), 'utf8');
}
