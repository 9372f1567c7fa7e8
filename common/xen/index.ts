// Pure Xen knowledge: output parsers, config files, capability table.
export { parseXlInfo, summarizeXlInfo, xenVersionOf } from './xl-info';
export {
  parseXlList,
  parseXlListVerbose,
  parseXlUptime,
  stateFromFlags,
  type XlListRow,
  type XlListVerboseRow,
  type XlUptimeRow,
} from './xl-list';
export {
  parseXlListLong,
  parseXmListLong,
  type DomainDetails,
  type DomainDisk,
  type DomainNic,
  type DomainVnc,
} from './domain-details';
export { parseSxp, sxpChild, sxpChildren, sxpValue, SxpError, type SxpNode } from './sxp';
export {
  createXentopParser,
  parseXentopRow,
  stateFromXentopFlags,
  type XentopFrame,
  type XentopParser,
  type XentopRow,
} from './xentop';
export {
  parseConfig,
  printConfig,
  printValue,
  setValue,
  removeKey,
  ConfigValueError,
  type ConfigDocument,
  type ConfigEntry,
  type ConfigEntryKind,
  type ConfigValue,
  type PrintOptions,
} from './config';
export { capabilitiesFor, type Capabilities } from './capabilities';
