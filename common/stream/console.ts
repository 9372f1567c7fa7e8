// The consoles' shapes shared by the contract, main and the renderer.
import { z } from 'zod';

/** `local`: a terminal on this machine (a shell, or the system ssh), not through Hearth's SSH connection. */
export const ConsoleKind = z.enum(['text', 'vnc', 'shell', 'local']);
export type ConsoleKind = z.infer<typeof ConsoleKind>;

/** Which console `xl console` attaches to: the guest's PV console, the emulated serial port, or xl's default. */
export const TextConsoleType = z.enum(['auto', 'pv', 'serial']);
export type TextConsoleType = z.infer<typeof TextConsoleType>;

/** The console page's state machine (after virt-manager's console pages). */
export const ConsolePhase = z.enum(['unavailable', 'connecting', 'needs-password', 'connected', 'disconnected']);
export type ConsolePhase = z.infer<typeof ConsolePhase>;

/** Why a console is not showing the guest, so the page can offer the right fix. */
export const ConsoleReason = z.enum([
  'not-running',
  'no-console',
  'vnc-disabled',
  'sdl',
  'unreachable',
  'waiting-for-device-model',
  'detached',
  'closed',
  'exited',
  'host-lost',
  'demo',
]);
export type ConsoleReason = z.infer<typeof ConsoleReason>;

export const ConsoleStateView = z.object({
  streamId: z.string(),
  kind: ConsoleKind,
  /** The host; empty for a local shell on this machine. */
  hostId: z.string(),
  /** The domain's name; null for a host shell or a local terminal. */
  domain: z.string().nullable(),
  phase: ConsolePhase,
  reason: ConsoleReason.nullable(),
  /** What is happening or what went wrong, said for the user (cause and fix). */
  message: z.string(),
  /** For `sdl`: the config file that could be switched to VNC. */
  configPath: z.string().nullable(),
  /** VNC endpoint as seen from the host, when known (e.g. 127.0.0.1:5900). */
  endpoint: z.string().nullable(),
});
export type ConsoleStateView = z.infer<typeof ConsoleStateView>;

export const TerminalSize = z.object({
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(1).max(1000),
});
export type TerminalSize = z.infer<typeof TerminalSize>;

/**
 * What a local terminal runs: the user's login shell on this machine, or the system `ssh` to a
 * saved host (for what ssh2 cannot do, e.g. hardware security keys). Main builds the command
 * line itself from the saved host entry; nothing here is a command.
 */
export const LocalTerminalTarget = z.discriminatedUnion('program', [
  z.object({ program: z.literal('shell') }),
  z.object({ program: z.literal('ssh'), hostId: z.string().min(1).max(64) }),
]);
export type LocalTerminalTarget = z.infer<typeof LocalTerminalTarget>;
