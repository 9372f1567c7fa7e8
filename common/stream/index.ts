// Byte streams beside the RPC: flow control, the control messages, the consoles' shapes.
export * from './flow';
export * from './messages';
export * from './console';
export * from './client';
