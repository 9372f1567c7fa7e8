// Questions the SSH layer asks the user (an unknown host key, a password), relayed to whichever
// window is open, and their answers relayed back. Unanswered questions give up after a while.
import { randomUUID } from 'node:crypto';
import type { HostKeyPrompt, SecretPrompt } from '../../common/model/index';
import { UserError, type EventHub } from '../../common/rpc/index';

export type HostKeyDecision = 'reject' | 'once' | 'remember';
export interface SecretAnswer {
  secret: string | null;
  remember: boolean;
}

type Pending =
  | { kind: 'hostKey'; prompt: HostKeyPrompt; resolve: (d: HostKeyDecision) => void; timer: NodeJS.Timeout }
  | { kind: 'secret'; prompt: SecretPrompt; resolve: (a: SecretAnswer) => void; timer: NodeJS.Timeout };

export class PromptBroker {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly hub: EventHub,
    private readonly timeoutMs = 5 * 60_000,
  ) {}

  askHostKey(question: Omit<HostKeyPrompt, 'promptId'>): Promise<HostKeyDecision> {
    return new Promise((resolve) => {
      const prompt: HostKeyPrompt = { ...question, promptId: randomUUID() };
      const timer = setTimeout(() => this.settle(prompt.promptId, 'reject'), this.timeoutMs);
      this.pending.set(prompt.promptId, { kind: 'hostKey', prompt, resolve, timer });
      this.hub.emit('hosts.hostKeyPrompt', prompt);
    });
  }

  askSecret(question: Omit<SecretPrompt, 'promptId'>): Promise<SecretAnswer> {
    return new Promise((resolve) => {
      const prompt: SecretPrompt = { ...question, promptId: randomUUID() };
      const timer = setTimeout(() => this.settle(prompt.promptId, { secret: null, remember: false }), this.timeoutMs);
      this.pending.set(prompt.promptId, { kind: 'secret', prompt, resolve, timer });
      this.hub.emit('hosts.secretPrompt', prompt);
    });
  }

  answerHostKey(promptId: string, decision: HostKeyDecision): void {
    const entry = this.pending.get(promptId);
    if (!entry || entry.kind !== 'hostKey') throw new UserError('That question was already answered or has expired.', 'not-found');
    this.settle(promptId, decision);
  }

  answerSecret(promptId: string, secret: string | null, remember: boolean): void {
    const entry = this.pending.get(promptId);
    if (!entry || entry.kind !== 'secret') throw new UserError('That question was already answered or has expired.', 'not-found');
    this.settle(promptId, { secret, remember });
  }

  /** Ask again on a window that opened after the question was first asked. */
  replay(send: (prompt: Pending['prompt'], kind: Pending['kind']) => void): void {
    for (const entry of this.pending.values()) send(entry.prompt, entry.kind);
  }

  /** Give up the questions of one host (it was removed or disconnected). */
  cancelFor(hostId: string): void {
    for (const [id, entry] of this.pending) {
      if (entry.prompt.hostId === hostId) this.settle(id, entry.kind === 'hostKey' ? 'reject' : { secret: null, remember: false });
    }
  }

  private settle(promptId: string, answer: HostKeyDecision | SecretAnswer) {
    const entry = this.pending.get(promptId);
    if (!entry) return;
    this.pending.delete(promptId);
    clearTimeout(entry.timer);
    if (entry.kind === 'hostKey') entry.resolve(answer as HostKeyDecision);
    else entry.resolve(answer as SecretAnswer);
  }
}
