// The real xentop captures (tests/fixtures/xen-4.17/xentop-captures.md), parsed as a stream.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createXentopParser, type XentopFrame } from '../../../common/xen/xentop';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/xen-4.17');
export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** Parse a capture as it would arrive over SSH: in chunks that cut lines anywhere. */
export function framesOf(text: string, chunk = 777): XentopFrame[] {
  const parser = createXentopParser();
  const frames: XentopFrame[] = [];
  for (let i = 0; i < text.length; i += chunk) frames.push(...parser.push(text.slice(i, i + chunk)));
  frames.push(...parser.flush());
  return frames;
}
