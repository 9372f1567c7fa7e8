// The state of the link between this window and Hearth's main process, for the banner.
import { create } from 'zustand';
import { link, type LinkStatus } from '../api/transport';

export const useLink = create<LinkStatus & { retryNow(): void }>(() => ({
  ...link.status(),
  retryNow: () => link.reconnectNow(),
}));

link.onStatus((status) => useLink.setState({ ...status }));
