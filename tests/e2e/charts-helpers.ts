// Shared by the charts end-to-end suites.
import type { App } from '../harness/browser';

/** What the browser does when the window is minimised or covered (a string: tsx would rename a function). */
export async function setVisibility(page: App['page'], state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate(
    `Object.defineProperty(document, 'visibilityState', { configurable: true, value: ${JSON.stringify(state)} }); document.dispatchEvent(new Event('visibilitychange'));`,
  );
}
