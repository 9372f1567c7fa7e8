// Pure metrics machinery: from xentop frames to samples, and the history kept of them.
export { createSampleDeriver, type DerivedSample, type HostFacts, type SampleDeriver } from './derive';
export { HostHistory, RANGE_MS, RAW_CAPACITY, MINUTE_CAPACITY, HOUR_CAPACITY, type HistorySnapshot } from './history';
export { BucketRing, SampleRing, type BucketSnapshot } from './ring';
