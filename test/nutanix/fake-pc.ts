// A fake Prism Central for tests and benchmarks: a real HTTPS server on 127.0.0.1 with a
// self-signed certificate, HTTP Basic then a session cookie, v4.0 lists paged with $page/$limit,
// the v3 POST list API, and a Prism Element mode. Entities follow the public v4.0/v3 shapes
// (see the reference notes on Prism Central). Tests bend it with `hook` (answer a request
// their own way) and by editing the entity arrays.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Obj = Record<string, any>;

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Obj | undefined;
  auth: 'basic' | 'cookie' | 'none';
  at: number;
}

export interface FakeOptions {
  vms?: number;
  username?: string;
  password?: string;
  /** 'v4': pc.2024.3 and later; 'v3': an older Prism Central (v4 paths 404); 'pe': a Prism Element. */
  mode?: 'v4' | 'v3' | 'pe';
  /** Added to every answer (ms). */
  delayMs?: number;
  /** Largest v3 page the server returns, whatever length is asked (real ones cap at 500). */
  v3Cap?: number;
}

let cert: { key: Buffer; cert: Buffer; thumbprint: string; pem: string } | undefined;

/** A self-signed certificate for 127.0.0.1, made once per process with openssl. */
export function testCertificate(): { key: Buffer; cert: Buffer; thumbprint: string; pem: string } {
  if (cert) return cert;
  const dir = mkdtempSync(join(tmpdir(), 'vmi-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    const c = readFileSync(join(dir, 'c.pem'));
    cert = { key: readFileSync(join(dir, 'k.pem')), cert: c, pem: c.toString(), thumbprint: new X509Certificate(c).fingerprint256.toUpperCase() };
    return cert;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const hex = (n: number, w = 12) => n.toString(16).padStart(w, '0');
const uuid = (kind: number, n: number) => `0000${hex(kind, 4)}-0000-4000-8000-${hex(n)}`;

export const CLUSTER = uuid(1, 1);
export const PC_CLUSTER = uuid(1, 2);

/** A small realistic estate: one AOS cluster of 3 AHV nodes, Prism Central's pseudo-cluster, N VMs. */
export function estate(nVms: number) {
  const clusters: Obj[] = [
    {
      extId: CLUSTER, name: 'ntx-prod', vmCount: nVms,
      nodes: { numberOfNodes: 3, nodeList: [] },
      config: { hypervisorTypes: ['AHV'], clusterFunction: ['AOS'], buildInfo: { version: '7.0' },
        clusterSoftwareMap: [{ softwareType: 'NOS', version: 'el8.5-release-ganges-7.0.1-stable' }] },
      network: { externalAddress: { ipv4: { value: '10.9.0.10' } } },
    },
    { extId: PC_CLUSTER, name: 'Unnamed', config: { hypervisorTypes: ['$UNKNOWN'], clusterFunction: ['PRISM_CENTRAL'] } },
  ];
  const hosts: Obj[] = [1, 2, 3].map((i) => ({
    extId: uuid(2, i), hostName: `ntx-node-0${i}`, hostType: 'HYPER_CONVERGED',
    hypervisor: { externalAddress: { ipv4: { value: `10.9.0.${20 + i}` } }, fullName: 'AHV 10.0.1', type: 'AHV', numberOfVms: 0, acropolisConnectionState: 'CONNECTED' },
    cluster: { name: 'ntx-prod', uuid: CLUSTER },
    controllerVm: { externalAddress: { ipv4: { value: `10.9.0.${30 + i}` } }, isInMaintenanceMode: false },
    numberOfCpuCores: 40, numberOfCpuThreads: 80, numberOfCpuSockets: 2, cpuFrequencyHz: 2100000000,
    cpuModel: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz', memorySizeBytes: 768 * 1024 ** 3,
    bootTimeUsecs: 1749030437021784, blockSerial: `20SM6K30037${i}`, blockModel: 'NX-3060-G7',
    ipmi: { ip: { ipv4: { value: `10.9.1.${20 + i}` } } },
  }));
  hosts.push({ extId: uuid(2, 9), hostName: 'pc-node', cluster: { name: 'Unnamed', uuid: PC_CLUSTER }, hypervisor: { type: '$UNKNOWN' } });
  const containers: Obj[] = [
    { containerExtId: uuid(3, 1), name: 'default-container', clusterExtId: CLUSTER, maxCapacityBytes: 40 * 1024 ** 4, replicationFactor: 2 },
    { containerExtId: uuid(3, 2), name: 'pc-container', clusterExtId: PC_CLUSTER, maxCapacityBytes: 1024 ** 4 },
  ];
  const subnets: Obj[] = [
    { extId: uuid(4, 1), name: 'vlan110-prod', subnetType: 'VLAN', networkId: 110, bridgeName: 'br0', clusterReference: CLUSTER },
    { extId: uuid(4, 2), name: 'vlan120-dmz', subnetType: 'VLAN', networkId: 120, bridgeName: 'br0', clusterReference: CLUSTER },
    { extId: uuid(4, 3), name: 'overlay-apps', subnetType: 'OVERLAY', networkId: 0, vpcReference: uuid(9, 1) },
  ];
  const categories: Obj[] = [
    { extId: uuid(5, 1), key: 'Environment', value: 'Production' },
    { extId: uuid(5, 2), key: 'Environment', value: 'Dev' },
    { extId: uuid(5, 3), key: 'AppType', value: 'Web' },
  ];
  const alerts: Obj[] = [
    { extId: uuid(6, 1), title: 'Disk space usage high', severity: 'CRITICAL', isResolved: false, isAcknowledged: false,
      lastOccurredTime: '2026-03-01T10:00:00Z', clusterUUID: CLUSTER, sourceEntity: { name: 'ntx-node-01', type: 'host' } },
    { extId: uuid(6, 2), title: 'NTP not configured', severity: 'WARNING', isResolved: false, isAcknowledged: true,
      lastOccurredTime: '2026-03-02T10:00:00Z', clusterUUID: CLUSTER },
    { extId: uuid(6, 3), title: 'Upgrade available', severity: 'INFO', isResolved: false, lastOccurredTime: '2026-03-02T10:00:00Z' },
    { extId: uuid(6, 4), title: 'CVM rebooted', severity: 'CRITICAL', isResolved: true, lastOccurredTime: '2026-02-02T10:00:00Z' },
  ];
  const vms: Obj[] = [];
  for (let i = 1; i <= nVms; i++) vms.push(vmEntity(i));
  return { clusters, hosts, containers, subnets, categories, alerts, vms };
}

export function vmEntity(i: number): Obj {
  const on = i % 5 !== 0;
  const host = uuid(2, (i % 3) + 1);
  return {
    extId: uuid(7, i), name: `ntx-app-${String(i).padStart(5, '0')}`, description: i % 4 === 0 ? `app ${i}` : undefined,
    createTime: '2025-04-28T14:27:39.495755Z', updateTime: '2025-05-26T13:54:24.372435Z',
    powerState: on ? 'ON' : 'OFF', numSockets: 2, numCoresPerSocket: 2, numThreadsPerCore: 1,
    memorySizeBytes: 8 * 1024 ** 3, machineType: 'PC', biosUuid: uuid(8, i),
    ...(on ? { host: { extId: host } } : {}),
    cluster: { extId: CLUSTER },
    guestTools: { isInstalled: i % 2 === 0, isEnabled: true, isReachable: on, guestOsVersion: i % 3 === 0 ? 'Windows Server 2022' : 'Linux Ubuntu 22.04' },
    disks: [
      { extId: uuid(10, i * 2), diskAddress: { busType: 'SCSI', index: 0 },
        backingInfo: { diskExtId: uuid(11, i * 2), diskSizeBytes: 40 * 1024 ** 3, storageContainer: { extId: uuid(3, 1) } } },
      { extId: uuid(10, i * 2 + 1), diskAddress: { busType: 'SCSI', index: 1 },
        backingInfo: { diskExtId: uuid(11, i * 2 + 1), diskSizeBytes: 100 * 1024 ** 3, storageContainer: { extId: uuid(3, 1) } } },
    ],
    cdRoms: [{ extId: uuid(12, i), diskAddress: { busType: 'IDE', index: 0 }, isoType: 'OTHER' }],
    nics: [{
      extId: uuid(13, i),
      backingInfo: { macAddress: `50:6B:8D:${hex(i >> 16 & 255, 2)}:${hex(i >> 8 & 255, 2)}:${hex(i & 255, 2)}`, isConnected: true, model: 'VIRTIO' },
      networkInfo: { nicType: 'NORMAL_NIC', vlanMode: 'ACCESS', subnet: { extId: uuid(4, (i % 2) + 1) },
        ...(i % 2 === 0 ? { ipv4Config: { ipAddress: { value: `10.110.${i >> 8 & 255}.${i & 255}` } } } : {}),
        ...(on ? { ipv4Info: { learnedIpAddresses: [{ value: `10.120.${i >> 8 & 255}.${i & 255}`, prefixLength: 32 }] } } : {}) },
    }],
    categories: [{ extId: uuid(5, (i % 2) + 1) }, ...(i % 3 === 0 ? [{ extId: uuid(5, 3) }] : [])],
    protectionType: 'UNPROTECTED',
  };
}

const V4: Record<string, keyof ReturnType<typeof estate>> = {
  '/api/clustermgmt/v4.0/config/clusters': 'clusters',
  '/api/clustermgmt/v4.0/config/hosts': 'hosts',
  '/api/clustermgmt/v4.0/config/storage-containers': 'containers',
  '/api/networking/v4.0/config/subnets': 'subnets',
  '/api/prism/v4.0/config/categories': 'categories',
  '/api/monitoring/v4.0/serviceability/alerts': 'alerts',
  '/api/vmm/v4.0/ahv/config/vms': 'vms',
};

// ---- v3 shapes of the same estate ----
function v3Of(kind: string, e: ReturnType<typeof estate>, o: Obj): Obj {
  const catOf = (id: string) => e.categories.find((c) => c.extId === id);
  switch (kind) {
    case 'cluster':
      return { metadata: { uuid: o.extId, kind }, status: { name: o.name, resources: {
        config: { service_list: o.config?.clusterFunction?.includes('PRISM_CENTRAL') ? ['PRISM_CENTRAL'] : ['AOS'],
          software_map: { NOS: { version: o.config?.buildInfo?.version ?? 'pc' } } },
        nodes: { hypervisor_server_list: [...Array(o.nodes?.numberOfNodes ?? 0)].map((_, i) => ({ ip: `10.9.0.${21 + i}`, type: 'AHV' })).concat([{ ip: '127.0.0.1', type: 'AHV' }]) },
        network: { external_ip: o.network?.externalAddress?.ipv4?.value } } } };
    case 'host':
      return { metadata: { uuid: o.extId, kind }, status: { name: o.hostName, cluster_reference: { kind: 'cluster', uuid: o.cluster?.uuid, name: o.cluster?.name },
        resources: { hypervisor: { hypervisor_full_name: o.hypervisor?.fullName, ip: o.hypervisor?.externalAddress?.ipv4?.value },
          cpu_model: o.cpuModel, num_cpu_sockets: o.numberOfCpuSockets, num_cpu_cores: o.numberOfCpuCores,
          memory_capacity_mib: o.memorySizeBytes ? o.memorySizeBytes / 1024 ** 2 : undefined,
          block: { block_serial_number: o.blockSerial, block_model: o.blockModel },
          ipmi: { ip: o.ipmi?.ip?.ipv4?.value }, controller_vm: { ip: o.controllerVm?.externalAddress?.ipv4?.value } } } };
    case 'subnet':
      return { metadata: { uuid: o.extId, kind }, status: { name: o.name,
        ...(o.subnetType === 'VLAN' ? { cluster_reference: { kind: 'cluster', uuid: o.clusterReference, name: 'ntx-prod' } } : {}),
        resources: { subnet_type: o.subnetType, ...(o.subnetType === 'VLAN' ? { vlan_id: o.networkId } : {}), vswitch_name: o.bridgeName } } };
    default: {
      const cats: Obj = {};
      for (const c of o.categories ?? []) {
        const cat = catOf(c.extId);
        if (cat) cats[cat.key] = cat.value;
      }
      const nic = o.nics[0];
      const eps: Obj[] = [];
      if (nic.networkInfo.ipv4Config) eps.push({ ip: nic.networkInfo.ipv4Config.ipAddress.value, type: 'ASSIGNED' });
      for (const l of nic.networkInfo.ipv4Info?.learnedIpAddresses ?? []) eps.push({ ip: l.value, type: 'LEARNED' });
      return {
        metadata: { uuid: o.extId, kind: 'vm', creation_time: o.createTime, categories: cats },
        status: { name: o.name, description: o.description, cluster_reference: { kind: 'cluster', uuid: CLUSTER, name: 'ntx-prod' },
          resources: {
            power_state: o.powerState, num_sockets: o.numSockets, num_vcpus_per_socket: o.numCoresPerSocket, num_threads_per_core: o.numThreadsPerCore,
            memory_size_mib: o.memorySizeBytes / 1024 ** 2, hypervisor_type: 'AHV', bios_uuid: o.biosUuid,
            ...(o.host ? { host_reference: { kind: 'host', uuid: o.host.extId, name: e.hosts.find((h) => h.extId === o.host.extId)?.hostName } } : {}),
            disk_list: [
              ...o.disks.map((d: Obj) => ({ uuid: d.extId, disk_size_bytes: d.backingInfo.diskSizeBytes,
                storage_config: { storage_container_reference: { kind: 'storage_container', uuid: d.backingInfo.storageContainer.extId, name: 'default-container' } },
                device_properties: { device_type: 'DISK', disk_address: { adapter_type: d.diskAddress.busType, device_index: d.diskAddress.index } } })),
              { uuid: o.cdRoms[0].extId, device_properties: { device_type: 'CDROM', disk_address: { adapter_type: 'IDE', device_index: 0 } } },
            ],
            nic_list: [{ uuid: nic.extId, nic_type: 'NORMAL_NIC', vlan_mode: 'ACCESS', mac_address: nic.backingInfo.macAddress.toLowerCase(),
              is_connected: true, subnet_reference: { kind: 'subnet', uuid: nic.networkInfo.subnet.extId }, ip_endpoint_list: eps }],
          } },
      };
    }
  }
}

export type Hook = (r: FakeRequest, res: ServerResponse) => boolean | void | Promise<boolean | void>;

export class FakePrismCentral {
  readonly username: string;
  readonly password: string;
  mode: 'v4' | 'v3' | 'pe';
  delayMs: number;
  v3Cap: number;
  data: ReturnType<typeof estate>;
  readonly requests: FakeRequest[] = [];
  /** Answers a request its own way when it returns true (then the normal handling is skipped). */
  hook: Hook | undefined;
  /** Rewrites the page a v4 list is about to send (totals, data...). */
  pageHook: ((path: string, page: number, body: Obj) => Obj) | undefined;
  private sessions = new Set<string>();
  private nextSession = 1;
  private server!: https.Server;
  inFlight = 0;
  maxInFlight = 0;
  url = '';
  thumbprint = '';
  pem = '';

  constructor(o: FakeOptions = {}) {
    this.username = o.username ?? 'svc-vmi';
    this.password = o.password ?? 'Nutanix/4u:ü';
    this.mode = o.mode ?? 'v4';
    this.delayMs = o.delayMs ?? 0;
    this.v3Cap = o.v3Cap ?? 500;
    this.data = estate(o.vms ?? 25);
  }

  async start(): Promise<this> {
    const c = testCertificate();
    this.thumbprint = c.thumbprint;
    this.pem = c.pem;
    this.server = https.createServer({ key: c.key, cert: c.cert }, (req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Ends every session: the next request with a cookie gets a 401. */
  expireSessions(): void {
    this.sessions.clear();
  }

  get basicCount(): number {
    return this.requests.filter((r) => r.auth === 'basic').length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    let raw = '';
    for await (const c of req) raw += c;
    const u = new URL(req.url ?? '/', 'https://x');
    const r: FakeRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, body: undefined, auth: 'none', at: Date.now() };
    try {
      r.body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* left undefined */
    }
    this.requests.push(r);
    if (this.delayMs) await new Promise((d) => setTimeout(d, this.delayMs));
    // Authentication: a known session cookie, else Basic.
    const cookie = /NTNX_IAM_SESSION=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (cookie && this.sessions.has(cookie)) r.auth = 'cookie';
    else if (basic) {
      r.auth = 'basic';
      if (Buffer.from(basic, 'base64').toString('utf8') !== `${this.username}:${this.password}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="Intent Gateway Login Required"', 'content-type': 'text/plain' });
        res.end('Unauthorized');
        return;
      }
    }
    if (r.auth === 'none') {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Intent Gateway Login Required"' });
      res.end();
      return;
    }
    const headers: Record<string, string | string[]> = { 'content-type': 'application/json', 'x-ntnx-env': this.mode === 'pe' ? 'pe' : 'pc', 'x-ntnx-product': 'pc.2024.3.1.1' };
    if (r.auth === 'basic') {
      const s = `sess-${this.nextSession++}`;
      this.sessions.add(s);
      headers['set-cookie'] = [`NTNX_IAM_SESSION=${s}; Path=/; Secure; HttpOnly`, `NTNX_MERCURY_IAM_SESSION=m${s}; Path=/; Secure; HttpOnly`];
    }
    if (this.hook && (await this.hook(r, res))) return;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, headers);
      res.end(JSON.stringify(body));
    };
    if (this.mode === 'pe') {
      if (r.path === '/api/nutanix/v2.0/cluster') return json(200, { id: 'x::1', uuid: CLUSTER, name: 'ntx-prod', version: '6.5' });
      return json(404, { message: 'The requested URL was not found on the server' });
    }
    const v4 = V4[r.path];
    if (v4 && r.method === 'GET' && this.mode === 'v4') {
      const page = Number(r.query.get('$page') ?? 0);
      const limit = Number(r.query.get('$limit') ?? 50);
      if (!(limit >= 1 && limit <= 100)) {
        return json(400, { data: { $errorItemDiscriminator: 'List<prism.v4.error.AppMessage>', error: [{ message: `$limit must be between 1 and 100, got ${limit}`, errorGroup: 'SCHEMA_VALIDATION' }] } });
      }
      const all = this.data[v4];
      const items = all.slice(page * limit, page * limit + limit);
      let body: Obj = {
        ...(items.length ? { data: items } : {}),
        $objectType: 'ListApiResponse',
        metadata: {
          totalAvailableResults: all.length,
          flags: [{ name: 'hasError', value: false }, { name: 'isPaginated', value: true }],
          // Real ones point at the internal address over http: a client must never follow them.
          links: [{ href: `http://192.0.2.1/api${r.path}?$page=${page + 1}&$limit=${limit}`, rel: 'next' }],
        },
      };
      if (this.pageHook) body = this.pageHook(r.path, page, body);
      return json(200, body);
    }
    const v3 = /^\/api\/nutanix\/v3\/(vm|host|cluster|subnet)s\/list$/.exec(r.path);
    if (v3 && r.method === 'POST' && this.mode === 'v3') {
      const kind = v3[1]!;
      const key = ({ vm: 'vms', host: 'hosts', cluster: 'clusters', subnet: 'subnets' } as const)[kind as 'vm'];
      const offset = Number(r.body?.offset ?? 0);
      const length = Math.min(Number(r.body?.length ?? 20), 500, this.v3Cap);
      const all = this.data[key];
      const entities = all.slice(offset, offset + length).map((o) => v3Of(kind, this.data, o));
      return json(200, { api_version: '3.1', metadata: kind === 'cluster' ? { kind, total_matches: all.length } : { kind, offset, length: entities.length, total_matches: all.length }, entities });
    }
    return json(404, { message: 'The requested URL was not found on the server' });
  }
}

/** A v4 error body as Prism Central sends it. */
export function v4Error(message: string, errorGroup = 'ENTITY_NOT_FOUND'): Obj {
  return { $dataItemDiscriminator: 'vmm.v4.error.ErrorResponse', data: { $errorItemDiscriminator: 'List<vmm.v4.error.AppMessage>',
    error: [{ $objectType: 'vmm.v4.error.AppMessage', errorGroup, code: 'PLAT-10004', message }] } };
}
