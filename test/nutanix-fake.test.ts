// The Prism Central collector against a fake Prism Central (HTTPS, Basic then cookies, paging,
// v3 fallback, Prism Element) and the quirks real ones show.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VmiError } from '../src/errors.js';
import type { Inventory } from '../src/model/records.js';
import { PrismClient, collectPrism, type PrismClientOptions, type PrismCollectOptions } from '../src/sources/nutanix/index.js';
import { fetchCertificate } from '../src/sources/tls.js';
import { CLUSTER, FakePrismCentral, haveOpenssl, v4Error, vmEntity } from './nutanix/fake-pc.js';

const skip = !haveOpenssl() && 'openssl is not installed (the fake Prism Central needs a certificate)';
const VMS = '/api/vmm/v4.0/ahv/config/vms';

const fakes: FakePrismCentral[] = [];
after(async () => {
  for (const f of fakes) await f.stop();
});

async function fake(o: ConstructorParameters<typeof FakePrismCentral>[0] = {}): Promise<FakePrismCentral> {
  const f = await new FakePrismCentral(o).start();
  fakes.push(f);
  return f;
}

const waits: number[] = [];
function client(f: FakePrismCentral, over: Partial<PrismClientOptions> = {}): PrismClient {
  return new PrismClient({
    url: f.url, name: 'fakepc', username: f.username, password: f.password, thumbprint: f.thumbprint, timeoutMs: 5000,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...over,
  });
}

async function collect(f: FakePrismCentral, over: Partial<PrismClientOptions> = {}, o: Partial<PrismCollectOptions> = {}): Promise<{ inv: Inventory; api: string; c: PrismClient }> {
  const c = client(f, over);
  try {
    const r = await collectPrism(c, { signal: new AbortController().signal, ...o });
    return { inv: r.inventory, api: r.api, c };
  } finally {
    await c.close();
  }
}

