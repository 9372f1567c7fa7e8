// The toolstack layer's public face: the driver and what it needs from a shell.
export {
  createDriver,
  detectToolstack,
  sha256Hex,
  type Capabilities,
  type ConfigEntry,
  type Detection,
  type DomainDetails,
  type DriverOptions,
  type ToolstackDriver,
  type XlListRow,
} from './driver';
export type { ExecOptions, ExecResult, Executor } from './executor';
