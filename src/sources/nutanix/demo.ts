// A generated Prism Central for `vmi demo` (a demo source demo://<site>?vms=N&seed=S&platform=nutanix).
// It builds the v4.0 entities a real Prism Central would list and hands them to the same mapping
// (toInventory), worker, diff and sealing as a real one. Deterministic: the same parameters and time
// give the same estate; every ten minutes a few VMs change power state or memory.
import type { SourceConfig } from '../../config.js';
import type { Inventory } from '../../model/records.js';
import type { Collector, LiveUpdate, SourceDetail } from '../collector.js';
import { parseDemoUrl, type DemoParams } from '../demo/index.js';
import { hash3, u3, uuidOf } from '../demo/rand.js';
import { toInventory, type PcEstate } from './convert.js';

type Obj = Record<string, unknown>;
const GiB = 1024 ** 3;
const ROLES = ['web', 'app', 'db', 'k8s-worker', 'cache', 'mq', 'etl', 'vdi', 'ci-runner', 'backup'];
const OSES = ['Linux Ubuntu 22.04', 'Linux Red Hat Enterprise Linux 9', 'Windows Server 2022', 'Linux Rocky Linux 9', 'Windows Server 2019'];
const MEM_GB = [2, 4, 8, 16, 32, 64];
const CPU = [[1, 2], [2, 1], [2, 2], [4, 1], [4, 2], [8, 1]];
const PERIOD_MS = 10 * 60_000;