async function rejects(p: Promise<unknown>, reason: string, match?: RegExp): Promise<VmiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VmiError, `expected VmiError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.ok(!e.message.includes('\n'), 'one line');
    assert.match(e.message, /Prism Central fakepc/, 'names the source');
    assert.ok(!e.message.includes('Nutanix/4u'), 'no password in messages');
    if (match) assert.match(e.message, match);
    return e;
  }
  assert.fail(`expected ${reason}`);
}

describe('Prism Central v4.0', { skip }, () => {
  let f: FakePrismCentral;
  let inv: Inventory;
  before(async () => {
    f = await fake({ vms: 250 });
    inv = (await collect(f)).inv;
  });

  it('maps VMs: ids, power, vCPUs, memory, disks (not CD-ROMs), NICs with assigned and learned IPs, names joined', () => {
    assert.equal(inv.vms.length, 250);
    const v = inv.vms.find((x) => x.name === 'ntx-app-00002')!;
    const src = vmEntity(2);
    assert.equal(v.ref, src.extId);
    assert.equal(v.biosUuid, src.biosUuid);
    assert.equal(v.powerState, 'poweredOn');
    assert.equal(v.cpus, 4);
    assert.equal(v.memoryMB, 8192);
    assert.equal(v.disks.length, 2, 'the CD-ROM is not a disk');
    assert.deepEqual(v.disks.map((d) => [d.label, d.sizeGB, d.datastore]), [['scsi.0', 40, 'default-container'], ['scsi.1', 100, 'default-container']]);
    assert.equal(v.nics[0].mac, src.nics[0].backingInfo.macAddress.toLowerCase());
    assert.equal(v.nics[0].network, 'vlan110-prod');
    assert.deepEqual(v.nics[0].ipv4, ['10.110.0.2', '10.120.0.2'], 'assigned, then learned');
    assert.equal(v.host, 'ntx-node-03');
    assert.equal(v.cluster, 'ntx-prod');
    assert.equal(v.hypervisor, 'ahv');
    assert.equal(v.createdAt, src.createTime);
    assert.deepEqual(v.customAttributes, { Environment: 'Production' });
    assert.equal(inv.vms.find((x) => x.name === 'ntx-app-00003')!.customAttributes.AppType, 'Web');
    assert.equal(v.datacenter, undefined, 'what Nutanix does not have stays absent');
    const off = inv.vms.find((x) => x.name === 'ntx-app-00005')!;
    assert.equal(off.powerState, 'poweredOff');
    assert.equal(off.host, undefined, 'a powered-off VM has no host');
    assert.equal(inv.vms.find((x) => x.name === 'ntx-app-00004')!.annotation, 'app 4');
  });

  it('maps hosts, clusters, storage containers, subnets and alerts; leaves Prism Central\'s pseudo-cluster out', () => {
    assert.deepEqual(inv.clusters.map((c) => c.name), ['ntx-prod']);
    assert.deepEqual(inv.clusters[0], { ref: CLUSTER, name: 'ntx-prod', hosts: 3, version: '7.0', hypervisors: ['ahv'], address: '10.9.0.10' });
    assert.deepEqual(inv.hosts.map((h) => h.name), ['ntx-node-01', 'ntx-node-02', 'ntx-node-03']);
    const h = inv.hosts[0];
    assert.equal(h.cluster, 'ntx-prod');
    assert.equal(h.cpuPackages, 2);
    assert.equal(h.cpuCores, 40);
    assert.equal(h.cpuThreads, 80);
    assert.equal(h.cpuMhz, 2100);
    assert.equal(h.memoryMB, 768 * 1024);
    assert.equal(h.serial, '20SM6K300371');
    assert.equal(h.model, 'NX-3060-G7');
    assert.equal(h.ipmiIp, '10.9.1.21');
    assert.equal(h.cvmIp, '10.9.0.31');
    assert.equal(h.managementIp, '10.9.0.21');
    assert.equal(h.hypervisor, 'ahv');
    assert.equal(h.version, 'AHV 10.0.1');
    assert.ok(h.bootTime?.startsWith('2025-06-04'));
    assert.equal(inv.hosts.reduce((a, x) => a + (x.vmCount ?? 0), 0), inv.vms.filter((v) => v.powerState === 'poweredOn').length);
    assert.deepEqual(inv.datastores.map((d) => d.name), ['default-container']);
    const ds = inv.datastores[0];
    assert.equal(ds.capacityBytes, 40 * 1024 ** 4);
    assert.equal(ds.shared, true);
    assert.deepEqual(ds.hosts, ['ntx-node-01', 'ntx-node-02', 'ntx-node-03']);
    assert.equal(ds.vms, 250);
    assert.equal(ds.freeBytes, 40 * 1024 ** 4 - 250 * 140 * 1024 ** 3);
    assert.deepEqual(inv.portgroups.map((p) => [p.name, p.vlan, p.networkType]), [['vlan110-prod', 110, 'vlan'], ['vlan120-dmz', 120, 'vlan'], ['overlay-apps', undefined, 'overlay']]);
    assert.deepEqual(inv.alarms.map((a) => [a.alarm, a.status, a.entity, a.acknowledged]), [
      ['Disk space usage high', 'critical', 'ntx-node-01', false], ['NTP not configured', 'warning', 'ntx-prod', true]]);
  });

  it('authenticates with Basic once, then the session cookie; pages of at most 100, a few at a time; never follows links', () => {
    assert.equal(f.basicCount, 1);
    assert.equal(f.requests[0]!.auth, 'basic');
    assert.ok(f.requests.slice(1).every((r) => r.auth === 'cookie'));
    const vmPages = f.requests.filter((r) => r.path === VMS);
    assert.ok(vmPages.every((r) => r.query.get('$limit') === '100'));
    assert.deepEqual(vmPages.map((r) => Number(r.query.get('$page'))).sort(), [0, 1, 2]);
    assert.ok(f.maxInFlight <= 4, `at most 4 requests in flight, saw ${f.maxInFlight}`);
    assert.ok(f.requests.every((r) => r.path.startsWith('/api/')));
  });

  it('an expired session re-authenticates once and goes on', async () => {
    const c = client(f);
    try {
      await collectPrism(c, { signal: new AbortController().signal });
      const before = f.basicCount;
      f.expireSessions();
      const r = await collectPrism(c, { signal: new AbortController().signal });
      assert.equal(r.inventory.vms.length, 250);
      assert.equal(f.basicCount - before, 1, 'one new Basic authentication, however many requests got the 401');
    } finally {
      await c.close();
    }
  });
});

describe('Prism Central answering badly', { skip }, () => {
  it('a wrong password: 401 without a JSON body, login-refused (exit 3), never retried', async () => {
    const f = await fake();
    const e = await rejects(collect(f, { password: 'wrong' }), 'login-refused', /svc-vmi/);
    assert.equal(e.exitCode, 3);
    assert.equal(f.basicCount, 1, 'refused credentials are not sent again (account lockout)');
  });

  it('an HTML page instead of JSON', async () => {
    const f = await fake();
    f.hook = (_r, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><body>Prism</body></html>');
      return true;
    };
    await rejects(collect(f), 'bad-response', /HTML page/);
  });

  it('403 with Nutanix\'s error body names the reason', async () => {
    const f = await fake();
    f.hook = (r, res) => {
      if (r.path !== VMS) return false;
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v4Error('User is not authorized to list VMs', 'IAM_AUTHORIZATION_ERROR')));
      return true;
    };
    const e = await rejects(collect(f), 'access-denied', /not authorized to list VMs/);
    assert.equal(e.exitCode, 3);
  });

  it('429 and 503 are retried, honouring Retry-After; backoff doubles without it', async () => {
    const f = await fake();
    let n = 0;
    f.hook = (r, res) => {
      if (r.path !== VMS || n >= 3) return false;
      n++;
      res.writeHead(n === 3 ? 503 : 429, { 'content-type': 'application/json', ...(n === 1 ? { 'retry-after': '7' } : {}) });
      res.end(JSON.stringify(v4Error('Rate limit exceeded', 'RATE_LIMIT_EXCEEDED')));
      return true;
    };
    waits.length = 0;
    const { inv } = await collect(f, { backoffMs: 100 });
    assert.equal(inv.vms.length, 25);
    assert.equal(waits[0], 7000, 'Retry-After: 7');
    assert.ok(waits[1]! >= 160 && waits[1]! <= 240, `second retry: 200 ms +-20 %, got ${waits[1]}`);
    assert.ok(waits[2]! >= 320 && waits[2]! <= 480, `third retry: 400 ms +-20 %, got ${waits[2]}`);
  });

  it('429 that never ends gives up after the retries', async () => {
    const f = await fake();
    f.hook = (r, res) => {
      if (r.path !== VMS) return false;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify(v4Error('Rate limit exceeded', 'RATE_LIMIT_EXCEEDED')));
      return true;
    };
    await rejects(collect(f, { retries: 2 }), 'rate-limited', /Rate limit exceeded/);
    assert.equal(f.requests.filter((r) => r.path === VMS).length, 3);
  });

  it('500 with Nutanix\'s error body', async () => {
    const f = await fake();
    f.hook = (r, res) => {
      if (r.path !== '/api/clustermgmt/v4.0/config/hosts') return false;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v4Error('Internal error while listing hosts', 'INTERNAL_ERROR')));
      return true;
    };
    await rejects(collect(f), 'bad-response', /HTTP 500: Internal error while listing hosts/);
  });

  it('a page that never ends times out', async () => {
    const f = await fake({ vms: 250 });
    f.hook = (r, res) => {
      if (r.path !== VMS || r.query.get('$page') !== '1') return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": [');
      return true; // and nothing more
    };
    await rejects(collect(f, { timeoutMs: 400 }), 'timeout', /timed out/);
  });

  it('a page without "data" ends the list; short of the announced total it is incomplete', async () => {
    const f = await fake({ vms: 250 });
    f.pageHook = (path, page, body) => {
      if (path === VMS && page === 1) delete body.data;
      return body;
    };
    await rejects(collect(f), 'incomplete', /listed 100 of the 250/);
    // An empty list has no "data" at all, and that is fine.
    const g = await fake({ vms: 0 });
    assert.equal((await collect(g)).inv.vms.length, 0);
  });

  it('fewer items than announced: incomplete; more than announced: all of them', async () => {
    const f = await fake({ vms: 250 });
    f.pageHook = (path, _page, body) => {
      if (path === VMS) body.metadata.totalAvailableResults = 300;
      return body;
    };
    await rejects(collect(f), 'incomplete', /250 of the 300/);
    f.pageHook = (path, _page, body) => {
      if (path === VMS) body.metadata.totalAvailableResults = 120;
      return body;
    };
    assert.equal((await collect(f)).inv.vms.length, 250);
  });

  it('duplicates across pages are counted once; totals are re-read on every page', async () => {
    const f = await fake({ vms: 250 });
    // A VM created at the front while paging shifts later pages by one: page 1 repeats the last
    // VM of page 0, and the total grows.
    f.pageHook = (path, page, body) => {
      if (path !== VMS || page === 0) return body;
      const all = [vmEntity(9999), ...f.data.vms];
      const items = all.slice(page * 100, page * 100 + 100);
      return { ...body, data: items.length ? items : undefined, metadata: { ...body.metadata, totalAvailableResults: 251 } };
    };
    await rejects(collect(f), 'incomplete', /250 of the 251/);
    f.pageHook = (path, page, body) => {
      if (path !== VMS || page === 0) return body;
      const items = f.data.vms.slice(page * 100 - 3, page * 100 + 97);
      return { ...body, data: items };
    };
    const { inv } = await collect(f);
    assert.equal(inv.vms.length, 250);
    assert.equal(new Set(inv.vms.map((v) => v.ref)).size, 250);
  });

  it('unknown enum values and null where an object belongs', async () => {
    const f = await fake({ vms: 3 });
    Object.assign(f.data.vms[0]!, { powerState: 'HIBERNATING', host: null, cluster: null, guestTools: null, categories: null, nics: [{ backingInfo: null, networkInfo: null }], disks: [{ backingInfo: null }, null] });
    Object.assign(f.data.vms[1]!, { powerState: '$UNKNOWN', nics: null, disks: null, numSockets: null });
    f.data.hosts[0]!.hypervisor = null;
    f.data.hosts[1]!.hypervisor.type = 'KVM_NEXT';
    f.data.clusters[0]!.config.hypervisorTypes = ['AHV', '$REDACTED'];
    f.data.alerts[0]!.severity = 'EMERGENCY';
    const { inv } = await collect(f);
    const [a, b] = inv.vms;
    assert.equal(a.powerState, 'unknown');
    assert.equal(a.host, undefined);
    assert.equal(a.cluster, undefined);
    assert.deepEqual(a.disks, []);
    assert.equal(a.nics.length, 1);
    assert.equal(a.nics[0].mac, undefined);
    assert.equal(b.powerState, 'unknown');
    assert.deepEqual([b.nics, b.disks, b.cpus], [[], [], 2]);
    assert.equal(inv.hosts[0].hypervisor, undefined);
    assert.equal(inv.hosts[1].hypervisor, 'kvm_next');
    assert.deepEqual(inv.clusters[0].hypervisors, ['ahv']);
    assert.deepEqual(inv.alarms.map((x) => x.status), ['warning'], 'an unknown severity is not an alarm');
  });

  it('categories and alerts are optional services; the rest is not', async () => {
    const f = await fake();
    f.hook = (r, res) => {
      if (!/categories|alerts/.test(r.path)) return false;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{}');
      return true;
    };
    const { inv } = await collect(f);
    assert.equal(inv.alarms.length, 0);
    assert.deepEqual(inv.vms[0].customAttributes, {});
    f.hook = (r, res) => {
      if (!/subnets/.test(r.path)) return false;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{}');
      return true;
    };
    await rejects(collect(f), 'bad-response', /subnet list answered 404/);
  });
});

describe('Prism Central versions and products', { skip }, () => {
  it('falls back to v3 where v4.0 answers 404: same records, length <= 500, offset advanced by what came back', async () => {
    const v4 = await fake({ vms: 130 });
    const f = await fake({ vms: 130, mode: 'v3', v3Cap: 37 });
    const a = (await collect(v4)).inv;
    const { inv: b, api } = await collect(f);
    assert.equal(api, 'v3');
    const lists = f.requests.filter((r) => r.path === '/api/nutanix/v3/vms/list');
    assert.ok(lists.every((r) => r.body!.length <= 500 && r.body!.kind === 'vm'));
    assert.deepEqual(lists.map((r) => r.body!.offset), [0, 37, 74, 111]);
    const pick = (i: Inventory) => i.vms.map((v) => ({ ...v, customAttributes: v.customAttributes })).sort((x, y) => x.ref.localeCompare(y.ref));
    assert.deepEqual(pick(b).map((v) => [v.name, v.powerState, v.cpus, v.memoryMB, v.host, v.cluster, v.disks.map((d) => d.sizeGB), v.nics[0].ipv4, v.nics[0].mac]),
      pick(a).map((v) => [v.name, v.powerState, v.cpus, v.memoryMB, v.host, v.cluster, v.disks.map((d) => d.sizeGB), v.nics[0].ipv4, v.nics[0].mac]));
    assert.deepEqual(b.vms.find((v) => v.name === 'ntx-app-00003')!.customAttributes, { Environment: 'Dev', AppType: 'Web' });
    assert.deepEqual(b.clusters.map((c) => [c.name, c.hosts, c.version]), [['ntx-prod', 3, '7.0']]);
    assert.deepEqual(b.hosts.map((h) => h.name), ['ntx-node-01', 'ntx-node-02', 'ntx-node-03']);
    assert.deepEqual(b.portgroups.map((p) => [p.name, p.vlan]), [['vlan110-prod', 110], ['vlan120-dmz', 120], ['overlay-apps', undefined]]);
  });

  it('a Prism Element is refused with a clear message', async () => {
    const f = await fake({ mode: 'pe' });
    const e = await rejects(collect(f), 'not-prism-central', /Prism Element.*not Prism Central/);
    assert.equal(e.exitCode, 4);
  });

  it('TLS: untrusted without a pin, the pinned thumbprint in any spelling, a wrong pin refused, the CA way', async () => {
    const f = await fake();
    await rejects(collect(f, { thumbprint: undefined }), 'tls-untrusted', new RegExp(f.thumbprint));
    assert.equal((await collect(f, { thumbprint: f.thumbprint.replace(/:/g, '').toLowerCase() })).inv.vms.length, 25);
    const wrong = f.thumbprint.replace(/^../, f.thumbprint.startsWith('AA') ? 'BB' : 'AA');
    await rejects(collect(f, { thumbprint: wrong }), 'tls-mismatch');
    assert.equal((await collect(f, { thumbprint: undefined, ca: f.pem })).inv.vms.length, 25);
    const cert = await fetchCertificate(f.url, { name: 'fakepc', product: 'Prism Central' });
    assert.equal(cert.thumbprint, f.thumbprint);
    assert.equal(cert.trusted, false);
  });

  it('cancelling stops at once', async () => {
    const f = await fake({ vms: 300, delayMs: 200 });
    const ctl = new AbortController();
    const c = client(f);
    const p = collectPrism(c, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await rejects(p, 'cancelled');
    await c.close();
  });
});
