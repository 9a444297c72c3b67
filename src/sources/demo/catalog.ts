// Static tables of the demo estate: what real VMware estates are made of (roles, guest OSes,
// servers, ESXi builds, alarm definitions, people). Pure data, no logic.

import { osFamilyOf, type OsFamily } from '../../model/records.js';

export type ClusterKind = 'prod' | 'dev' | 'dmz' | 'mgmt';

export interface OsSpec {
  id: string;
  /** config.guestFullName as vSphere shows it */
  config: string;
  /** guest.guestFullName as the tools report it */
  tools: string;
  windows: boolean;
  /** id of the in-place upgrade target, if any */
  next?: string;
  /** short form for template names */
  slug: string;
  /** osFamilyOf(tools) and osFamilyOf(config) */
  family: OsFamily;
  configFamily: OsFamily;
}

export const OSES: OsSpec[] = ([
  { id: 'win2012', config: 'Microsoft Windows Server 2012 (64-bit)', tools: 'Microsoft Windows Server 2012 R2 Standard', windows: true, next: 'win2016', slug: 'w2k12r2' },
  { id: 'win2016', config: 'Microsoft Windows Server 2016 or later (64-bit)', tools: 'Microsoft Windows Server 2016 Standard', windows: true, next: 'win2019', slug: 'w2k16' },
  { id: 'win2019', config: 'Microsoft Windows Server 2019 (64-bit)', tools: 'Microsoft Windows Server 2019 Standard', windows: true, next: 'win2022', slug: 'w2k19' },
  { id: 'win2022', config: 'Microsoft Windows Server 2022 (64-bit)', tools: 'Microsoft Windows Server 2022 Datacenter', windows: true, slug: 'w2k22' },
  { id: 'rhel8', config: 'Red Hat Enterprise Linux 8 (64-bit)', tools: 'Red Hat Enterprise Linux 8.10 (Ootpa)', windows: false, next: 'rhel9', slug: 'rhel8' },
  { id: 'rhel9', config: 'Red Hat Enterprise Linux 9 (64-bit)', tools: 'Red Hat Enterprise Linux 9.4 (Plow)', windows: false, slug: 'rhel9' },
  { id: 'ol8', config: 'Oracle Linux 8 (64-bit)', tools: 'Oracle Linux Server 8.9', windows: false, slug: 'ol8' },
  { id: 'ubuntu2004', config: 'Ubuntu Linux (64-bit)', tools: 'Ubuntu 20.04.6 LTS', windows: false, next: 'ubuntu2204', slug: 'ubuntu2004' },
  { id: 'ubuntu2204', config: 'Ubuntu Linux (64-bit)', tools: 'Ubuntu 22.04.4 LTS', windows: false, next: 'ubuntu2404', slug: 'ubuntu2204' },
  { id: 'ubuntu2404', config: 'Ubuntu Linux (64-bit)', tools: 'Ubuntu 24.04.1 LTS', windows: false, slug: 'ubuntu2404' },
  { id: 'sles15', config: 'SUSE Linux Enterprise 15 (64-bit)', tools: 'SUSE Linux Enterprise Server 15 SP5', windows: false, next: 'sles15sp6', slug: 'sles15' },
  { id: 'sles15sp6', config: 'SUSE Linux Enterprise 15 (64-bit)', tools: 'SUSE Linux Enterprise Server 15 SP6', windows: false, slug: 'sles15sp6' },
  { id: 'photon4', config: 'VMware Photon OS (64-bit)', tools: 'VMware Photon OS 4.0', windows: false, next: 'photon5', slug: 'photon4' },
  { id: 'photon5', config: 'VMware Photon OS (64-bit)', tools: 'VMware Photon OS 5.0', windows: false, slug: 'photon5' },
  { id: 'debian12', config: 'Debian GNU/Linux 12 (64-bit)', tools: 'Debian GNU/Linux 12 (bookworm)', windows: false, slug: 'debian12' },
  { id: 'appliance', config: 'Other 4.x or later Linux (64-bit)', tools: 'Other 4.x or later Linux (64-bit)', windows: false, slug: 'appliance' },
] as Array<Omit<OsSpec, 'family' | 'configFamily'>>).map((o) => ({ ...o, family: osFamilyOf(o.tools), configFamily: osFamilyOf(o.config) }));

