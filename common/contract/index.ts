// The one API between renderer and main. Each method names its arguments (a zod tuple) and its
// result; each event names its payload. Main validates every call against this table whatever
// the transport (Electron IPC or the browser-mode WebSocket); the renderer's proxy is typed from it.
import { z } from 'zod';
import {
  ConfigDocumentView,
  DomainAction,
  DomainName,
  DomainView,
  HostId,
  HostInput,
  HostKeyPrompt,
  HostView,
  SecretPrompt,
  TaskView,
} from '../model/index';
import { ConsoleStateView, LocalTerminalTarget, TerminalSize, TextConsoleType } from '../stream/console';
import { MetricsHistory, MetricsRange, MetricsSample, MetricsSettings, MetricsStatus, MetricsSubscription } from '../model/metrics';

const method = <I extends z.ZodTuple, O extends z.ZodType>(input: I, output: O) => ({ input, output });

const ConfigPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/'), 'A config path on the host must be absolute (it starts with /).')
  .refine((p) => !/[\u0000\n\r]/.test(p), 'A path cannot contain new lines.');

const RemotePath = ConfigPath;

export const HostKeyDecision = z.enum(['reject', 'once', 'remember']);

export const methods = {
  'app.info': method(z.tuple([]), z.object({ version: z.string(), mode: z.enum(['electron', 'browser']), locale: z.string() })),

  'hosts.list': method(z.tuple([]), z.array(HostView)),
  'hosts.add': method(z.tuple([HostInput]), HostView),
  'hosts.update': method(z.tuple([HostId, HostInput]), HostView),
  'hosts.remove': method(z.tuple([HostId]), z.null()),
  'hosts.connect': method(z.tuple([HostId]), HostView),
  'hosts.disconnect': method(z.tuple([HostId]), HostView),
  'hosts.addDemo': method(z.tuple([]), HostView),
  'hosts.answerHostKey': method(z.tuple([z.string(), HostKeyDecision]), z.null()),
  'hosts.answerSecret': method(
    z.tuple([z.string(), z.string().max(4096).nullable(), z.boolean()]),
    z.null(),
  ),

  'domains.list': method(z.tuple([HostId]), z.array(DomainView)),
  /** Start live updates for this host for the calling window; `unwatch` (or closing it) stops them. */
  'domains.watch': method(z.tuple([HostId]), z.array(DomainView)),
  'domains.unwatch': method(z.tuple([HostId]), z.null()),
  /** `confirmName` must repeat the domain's name for `destroy` (force off): nothing is destroyed by accident. */
  'domains.act': method(
    z.tuple([HostId, DomainName, DomainAction, z.object({ confirmName: z.string().optional() })]),
    TaskView,
  ),
  'domains.rename': method(z.tuple([HostId, DomainName, DomainName]), TaskView),
  'domains.save': method(z.tuple([HostId, DomainName, RemotePath]), TaskView),
  'domains.restore': method(z.tuple([HostId, RemotePath]), TaskView),
  'domains.setAutostart': method(z.tuple([HostId, ConfigPath, z.boolean()]), z.null()),

  'configs.read': method(z.tuple([HostId, ConfigPath]), ConfigDocumentView),
  /** The unified diff a write would make, for the user to look at before saving. */
  'configs.diff': method(z.tuple([HostId, ConfigPath, z.string().max(1_000_000)]), z.object({ diff: z.string() })),
  /** Atomic write with a backup; refused when the file changed since `sha256` was read. */
  'configs.write': method(
    z.tuple([HostId, ConfigPath, z.string().max(1_000_000), z.string().length(64)]),
    z.object({ backupPath: z.string(), document: ConfigDocumentView }),
  ),

  /** Live `xl top` for this host for the calling window (one xentop per host); `unsubscribe` or closing the window stops it. */
  'metrics.subscribe': method(z.tuple([HostId]), MetricsSubscription),
  'metrics.unsubscribe': method(z.tuple([HostId]), z.null()),
  /** The host's (domain null) or a domain's series over a range, from the history kept on this machine. */
  'metrics.history': method(z.tuple([HostId, z.string().min(1).max(256).nullable(), MetricsRange]), MetricsHistory),
  'metrics.settings': method(z.tuple([]), MetricsSettings),
  'metrics.setSettings': method(z.tuple([MetricsSettings]), MetricsSettings),

  /** Consoles: each returns a stream (bytes travel outside the RPC, see common/stream) and its first state. */
  'consoles.openText': method(z.tuple([HostId, DomainName, z.object({ type: TextConsoleType, size: TerminalSize })]), ConsoleStateView),
  'consoles.openVnc': method(z.tuple([HostId, DomainName]), ConsoleStateView),
  'consoles.openHostShell': method(z.tuple([HostId, TerminalSize]), ConsoleStateView),
  /**
   * A terminal on this machine (node-pty): the login shell, or the system ssh to a saved host.
   * Security: this hands the caller a shell as the user running Hearth. It is offered in both
   * modes; in browser mode the caller got here only through the loopback-only server with the
   * random token (ws.ts: token cookie, Host and Origin checked), the same gate that already lets
   * it run commands as root on the Xen hosts. Whoever holds the printed address holds a shell.
   */
  'consoles.openLocal': method(z.tuple([LocalTerminalTarget, TerminalSize]), ConsoleStateView),
  'consoles.resize': method(z.tuple([z.string().max(64), TerminalSize]), z.null()),
  /** Leave `xl console` the way Ctrl-] does; the stream stays closed until opened again. */
  'consoles.detach': method(z.tuple([z.string().max(64)]), z.null()),
  'consoles.close': method(z.tuple([z.string().max(64)]), z.null()),

  'tasks.list': method(z.tuple([]), z.array(TaskView)),
  'tasks.cancel': method(z.tuple([z.string()]), z.null()),
} as const;

export const events = {
  'hosts.changed': HostView,
  'hosts.removed': z.object({ id: HostId }),
  'hosts.hostKeyPrompt': HostKeyPrompt,
  'hosts.secretPrompt': SecretPrompt,
  'domains.changed': z.object({ hostId: HostId, domains: z.array(DomainView) }),
  'tasks.changed': TaskView,
  'consoles.state': ConsoleStateView,
  'metrics.sample': MetricsSample,
  'metrics.status': MetricsStatus,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Events = typeof events;
export type EventName = keyof Events;

export type MethodArgs<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodResult<M extends MethodName> = z.output<Methods[M]['output']>;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** What main implements: one async function per method, given who called. */
export type Implementation<Ctx> = {
  [M in MethodName]: (ctx: Ctx, ...args: z.output<Methods[M]['input']>) => Promise<MethodResult<M>>;
};

/** What the renderer holds: typed calls and events, whatever the transport. */
export interface Api {
  call<M extends MethodName>(method: M, ...args: MethodArgs<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
