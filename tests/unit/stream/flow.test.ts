// The acknowledgement protocol of console streams: the sender's books and the receiver's
// acknowledgements, the control messages, and main's ConsoleStream driving a real Node stream
// (a PassThrough standing in for the SSH channel's reading side: pause/resume are real).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  ACK_EVERY_BYTES,
  FlowReceiver,
  FlowSender,
  HIGH_WATERMARK_BYTES,
  LOW_WATERMARK_BYTES,
  parseToMain,
  parseToRenderer,
  streamIdFromPath,
  streamPath,
  type BeginMessage,
  type EndMessage,
} from '../../../common/stream/index';
import { ConsoleStream } from '../../../main/services/consoles-stream';

describe('FlowSender', () => {
  test('pauses once past the high watermark, resumes below the low one', () => {
    const s = new FlowSender();
    assert.equal(s.sentBytes(HIGH_WATERMARK_BYTES), false, 'at the watermark: not yet');
    assert.equal(s.sentBytes(1), true, 'past it: pause');
    assert.equal(s.sentBytes(5000), false, 'already paused: said once');
    assert.equal(s.isPaused, true);
    assert.equal(s.acknowledged(50_000), false, 'still far behind');
    assert.equal(s.acknowledged(HIGH_WATERMARK_BYTES + 5001 - LOW_WATERMARK_BYTES), false, 'exactly at the low watermark: not yet');
    assert.equal(s.acknowledged(HIGH_WATERMARK_BYTES + 5001 - LOW_WATERMARK_BYTES + 1), true, 'below it: resume');
    assert.equal(s.isPaused, false);
  });

  test('ignores stale, repeated and impossible acknowledgements', () => {
    const s = new FlowSender();
    s.sentBytes(200_000);
    assert.equal(s.acknowledged(150_000), false);
    assert.equal(s.unacknowledged, 50_000);
    s.acknowledged(100_000); // behind an earlier one
    assert.equal(s.unacknowledged, 50_000);
    s.acknowledged(300_000); // more than was ever sent
    assert.equal(s.unacknowledged, 50_000);
    s.acknowledged(Number.NaN);
    s.acknowledged(1.5);
    assert.equal(s.unacknowledged, 50_000);
  });

  test('a receiver that goes away releases a paused source', () => {
    const s = new FlowSender();
    s.sentBytes(HIGH_WATERMARK_BYTES + 1);
    assert.equal(s.newReceiver(), true);
    assert.equal(s.unacknowledged, 0);
    assert.equal(s.sent, 0, 'the new receiver counts from zero');
    assert.equal(s.newReceiver(), false);
  });

  test('refuses limits that could never resume', () => {
    assert.throws(() => new FlowSender({ high: 10, low: 10 }), RangeError);
  });
});

describe('FlowReceiver', () => {
  test('acknowledges cumulatively every ACK_EVERY_BYTES, and flushes the rest', () => {
    const r = new FlowReceiver();
    assert.equal(r.consumedBytes(ACK_EVERY_BYTES - 1), null);
    assert.equal(r.consumedBytes(1), ACK_EVERY_BYTES);
    assert.equal(r.consumedBytes(100), null);
    assert.equal(r.flush(), ACK_EVERY_BYTES + 100);
    assert.equal(r.flush(), null);
  });

  test('a sender and a receiver that follow the protocol never exceed the watermark by more than a chunk', () => {
    const s = new FlowSender();
    const r = new FlowReceiver();
    let paused = false;
    let maxUnacked = 0;
    const chunk = 16_384;
    const inFlight: number[] = [];
    for (let step = 0; step < 10_000; step++) {
      if (!paused) {
        inFlight.push(chunk);
        if (s.sentBytes(chunk)) paused = true;
      }
      maxUnacked = Math.max(maxUnacked, s.unacknowledged);
      // The receiver consumes one chunk every other step: slower than the source.
      if (step % 2 === 0 && inFlight.length) {
        const ack = r.consumedBytes(inFlight.shift()!);
        if (ack !== null && s.acknowledged(ack)) paused = false;
      }
      if (!inFlight.length) {
        const rest = r.flush();
        if (rest !== null && s.acknowledged(rest)) paused = false;
      }
    }
    assert.ok(maxUnacked <= HIGH_WATERMARK_BYTES + chunk, `max unacknowledged ${maxUnacked}`);
    assert.ok(s.sent > 50 * chunk, 'data kept flowing');
  });
});