export const OS_INDEX = new Map(OSES.map((o, i) => [o.id, i]));

/** Network zones: each becomes one or more distributed portgroups per datacenter. */
export type Zone = 'prod' | 'web' | 'app' | 'db' | 'k8s' | 'dev' | 'test' | 'dmz' | 'mgmt' | 'backup' | 'dmzbackup' | 'repl' | 'trunk';

export interface Role {
  token: string;
  kind: ClusterKind;
  weight: number;
  os: Array<[string, number]>;
  cpu: number[];
  memGB: number[];
  /** data disks: [min count, max count, min GB, max GB] */
  data: [number, number, number, number];
  /** share of thick-provisioned disks */
  thick: number;
  zone: Zone;
  /** probability of a second NIC (backup network) and of a third (replication) */
  nic2: number;
  nic3: number;
  folder: string;
  pad?: number;
  /** reserved memory (no swap file), e.g. databases */
  reserved?: boolean;
  pools?: string[];
}

const WIN = (a: number, b: number, c: number): Array<[string, number]> => [['win2016', a], ['win2019', b], ['win2022', c]];

export const ROLES: Role[] = [
  // production
  { token: 'web', kind: 'prod', weight: 14, os: [['ubuntu2204', 3], ['rhel8', 3], ['rhel9', 2], ['ubuntu2004', 1], ['win2019', 2], ['win2022', 1]], cpu: [2, 2, 4, 4, 8], memGB: [4, 8, 8, 16], data: [0, 1, 20, 100], thick: 0.1, zone: 'web', nic2: 0.1, nic3: 0, folder: 'Web', pools: ['Resources', 'RP-Normal'] },
  { token: 'app', kind: 'prod', weight: 14, os: [['rhel8', 3], ['rhel9', 3], ['win2019', 2], ['win2022', 2], ['ubuntu2204', 1]], cpu: [2, 4, 4, 8], memGB: [8, 16, 16, 32], data: [1, 1, 50, 300], thick: 0.15, zone: 'app', nic2: 0.3, nic3: 0, folder: 'Applications', pools: ['Resources', 'RP-Normal', 'RP-High'] },
  { token: 'api', kind: 'prod', weight: 6, os: [['rhel9', 3], ['ubuntu2204', 3], ['debian12', 1]], cpu: [2, 4, 4], memGB: [4, 8, 16], data: [0, 1, 20, 80], thick: 0.1, zone: 'app', nic2: 0.1, nic3: 0, folder: 'Applications', pools: ['Resources', 'RP-Normal'] },
  { token: 'sql', kind: 'prod', weight: 6, os: [['win2012', 0.4], ...WIN(2, 4, 3)], cpu: [4, 8, 8, 16], memGB: [16, 32, 64, 128], data: [2, 3, 100, 1500], thick: 0.6, zone: 'db', nic2: 0.9, nic3: 0.3, folder: 'Databases', reserved: true, pools: ['RP-High'] },
  { token: 'db', kind: 'prod', weight: 4, os: [['rhel8', 2], ['rhel9', 2], ['ubuntu2204', 1]], cpu: [4, 8], memGB: [16, 32, 64], data: [1, 2, 100, 1000], thick: 0.5, zone: 'db', nic2: 0.8, nic3: 0, folder: 'Databases', reserved: true, pools: ['RP-High'] },
  { token: 'ora', kind: 'prod', weight: 2, os: [['ol8', 3], ['rhel8', 1]], cpu: [8, 16], memGB: [64, 128], data: [2, 3, 500, 2000], thick: 0.9, zone: 'db', nic2: 1, nic3: 0.5, folder: 'Databases', reserved: true, pools: ['RP-High'] },
  { token: 'k8s-worker', kind: 'prod', weight: 10, os: [['ubuntu2204', 3], ['photon4', 2], ['photon5', 1]], cpu: [8, 8, 16], memGB: [32, 64], data: [1, 1, 100, 200], thick: 0, zone: 'k8s', nic2: 0, nic3: 0, folder: 'Kubernetes', pad: 2, pools: ['k8s-prod'] },
  { token: 'k8s-master', kind: 'prod', weight: 1.5, os: [['ubuntu2204', 3], ['photon4', 2]], cpu: [4], memGB: [16], data: [0, 0, 0, 0], thick: 0, zone: 'k8s', nic2: 0, nic3: 0, folder: 'Kubernetes', pad: 2, pools: ['k8s-prod'] },
  { token: 'file', kind: 'prod', weight: 2, os: WIN(1, 2, 2), cpu: [4], memGB: [8, 16], data: [1, 2, 500, 4000], thick: 0.3, zone: 'prod', nic2: 0.7, nic3: 0, folder: 'File Services' },
  { token: 'rds', kind: 'prod', weight: 4, os: WIN(1, 3, 2), cpu: [8], memGB: [32, 64], data: [0, 1, 50, 100], thick: 0, zone: 'prod', nic2: 0, nic3: 0, folder: 'RDS', pools: ['Resources', 'RP-Normal'] },
  { token: 'mq', kind: 'prod', weight: 2, os: [['rhel8', 2], ['rhel9', 1]], cpu: [2, 4], memGB: [8, 16], data: [1, 1, 50, 200], thick: 0.2, zone: 'app', nic2: 0.3, nic3: 0, folder: 'Middleware' },
  { token: 'redis', kind: 'prod', weight: 2, os: [['ubuntu2204', 2], ['rhel9', 1]], cpu: [2, 4], memGB: [16, 32], data: [0, 1, 20, 50], thick: 0, zone: 'app', nic2: 0, nic3: 0, folder: 'Middleware' },
  { token: 'es', kind: 'prod', weight: 3, os: [['ubuntu2204', 2], ['rhel8', 2]], cpu: [8], memGB: [32, 64], data: [1, 1, 500, 2000], thick: 0.2, zone: 'app', nic2: 0.2, nic3: 0, folder: 'Middleware' },
  { token: 'etl', kind: 'prod', weight: 2, os: [['rhel8', 1], ['win2019', 1]], cpu: [4, 8], memGB: [16, 32], data: [1, 1, 100, 500], thick: 0.2, zone: 'app', nic2: 0.3, nic3: 0, folder: 'Applications' },
  { token: 'print', kind: 'prod', weight: 1, os: WIN(1, 1, 0), cpu: [2], memGB: [4, 8], data: [0, 0, 0, 0], thick: 0, zone: 'prod', nic2: 0, nic3: 0, folder: 'Infrastructure' },
  { token: 'sap', kind: 'prod', weight: 2, os: [['sles15', 3]], cpu: [8, 16], memGB: [64, 128], data: [1, 2, 200, 1000], thick: 0.7, zone: 'app', nic2: 0.8, nic3: 0, folder: 'SAP', reserved: true, pools: ['RP-High'] },
  // development and test
  { token: 'dev-web', kind: 'dev', weight: 10, os: [['ubuntu2204', 3], ['ubuntu2004', 1], ['rhel9', 1]], cpu: [1, 2, 2, 4], memGB: [2, 4, 8], data: [0, 1, 20, 50], thick: 0, zone: 'dev', nic2: 0, nic3: 0, folder: 'Development', pools: ['Resources', 'RP-Dev-Teams'] },
  { token: 'dev-app', kind: 'dev', weight: 10, os: [['rhel8', 2], ['rhel9', 2], ['win2022', 1]], cpu: [2, 4], memGB: [4, 8, 16], data: [0, 1, 20, 100], thick: 0, zone: 'dev', nic2: 0, nic3: 0, folder: 'Development', pools: ['Resources', 'RP-Dev-Teams'] },
  { token: 'tst-app', kind: 'dev', weight: 8, os: [['rhel8', 2], ['win2019', 2], ['ubuntu2204', 1]], cpu: [2, 4], memGB: [4, 8, 16], data: [0, 1, 20, 100], thick: 0, zone: 'test', nic2: 0, nic3: 0, folder: 'Test' },
  { token: 'tst-db', kind: 'dev', weight: 5, os: [['win2019', 2], ['rhel8', 2]], cpu: [2, 4, 8], memGB: [8, 16, 32], data: [1, 2, 50, 500], thick: 0.1, zone: 'test', nic2: 0.2, nic3: 0, folder: 'Test' },
  { token: 'qa-web', kind: 'dev', weight: 5, os: [['ubuntu2204', 2], ['win2022', 1]], cpu: [2], memGB: [4, 8], data: [0, 0, 0, 0], thick: 0, zone: 'test', nic2: 0, nic3: 0, folder: 'Test' },
  { token: 'ci-runner', kind: 'dev', weight: 8, os: [['ubuntu2204', 3], ['photon5', 1], ['win2022', 1]], cpu: [4, 8], memGB: [8, 16], data: [1, 1, 100, 200], thick: 0, zone: 'dev', nic2: 0, nic3: 0, folder: 'CI', pad: 2 },
  { token: 'dev-k8s', kind: 'dev', weight: 6, os: [['ubuntu2204', 2], ['photon5', 1]], cpu: [4, 8], memGB: [16, 32], data: [1, 1, 50, 100], thick: 0, zone: 'dev', nic2: 0, nic3: 0, folder: 'Kubernetes', pad: 2 },
  { token: 'sbx', kind: 'dev', weight: 6, os: [['win2022', 2], ['ubuntu2404', 2], ['debian12', 1], ['win2019', 1]], cpu: [1, 2, 4], memGB: [2, 4, 8], data: [0, 1, 10, 50], thick: 0, zone: 'dev', nic2: 0, nic3: 0, folder: 'Sandbox' },
  // DMZ
  { token: 'dmz-web', kind: 'dmz', weight: 10, os: [['rhel9', 2], ['ubuntu2204', 2], ['win2022', 1]], cpu: [2, 4], memGB: [4, 8], data: [0, 1, 20, 50], thick: 0, zone: 'dmz', nic2: 0.5, nic3: 0, folder: 'DMZ' },
  { token: 'proxy', kind: 'dmz', weight: 6, os: [['rhel9', 2], ['debian12', 1]], cpu: [2, 4], memGB: [4, 8], data: [0, 1, 50, 100], thick: 0, zone: 'dmz', nic2: 0.5, nic3: 0, folder: 'DMZ' },
  { token: 'smtp', kind: 'dmz', weight: 3, os: [['rhel8', 1], ['win2019', 1]], cpu: [2], memGB: [4, 8], data: [1, 1, 50, 200], thick: 0, zone: 'dmz', nic2: 0.5, nic3: 0, folder: 'DMZ' },
  { token: 'waf', kind: 'dmz', weight: 3, os: [['appliance', 1]], cpu: [4], memGB: [8], data: [0, 0, 0, 0], thick: 1, zone: 'dmz', nic2: 0, nic3: 0, folder: 'DMZ' },
  { token: 'vpn', kind: 'dmz', weight: 2, os: [['appliance', 1]], cpu: [4], memGB: [8], data: [0, 0, 0, 0], thick: 1, zone: 'dmz', nic2: 0, nic3: 0, folder: 'DMZ' },
  { token: 'sftp', kind: 'dmz', weight: 2, os: [['rhel9', 1]], cpu: [2], memGB: [4], data: [1, 1, 100, 500], thick: 0, zone: 'dmz', nic2: 0.5, nic3: 0, folder: 'DMZ' },
  { token: 'fw', kind: 'dmz', weight: 1, os: [['appliance', 1]], cpu: [4, 8], memGB: [8, 16], data: [0, 0, 0, 0], thick: 1, zone: 'trunk', nic2: 1, nic3: 0, folder: 'DMZ' },
  { token: 'dmz-dns', kind: 'dmz', weight: 2, os: [['rhel9', 1]], cpu: [2], memGB: [4], data: [0, 0, 0, 0], thick: 0, zone: 'dmz', nic2: 0, nic3: 0, folder: 'DMZ' },
  // management
  { token: 'dc', kind: 'mgmt', weight: 3, os: WIN(1, 2, 2), cpu: [2, 4], memGB: [8], data: [1, 1, 20, 50], thick: 0, zone: 'mgmt', nic2: 0, nic3: 0, folder: 'Infrastructure' },
  { token: 'dns', kind: 'mgmt', weight: 2, os: [['rhel9', 1], ['win2019', 1]], cpu: [2], memGB: [4], data: [0, 0, 0, 0], thick: 0, zone: 'mgmt', nic2: 0, nic3: 0, folder: 'Infrastructure' },
  { token: 'vbr-proxy', kind: 'mgmt', weight: 6, os: WIN(0, 2, 3), cpu: [8], memGB: [16, 32], data: [0, 1, 100, 200], thick: 0, zone: 'backup', nic2: 1, nic3: 0, folder: 'Backup' },
  { token: 'mon', kind: 'mgmt', weight: 3, os: [['rhel9', 2], ['ubuntu2204', 1]], cpu: [4, 8], memGB: [16, 32], data: [1, 1, 200, 500], thick: 0, zone: 'mgmt', nic2: 0, nic3: 0, folder: 'Monitoring' },
  { token: 'log', kind: 'mgmt', weight: 2, os: [['rhel9', 1]], cpu: [8], memGB: [32], data: [1, 1, 1000, 3000], thick: 0, zone: 'mgmt', nic2: 0, nic3: 0, folder: 'Monitoring' },
  { token: 'jump', kind: 'mgmt', weight: 3, os: [['win2022', 3], ['rhel9', 1]], cpu: [4], memGB: [16], data: [0, 0, 0, 0], thick: 0, zone: 'mgmt', nic2: 0, nic3: 0, folder: 'Infrastructure' },
  { token: 'pki', kind: 'mgmt', weight: 1, os: WIN(1, 1, 0), cpu: [2], memGB: [8], data: [0, 0, 0, 0], thick: 0, zone: 'mgmt', nic2: 0, nic3: 0, folder: 'Infrastructure' },
  { token: 'wsus', kind: 'mgmt', weight: 1, os: WIN(0, 1, 1), cpu: [4], memGB: [8], data: [1, 1, 300, 600], thick: 0, zone: 'mgmt', nic2: 0, nic3: 0, folder: 'Infrastructure' },
  { token: 'ansible', kind: 'mgmt', weight: 1, os: [['rhel9', 1]], cpu: [4], memGB: [8], data: [0, 0, 0, 0], thick: 0, zone: 'mgmt', nic2: 0, nic3: 0, folder: 'Infrastructure' },
  { token: 'vcsa', kind: 'mgmt', weight: 0.6, os: [['photon4', 1]], cpu: [4, 8], memGB: [24, 32], data: [0, 0, 0, 0], thick: 1, zone: 'mgmt', nic2: 0, nic3: 0, folder: 'Infrastructure' },
];