export function demoPrismEstate(p: DemoParams, now: Date): PcEstate {
  const s = p.seed;
  const id = (kind: number, n: number) => uuidOf(s, kind, n, 0x70c);
  const clusters: Obj[] = [0, 1].map((c) => ({
    extId: id(1, c), name: `ntx-${p.site}-0${c + 1}`,
    nodes: { numberOfNodes: 4 },
    config: { hypervisorTypes: ['AHV'], clusterFunction: ['AOS'], buildInfo: { version: c === 0 ? '7.0.1' : '6.10.1' } },
    network: { externalAddress: { ipv4: { value: `10.40.${c}.10` } } },
  }));
  clusters.push({ extId: id(1, 9), name: 'Unnamed', config: { hypervisorTypes: ['$UNKNOWN'], clusterFunction: ['PRISM_CENTRAL'] } });
  const hosts: Obj[] = [];
  for (let c = 0; c < 2; c++) {
    for (let h = 0; h < 4; h++) {
      const n = c * 4 + h;
      hosts.push({
        extId: id(2, n), hostName: `ntx-${p.site}-0${c + 1}-n${h + 1}`, hostType: 'HYPER_CONVERGED',
        hypervisor: { externalAddress: { ipv4: { value: `10.40.${c}.${21 + h}` } }, fullName: 'AHV 10.0.1', type: 'AHV', acropolisConnectionState: 'CONNECTED' },
        cluster: { uuid: id(1, c), name: clusters[c]!.name },
        controllerVm: { externalAddress: { ipv4: { value: `10.40.${c}.${31 + h}` } }, isInMaintenanceMode: false },
        numberOfCpuSockets: 2, numberOfCpuCores: 48, numberOfCpuThreads: 96, cpuFrequencyHz: 2_400_000_000,
        cpuModel: 'Intel(R) Xeon(R) Gold 6442Y', memorySizeBytes: 1024 * GiB,
        bootTimeUsecs: (Date.UTC(2026, 0, 10) + n * 3_600_000) * 1000, blockSerial: `23SM7K${(hash3(s, 2, n, 1) % 1_000_000).toString().padStart(6, '0')}`,
        blockModel: 'NX-8170-G9', ipmi: { ip: { ipv4: { value: `10.41.${c}.${21 + h}` } } },
      });
    }
  }
  const containers: Obj[] = [0, 1].map((c) => ({ containerExtId: id(3, c), name: `ctr-${p.site}-0${c + 1}`, clusterExtId: id(1, c), maxCapacityBytes: 200 * 1024 * GiB }));
  const subnets: Obj[] = [
    ...[0, 1].flatMap((c) => [110, 120, 130].map((vlan, i) => ({ extId: id(4, c * 10 + i), name: `vlan${vlan}-${p.site}-0${c + 1}`, subnetType: 'VLAN', networkId: vlan, bridgeName: 'br0', clusterReference: id(1, c) }))),
    { extId: id(4, 99), name: `overlay-${p.site}-apps`, subnetType: 'OVERLAY' },
  ];
  const categories: Obj[] = [
    ...['Production', 'Test', 'Dev'].map((v, i) => ({ extId: id(5, i), key: 'Environment', value: v })),
    ...['Gold', 'Silver'].map((v, i) => ({ extId: id(5, 10 + i), key: 'Backup', value: v })),
  ];
  const tick = Math.floor(now.getTime() / PERIOD_MS);
  const vms: Obj[] = [];
  for (let i = 0; i < p.vms; i++) {
    const h = hash3(s, 7, i, 0);
    const c = h % 2;
    const role = ROLES[(h >>> 3) % ROLES.length]!;
    const [sockets, cores] = CPU[(h >>> 8) % CPU.length]!;
    // A few VMs change every period: power flips, memory grows.
    const flip = u3(s, 8, i, tick) < 0.01;
    const grow = u3(s, 9, i, tick) < 0.005 ? 2 : 1;
    const on = ((h >>> 12) % 10 !== 0) !== flip;
    const host = id(2, c * 4 + ((h >>> 16) % 4));
    const subnet = id(4, c * 10 + ((h >>> 20) % 3));
    vms.push({
      extId: id(7, i), name: `ntx-${p.site}-${role}-${String(i + 1).padStart(4, '0')}`,
      description: role === 'db' ? 'database server, see the runbook' : undefined,
      createTime: new Date(Date.UTC(2025, 0, 1) + (h % 400) * 86_400_000).toISOString(),
      powerState: on ? 'ON' : 'OFF', numSockets: sockets, numCoresPerSocket: cores, numThreadsPerCore: 1,
      memorySizeBytes: MEM_GB[(h >>> 24) % MEM_GB.length]! * GiB * grow, biosUuid: id(8, i),
      ...(on ? { host: { extId: host } } : {}),
      cluster: { extId: id(1, c) },
      guestTools: { isInstalled: (h >>> 4) % 4 !== 0, isEnabled: true, isReachable: on, guestOsVersion: OSES[(h >>> 5) % OSES.length] },
      disks: Array.from({ length: 1 + ((h >>> 6) % 3) }, (_, d) => ({
        extId: uuidOf(s, 10, i, d), diskAddress: { busType: 'SCSI', index: d },
        backingInfo: { diskSizeBytes: (d === 0 ? 60 : 100 * (1 + ((h >>> (d + 9)) % 5))) * GiB, storageContainer: { extId: id(3, c) } },
      })),
      cdRoms: [{ diskAddress: { busType: 'IDE', index: 0 } }],
      nics: [{
        extId: uuidOf(s, 13, i, 0),
        backingInfo: { macAddress: `50:6b:8d:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, isConnected: true },
        networkInfo: { vlanMode: 'ACCESS', subnet: { extId: subnet },
          ipv4Config: { ipAddress: { value: `10.${110 + ((h >>> 20) % 3) * 10}.${c * 100 + ((i >> 8) & 63)}.${(i & 255) || 1}` } } },
      }],
      categories: [{ extId: id(5, (h >>> 14) % 3) }, ...(role === 'db' ? [{ extId: id(5, 10) }] : [])],
    });
  }
  const alerts: Obj[] = [
    { extId: id(6, tick % 3), title: 'Storage container space usage high', severity: 'WARNING', isResolved: false, lastOccurredTime: new Date(tick * PERIOD_MS).toISOString(), clusterUUID: id(1, 1) },
    { extId: id(6, 100), title: 'CVM NTP time not synchronized', severity: 'CRITICAL', isResolved: false, lastOccurredTime: '2026-03-01T08:00:00.000Z', clusterUUID: id(1, 0), sourceEntity: { name: hosts[2]!.hostName, type: 'host' } },
  ];
  return { clusters, hosts, vms, containers, subnets, categories, alerts };
}

/** The demo's Prism Central: polled like a real one, no credentials needed. */
export class DemoPrismCollector implements Collector {
  private readonly params: DemoParams;

  constructor(src: SourceConfig) {
    this.params = parseDemoUrl(src.url);
  }

  async full(): Promise<Inventory> {
    return toInventory(demoPrismEstate(this.params, new Date()));
  }

  live(_onUpdate: (u: LiveUpdate) => void, signal: AbortSignal): Promise<'aborted' | 'resync'> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
  }

  detail(): SourceDetail {
    return { polling: true, api: 'v4.0' };
  }

  async close(): Promise<void> {}
}

/** The demo's Prism Central next to its vCenters: a tenth of their VMs, 50 to 400. */
export function demoPrismSource(totalVms = 3000, seed = 1): { name: string; url: string } {
  const vms = Math.max(50, Math.min(400, Math.round(totalVms / 10)));
  return { name: 'ntx-ams', url: `demo://ams?vms=${vms}&seed=${seed}&platform=nutanix` };
}
