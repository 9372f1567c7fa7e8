// The consoles' shapes shared by the contract, main and the renderer.
import { z } from 'zod';

export const ConsoleKind = z.enum(['text', 'vnc', 'shell']);
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
  hostId: z.string(),
  /** The domain's name; null for a host shell. */
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
