// How the toolstack reaches a shell on Dom0: real SSH in production, the demo host's simulation
// for newcomers. Commands are argv arrays; the executor quotes them with common/shell/quote.ts.

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit code, or null when the command was ended by a signal or the connection dropped. */
  code: number | null;
}

export interface ExecOptions {
  /** Bytes written to the command's standard input, then closed. */
  stdin?: string | Uint8Array;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Executor {
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}
