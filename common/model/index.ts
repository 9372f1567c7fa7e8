// The data that crosses the contract between main and renderer, as zod schemas.
// Types are inferred from the schemas so the runtime check and the static type never drift.
import { z } from 'zod';

/** A name for a domain that xl accepts and that is safe to show; xl itself allows more. */
export const DomainName = z
  .string()
  .min(1, 'A domain name cannot be empty.')
  .max(64, 'A domain name is at most 64 characters.')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'A domain name cannot contain control characters or new lines.');

export const HostId = z.string().min(1).max(64);

export const ConnectionState = z.enum(['disconnected', 'connecting', 'connected', 'lost', 'retrying']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const Toolstack = z.enum(['xl', 'xm']);
export type Toolstack = z.infer<typeof Toolstack>;

/** What the user typed to reach a host. `sshAlias` names a Host block of ~/.ssh/config. */
export const HostInput = z
  .object({
    name: z.string().trim().min(1, 'Give the host a name.').max(64),
    address: z.string().trim().max(255).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().trim().max(64).optional(),
    sshAlias: z.string().trim().max(255).optional(),
    identityFile: z.string().max(4096).optional(),
  })
  .refine((h) => Boolean(h.address) || Boolean(h.sshAlias), {
    message: 'Give either an address or a Host alias from ~/.ssh/config.',
    path: ['address'],
  });
export type HostInput = z.infer<typeof HostInput>;

export const HostSummary = z.object({
  xenVersion: z.string(),
  toolstack: Toolstack,
  hostname: z.string(),
  nrCpus: z.number(),
  totalMemoryMiB: z.number(),
  freeMemoryMiB: z.number(),
  hvmCapable: z.boolean(),
  scheduler: z.string(),
  dom0UptimeSeconds: z.number().nullable(),
});
export type HostSummary = z.infer<typeof HostSummary>;

export const HostView = z.object({
  id: HostId,
  name: z.string(),
  address: z.string().optional(),
  port: z.number().optional(),
  user: z.string().optional(),
  sshAlias: z.string().optional(),
  identityFile: z.string().optional(),
  /** The built-in simulated Dom0: every screen labels it "simulation". */
  demo: z.boolean(),
  state: ConnectionState,
  /** Why the host is not connected, said so that the user knows what to change. */
  error: z.string().optional(),
  summary: HostSummary.optional(),
});
export type HostView = z.infer<typeof HostView>;

export const DomainState = z.enum(['running', 'blocked', 'paused', 'shutdown', 'crashed', 'dying', 'stopped', 'unknown']);
export type DomainState = z.infer<typeof DomainState>;

export const DomainType = z.enum(['pv', 'pvh', 'hvm', 'unknown']);
export type DomainType = z.infer<typeof DomainType>;

export const DomainView = z.object({
  /** Stable key in the UI: the name (xl keeps names unique on a host). */
  name: z.string(),
  id: z.number().nullable(),
  state: DomainState,
  memoryMiB: z.number().nullable(),
  vcpus: z.number().nullable(),
  cpuSeconds: z.number().nullable(),
  type: DomainType,
  /** The config file on the host this domain comes from, when Hearth knows it. */
  configPath: z.string().nullable(),
  autostart: z.boolean(),
});
export type DomainView = z.infer<typeof DomainView>;

export const DomainAction = z.enum(['start', 'shutdown', 'reboot', 'destroy', 'pause', 'unpause']);
export type DomainAction = z.infer<typeof DomainAction>;

export const TaskState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export const TaskView = z.object({
  id: z.string(),
  hostId: z.string(),
  title: z.string(),
  state: TaskState,
  /** 0..1, or null when the end cannot be known. */
  progress: z.number().nullable(),
  log: z.array(z.string()),
  error: z.string().optional(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
});
export type TaskView = z.infer<typeof TaskView>;

export const ConfigProblem = z.object({ line: z.number(), message: z.string() });
export type ConfigProblem = z.infer<typeof ConfigProblem>;

export const ConfigDocumentView = z.object({
  path: z.string(),
  text: z.string(),
  /** Hash of `text` as read: a write is refused if the file changed since. */
  sha256: z.string(),
  values: z.record(z.string(), z.unknown()),
  problems: z.array(ConfigProblem),
  editable: z.boolean(),
});
export type ConfigDocumentView = z.infer<typeof ConfigDocumentView>;

export const HostKeyPrompt = z.object({
  promptId: z.string(),
  hostId: z.string(),
  host: z.string(),
  port: z.number(),
  keyType: z.string(),
  fingerprint: z.string(),
});
export type HostKeyPrompt = z.infer<typeof HostKeyPrompt>;

export const SecretPrompt = z.object({
  promptId: z.string(),
  hostId: z.string(),
  kind: z.enum(['password', 'passphrase', 'keyboard-interactive']),
  message: z.string(),
  /** Electron's safeStorage is there: the user may choose to remember it. */
  canRemember: z.boolean(),
});
export type SecretPrompt = z.infer<typeof SecretPrompt>;