describe('stream messages', () => {
  test('control messages are checked', () => {
    assert.deepEqual(parseToMain('{"t":"ack","bytes":5000}'), { t: 'ack', bytes: 5000 });
    assert.equal(parseToMain('{"t":"ack","bytes":-1}'), null);
    assert.equal(parseToMain('{"t":"ack","bytes":"5"}'), null);
    assert.equal(parseToMain('not json'), null);
    assert.equal(parseToMain(`{"t":"ack","bytes":1,"pad":"${'x'.repeat(5000)}"}`), null);
    assert.deepEqual(parseToRenderer('{"t":"begin","generation":2,"vncPassword":"pw"}'), { t: 'begin', generation: 2, vncPassword: 'pw' });
    assert.deepEqual(parseToRenderer('{"t":"begin","generation":1}'), { t: 'begin', generation: 1 });
    assert.deepEqual(parseToRenderer('{"t":"end","generation":1,"reason":"ended"}'), { t: 'end', generation: 1, reason: 'ended' });
    assert.equal(parseToRenderer('{"t":"end","generation":1}'), null);
  });

  test('stream paths round-trip and reject anything else', () => {
    assert.equal(streamIdFromPath(streamPath('abcDEF_-12345678')), 'abcDEF_-12345678');
    assert.equal(streamIdFromPath('/stream/../rpc'), null);
    assert.equal(streamIdFromPath('/stream/short'), null);
    assert.equal(streamIdFromPath('/rpc'), null);
  });
});

class Recorder {
  bytes = 0;
  controls: Array<BeginMessage | EndMessage> = [];
  closed = false;
  sendBytes(data: Uint8Array) {
    this.bytes += data.length;
  }
  sendControl(message: BeginMessage | EndMessage) {
    this.controls.push(message);
  }
  close() {
    this.closed = true;
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ConsoleStream', () => {
  test('pauses a real readable stream at the watermark and resumes it on acknowledgement', async () => {
    const source = new PassThrough({ highWaterMark: 1 << 20 });
    const stream = new ConsoleStream('test-stream-1');
    const receiver = new Recorder();
    stream.attach(receiver);
    stream.setSource(source);
    assert.deepEqual(receiver.controls[0], { t: 'begin', generation: 1 });
    for (let i = 0; i < 20; i++) source.write(Buffer.alloc(16_384, 0x78));
    await tick();
    assert.equal(source.isPaused(), true, 'paused past the watermark');
    assert.ok(receiver.bytes > HIGH_WATERMARK_BYTES && receiver.bytes <= HIGH_WATERMARK_BYTES + 16_384, `delivered ${receiver.bytes}`);
    const firstBatch = receiver.bytes;
    stream.acknowledge(receiver.bytes);
    assert.equal(source.isPaused(), false, 'resumed once acknowledged');
    await tick();
    assert.ok(receiver.bytes > firstBatch, 'more output flowed after the acknowledgement');
    stream.close();
    assert.equal(receiver.closed, true);
  });

  test('holds output (bounded) until a receiver attaches, then delivers it in order', async () => {
    const source = new PassThrough();
    const stream = new ConsoleStream('test-stream-2');
    stream.setSource(source);
    source.write(Buffer.from('hello '));
    source.write(Buffer.from('world'));
    for (let i = 0; i < 10; i++) source.write(Buffer.alloc(16_384));
    await tick();
    assert.equal(source.isPaused(), true, 'no receiver: the source pauses at the watermark');
    const receiver = new Recorder();
    stream.attach(receiver);
    assert.equal(receiver.controls[0].t, 'begin');
    assert.ok(receiver.bytes >= 11 && receiver.bytes <= HIGH_WATERMARK_BYTES + 16_384);
    stream.acknowledge(receiver.bytes);
    await tick();
    assert.equal(source.isPaused(), false);
    stream.close();
  });

  test('a new source (domain rebooted) begins a new generation; the end of the old one is told', async () => {
    const first = new PassThrough();
    const ends: number[] = [];
    const stream = new ConsoleStream('test-stream-3', { onSourceEnd: (g) => ends.push(g) });
    const receiver = new Recorder();
    stream.attach(receiver);
    stream.setSource(first);
    first.destroy();
    await tick();
    assert.deepEqual(ends, [1]);
    stream.setSource(new PassThrough());
    assert.deepEqual(
      receiver.controls.map((c) => `${c.t}${c.generation}`),
      ['begin1', 'end1', 'begin2'],
    );
    stream.close();
  });

  test('input goes to the source, through the console filter', async () => {
    const source = new PassThrough();
    const seen: string[] = [];
    const stream = new ConsoleStream('test-stream-4', { onInput: (d) => (seen.push(d.toString()), d) });
    stream.setSource(source);
    const written: Buffer[] = [];
    source.on('data', (d: Buffer) => written.push(d));
    stream.input(Buffer.from('ls\r'));
    await tick();
    assert.deepEqual(seen, ['ls\r']);
    assert.ok(Buffer.concat(written).toString().includes('ls\r'));
    stream.close();
  });

  test('input between sources still reaches the console filter (Ctrl-] while reattaching), and goes nowhere else', async () => {
    const seen: string[] = [];
    const stream = new ConsoleStream('test-stream-5', { onInput: (d) => (seen.push(d.toString('hex')), d) });
    const first = new PassThrough();
    stream.setSource(first);
    first.destroy();
    await tick();
    stream.input(Buffer.from([0x1d]));
    assert.deepEqual(seen, ['1d']);
    const second = new PassThrough();
    const written: Buffer[] = [];
    second.on('data', (d: Buffer) => written.push(d));
    stream.setSource(second);
    await tick();
    assert.equal(Buffer.concat(written).length, 0, 'nothing typed earlier is replayed into the next source');
    stream.close();
  });
});
