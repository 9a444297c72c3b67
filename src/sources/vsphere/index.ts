// vSphere source: SOAP client, full inventory retrieval, live updates.
export {
  VsphereClient, fetchCertificate, normalizeThumbprint, soapFault,
  type VsphereClientOptions, type CallOptions, type CertificateInfo, type ServiceContent, type AboutInfo, type SoapFaultInfo,
} from './soap.js';
export { collectInventory, collectEvents, loadStructure, type CollectOptions, type EventWindow } from './collect.js';
export { queryHostHistory, type PerfWindow } from './perf.js';
export { watch, type WatchChange, type WatchOptions } from './watch.js';
export type { MoRef } from './xml.js';
