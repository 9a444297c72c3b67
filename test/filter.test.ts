import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterHelp, filterVms, FILTER_FIELDS, parseFilter } from '../src/model/filter.js';
import { buildVmView, type VmView } from '../src/model/vm.js';
import { vm } from './helpers.js';

const owner = (id: number, name: string) => ({ id, name, email: `${name.toLowerCase().split(' ')[0]}@corp.example` });

function view(name: string, over: Partial<Parameters<typeof buildVmView>[0]> = {}, rec = {}): VmView {
  return buildVmView({ id: name.length, sourceId: 1, sourceName: 'vc-prod', doc: { ...vm(name, rec), platform: 'vsphere' }, deletedAt: null, firstSeenAt: 0, lastSeenAt: 0, tags: [], manualIps: [], customFields: {}, ...over });
}

const vms: VmView[] = [
  view('web-01', { tags: ['pci'], technicalOwner: owner(1, 'Alice Smith') }, { nics: [{ key: '1', label: 'n', network: 'vlan120-web', ipv4: ['10.1.2.3'], ipv6: ['fe80::1'] }], networks: ['vlan120-web'] }),
  view('web-02', { tags: ['pci', 'dmz'] }, { powerState: 'poweredOff', memoryMB: 32768, cpus: 8 }),
  view('db-01', { businessOwner: owner(2, 'Bob Jones') }, { customAttributes: { Environment: 'Production', AppTier: 'db' }, guestOs: 'Microsoft Windows Server 2022 (64-bit)', osFamily: 'windows', cluster: 'dev', disks: [{ key: '1', label: 'd', sizeGB: 2048 }] }),
  view('old-01', { deletedAt: 123 }),
  view('app 01', { manual: { overrides: { powerState: 'poweredOff', cluster: 'prod-b' }, project: 'ERP' } }, { host: 'esx02' }),
];

const names = (expr: string) => filterVms(vms, expr).map((v) => v.name).sort();

describe('filter language', () => {
  const cases: [string, string[]][] = [
    ['', ['app 01', 'db-01', 'web-01', 'web-02']],
    ['name~^web-', ['web-01', 'web-02']],
    ['name:WEB', ['web-01', 'web-02']],
    ['name=web-01', ['web-01']],
    ['power:off', ['app 01', 'web-02']],
    ['power:on,suspended', ['db-01', 'web-01']],
    ['-power:off', ['db-01', 'web-01']],
    ['!power:off', ['db-01', 'web-01']],
    ['ip:10.1.2.', ['web-01']],
    ['ip:10.1.', ['app 01', 'db-01', 'web-01', 'web-02']],
    ['ip:fe80::1', ['web-01']],
    ['ip:10.2.', []],
    ['owner:none', ['app 01', 'web-02']],
    ['owner:alice', ['web-01']],
    ['owner:bob@corp', ['db-01']],
    ['towner:none', ['app 01', 'db-01', 'web-02']],
    ['bowner:bob', ['db-01']],
    ['tag:pci', ['web-01', 'web-02']],
    ['tag:pc', []],
    ['tag:pci -tag:dmz', ['web-01']],
    ['os:win', ['db-01']],
    ['family:windows', ['db-01']],
    ['net:vlan120', ['web-01']],
    ['cluster:prod', ['app 01', 'web-01', 'web-02']],
    ['cluster=prod-b', ['app 01']],
    ['overridden:power', ['app 01']],
    ['project:erp', ['app 01']],
    ['host:esx02', ['app 01']],
    ['vcenter:vc-prod', ['app 01', 'db-01', 'web-01', 'web-02']],
    ['platform:vmware', ['app 01', 'db-01', 'web-01', 'web-02']],
    ['cpu>=8', ['web-02']],
    ['cpu<8', ['app 01', 'db-01', 'web-01']],
    ['mem>16', ['web-02']],
    ['mem>=32g', ['web-02']],
    ['disk>1t', ['db-01']],
    ['deleted:true', ['old-01']],
    ['deleted:false', ['app 01', 'db-01', 'web-01', 'web-02']],
    ['"app 01"', ['app 01']],
    ['name:"app 01"', ['app 01']],
    ['10.1.2', ['web-01']],
    ['uuid:uuid-db', ['db-01']],
    ['category=Environment:Production', ['db-01']],
    ['attr:apptier:db', ['db-01']],
    ['tag:Environment:Production', ['db-01']],
    ['cat:Environment:Test', []],
  ];
  for (const [expr, want] of cases) {
    it(`${expr || '(empty)'} -> ${want.join(', ') || 'nothing'}`, () => assert.deepEqual(names(expr), want));
  }

  const bad: [string, RegExp][] = [
    ['colour:red', /unknown field "colour" at column 1/],
    ['power:sideways', /power is one of/],
    ['name~(', /bad regular expression/],
    ['cpu>lots', /cpu needs a number/],
    ['name>3', /works on numbers/],
    ['name:"open', /unterminated quote/],
    ['deleted:maybe', /true or false/],
    ['power:', /needs a value/],
  ];
  for (const [expr, msg] of bad) {
    it(`rejects ${expr} with a one-line message`, () => {
      assert.throws(() => parseFilter(expr), (e: any) => e.reason === 'filter-invalid' && msg.test(e.message) && !e.message.includes('\n'));
    });
  }

  it('help lists every field', () => {
    const h = filterHelp();
    for (const f of FILTER_FIELDS) assert.ok(h.includes(`  ${f.name}`), f.name);
  });
});
