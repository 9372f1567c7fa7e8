// The built-in demo host: a simulated Xen 4.17 Dom0 for newcomers to look around.
import { createDriver, type ToolstackDriver } from '../toolstack/driver';
import { DemoHost, type DemoHostOptions } from './host';

export { DemoHost, SIMULATION_NOTE, type DemoHostOptions, type DemoTiming } from './host';
export { DEMO_HOSTNAME } from './seed';

/** A fresh simulated host, as the Executor a stored demo host connects to. */
export function createDemoExecutor(options: DemoHostOptions = {}): DemoHost {
  return new DemoHost(options);
}

/** A driver over a fresh simulated host. */
export async function createDemoDriver(options: DemoHostOptions = {}): Promise<{ host: DemoHost; driver: ToolstackDriver }> {
  const host = new DemoHost(options);
  const driver = await createDriver(host, { user: 'root' });
  return { host, driver };
}