/** Another zone a NIC may be moved to (NIC network change events). */
export const ALT_ZONE: Partial<Record<Zone, Zone>> = {
  prod: 'app', web: 'app', app: 'web', db: 'app', k8s: 'app', dev: 'test', test: 'dev', dmz: 'dmz', mgmt: 'mgmt',
};

export const MEM_LADDER_MB = [1024, 2048, 4096, 6144, 8192, 12288, 16384, 24576, 32768, 49152, 65536, 98304, 131072];
export const CPU_LADDER = [1, 2, 4, 6, 8, 12, 16];

export interface CpuSpec { model: string; cores: number; mhz: number }
export interface ServerSpec { vendor: string; model: string; cpus: CpuSpec[]; memGB: number[]; serial: 'dell' | 'hpe' | 'lenovo' }

const C = {
  g6230: { model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz', cores: 20, mhz: 2095 },
  g6248r: { model: 'Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz', cores: 24, mhz: 2993 },
  g6338: { model: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', cores: 32, mhz: 1995 },
  g6342: { model: 'Intel(R) Xeon(R) Gold 6342 CPU @ 2.80GHz', cores: 24, mhz: 2793 },
  g6348: { model: 'Intel(R) Xeon(R) Gold 6348 CPU @ 2.60GHz', cores: 28, mhz: 2594 },
  p8380: { model: 'Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz', cores: 40, mhz: 2294 },
  g6430: { model: 'Intel(R) Xeon(R) Gold 6430', cores: 32, mhz: 2095 },
  g6448y: { model: 'Intel(R) Xeon(R) Gold 6448Y', cores: 32, mhz: 2095 },
  p8480: { model: 'Intel(R) Xeon(R) Platinum 8480+', cores: 56, mhz: 1995 },
  e7543: { model: 'AMD EPYC 7543 32-Core Processor', cores: 32, mhz: 2794 },
  e7763: { model: 'AMD EPYC 7763 64-Core Processor', cores: 64, mhz: 2445 },
  e9354: { model: 'AMD EPYC 9354 32-Core Processor', cores: 32, mhz: 3245 },
  e9454: { model: 'AMD EPYC 9454 48-Core Processor', cores: 48, mhz: 2745 },
} satisfies Record<string, CpuSpec>;

export const SERVERS: ServerSpec[] = [
  { vendor: 'Dell Inc.', model: 'PowerEdge R740', cpus: [C.g6230, C.g6248r], memGB: [768, 1024], serial: 'dell' },
  { vendor: 'Dell Inc.', model: 'PowerEdge R650', cpus: [C.g6338, C.g6342], memGB: [768, 1024], serial: 'dell' },
  { vendor: 'Dell Inc.', model: 'PowerEdge R750', cpus: [C.g6348, C.p8380], memGB: [1024, 1536], serial: 'dell' },
  { vendor: 'Dell Inc.', model: 'PowerEdge R760', cpus: [C.g6430, C.g6448y, C.p8480], memGB: [1024, 2048], serial: 'dell' },
  { vendor: 'Dell Inc.', model: 'PowerEdge R7525', cpus: [C.e7543, C.e7763], memGB: [1024, 2048], serial: 'dell' },
  { vendor: 'Dell Inc.', model: 'PowerEdge R7625', cpus: [C.e9354, C.e9454], memGB: [1536, 2048], serial: 'dell' },
  { vendor: 'HPE', model: 'ProLiant DL380 Gen10', cpus: [C.g6230, C.g6248r], memGB: [768, 1024], serial: 'hpe' },
  { vendor: 'HPE', model: 'ProLiant DL360 Gen10 Plus', cpus: [C.g6338, C.g6342], memGB: [768, 1024], serial: 'hpe' },
  { vendor: 'HPE', model: 'ProLiant DL380 Gen10 Plus', cpus: [C.g6348, C.p8380], memGB: [1024, 1536], serial: 'hpe' },
  { vendor: 'HPE', model: 'ProLiant DL385 Gen10 Plus v2', cpus: [C.e7543, C.e7763], memGB: [1024, 2048], serial: 'hpe' },
  { vendor: 'HPE', model: 'ProLiant DL380 Gen11', cpus: [C.g6430, C.g6448y], memGB: [1024, 2048], serial: 'hpe' },
  { vendor: 'Lenovo', model: 'ThinkSystem SR650', cpus: [C.g6230, C.g6248r], memGB: [768], serial: 'lenovo' },
  { vendor: 'Lenovo', model: 'ThinkSystem SR650 V2', cpus: [C.g6338, C.g6348], memGB: [1024, 1536], serial: 'lenovo' },
  { vendor: 'Lenovo', model: 'ThinkSystem SR665', cpus: [C.e7543, C.e7763], memGB: [1024, 2048], serial: 'lenovo' },
  { vendor: 'Lenovo', model: 'ThinkSystem SR650 V3', cpus: [C.g6430, C.p8480], memGB: [1024, 2048], serial: 'lenovo' },
];

/** ESXi releases (version, build, release date), oldest first. */
export const ESXI_BUILDS: Array<{ version: string; build: string; date: string }> = [
  ['7.0.3', '19193900', '2022-01-27'], ['7.0.3', '19482537', '2022-03-29'], ['7.0.3', '20036589', '2022-07-12'],
  ['7.0.3', '20328353', '2022-09-01'], ['7.0.3', '20842708', '2022-12-08'], ['7.0.3', '21313628', '2023-02-21'],
  ['7.0.3', '21424296', '2023-03-30'], ['7.0.3', '21686933', '2023-05-03'], ['7.0.3', '21930508', '2023-07-06'],
  ['7.0.3', '22348816', '2023-09-28'], ['7.0.3', '23307199', '2024-03-05'], ['7.0.3', '23794027', '2024-05-21'],
  ['7.0.3', '24411414', '2024-12-12'], ['7.0.3', '24585291', '2025-03-04'],
  ['8.0.0', '20513097', '2022-10-11'], ['8.0.0', '21203435', '2023-03-30'], ['8.0.1', '21495797', '2023-04-18'],
  ['8.0.1', '22088125', '2023-07-27'], ['8.0.2', '22380479', '2023-09-21'], ['8.0.2', '23305546', '2024-02-29'],
  ['8.0.2', '23825572', '2024-05-21'], ['8.0.3', '24022510', '2024-06-25'], ['8.0.3', '24280767', '2024-09-17'],
  ['8.0.3', '24414501', '2024-12-12'], ['8.0.3', '24585383', '2025-03-04'], ['8.0.3', '24674464', '2025-04-10'],
  ['8.0.3', '24784735', '2025-07-15'],
].map(([version, build, date]) => ({ version: version!, build: build!, date: date! }));

/** Upgrade tracks a cluster follows: which versions its hosts are patched to. */
export const ESXI_TRACKS: Record<string, string[]> = {
  '7': ['7.0.3'],
  '8': ['8.0.0', '8.0.1', '8.0.2', '8.0.3'],
  '8.0.2': ['8.0.0', '8.0.1', '8.0.2'],
};

/** OUIs of server NICs (vmk0 takes the MAC of the first physical NIC). */
export const NIC_OUIS: Array<[number, number, number]> = [
  [0x00, 0x0a, 0xf7], // Broadcom
  [0x40, 0xa6, 0xb7], // Intel
  [0x0c, 0x42, 0xa1], // Mellanox
  [0xb4, 0x96, 0x91], // Intel
  [0x88, 0xe9, 0xa4], // HPE
];

export interface AlarmDef { id: number; name: string; entityType: 'HostSystem' | 'VirtualMachine' | 'Datastore' }
export const ALARMS = {
  hostCpu: { id: 1, name: 'Host CPU usage', entityType: 'HostSystem' },
  hostMem: { id: 2, name: 'Host memory usage', entityType: 'HostSystem' },
  dsUsage: { id: 6, name: 'Datastore usage on disk', entityType: 'Datastore' },
  vmCpu: { id: 9, name: 'Virtual machine CPU usage', entityType: 'VirtualMachine' },
  vmMem: { id: 10, name: 'Virtual machine memory usage', entityType: 'VirtualMachine' },
  vmConsolidation: { id: 41, name: 'Virtual machine Consolidation Needed status', entityType: 'VirtualMachine' },
  vmReady: { id: 101, name: 'VM CPU Ready above 10%', entityType: 'VirtualMachine' },
  vmSnapshot: { id: 102, name: 'VM snapshot older than 3 days', entityType: 'VirtualMachine' },
  hostFan: { id: 31, name: 'Host hardware fan status', entityType: 'HostSystem' },
  hostPower: { id: 32, name: 'Host hardware power status', entityType: 'HostSystem' },
  hostMemHw: { id: 33, name: 'Host memory status', entityType: 'HostSystem' },
  hostStorage: { id: 34, name: 'Host storage status', entityType: 'HostSystem' },
  uplink: { id: 55, name: 'Network uplink redundancy lost', entityType: 'HostSystem' },
} satisfies Record<string, AlarmDef>;

export const OPERATORS = ['CORP\\j.meijer', 'CORP\\a.schmidt', 'CORP\\m.rossi', 'CORP\\s.okafor', 'CORP\\l.nguyen', 'CORP\\p.kowalski', 'VSPHERE.LOCAL\\Administrator'];
export const AUTOMATION = ['CORP\\svc-terraform', 'CORP\\svc-ansible', 'CORP\\svc-vra'];
export const SESSION_USERS: Array<{ user: string; agent: string }> = [
  { user: 'CORP\\svc-veeam', agent: 'VMware vim-java 1.0' },
  { user: 'CORP\\svc-vrops', agent: 'VMware Aria Operations' },
  { user: 'CORP\\svc-n8n', agent: 'vmi/0.1' },
  { user: 'CORP\\svc-terraform', agent: 'Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-vsphere/2.10.0' },
  { user: 'CORP\\j.meijer', agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0' },
  { user: 'CORP\\a.schmidt', agent: 'PowerCLI/13.3.0' },
  { user: 'CORP\\l.nguyen', agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0' },
  { user: 'VSPHERE.LOCAL\\Administrator', agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1.15' },
];

export const TEAMS = ['Team Web', 'DBA', 'Platform Engineering', 'Middleware', 'Workplace', 'Security', 'Network Operations', 'Data & Analytics'];

export const BACKUP_POLICIES = ['veeam-gold-daily-30d', 'veeam-silver-daily-14d', 'veeam-bronze-weekly', 'none'];

/** Known sites: second octet of their 10.x networks, UTC offset (hours), datacenter count. */
export const SITES: Record<string, { octet: number; tz: number; dcs: number; city: string }> = {
  ams: { octet: 10, tz: 1, dcs: 2, city: 'Amsterdam' },
  fra: { octet: 20, tz: 1, dcs: 1, city: 'Frankfurt' },
  nyc: { octet: 30, tz: -5, dcs: 2, city: 'New York' },
  lon: { octet: 40, tz: 0, dcs: 1, city: 'London' },
  par: { octet: 50, tz: 1, dcs: 1, city: 'Paris' },
  sfo: { octet: 60, tz: -8, dcs: 1, city: 'San Francisco' },
  sin: { octet: 70, tz: 8, dcs: 1, city: 'Singapore' },
  syd: { octet: 80, tz: 10, dcs: 1, city: 'Sydney' },
  tok: { octet: 90, tz: 9, dcs: 1, city: 'Tokyo' },
};

/** Names real estates have: Unicode, spaces, ampersands, escaped slashes, very long ones. */
export function awkwardNames(site: string): string[] {
  const S = site.toUpperCase();
  return [
    `${site}-sap-hana-prd-01-scale-out-worker-node-with-an-unreasonably-long-name`,
    `Ämter-Portal (alt) – ${S}`,
    `R&D build box ${site}`,
    `${site}  reporting  srv`,
    `测试服务器-${site}-01`,
    `backup%2frestore-test-${site}`,
    `🚀 launchpad ${site}`,
  ];
}
