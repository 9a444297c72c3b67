// Unit tests of the vSphere XML layer and converters (no network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NS, Utf8Chunks, XmlError, XmlStreamParser, child, decodeEntities, esc, moref, parseDocument, parseStream, text, type XNode,
} from '../src/sources/vsphere/xml.js';
import { normalizeThumbprint } from '../src/sources/vsphere/soap.js';
import { convertEvent, convertVm, eventSeverity, vlanOf, vmSkip } from '../src/sources/vsphere/convert.js';
import { parseObjectContent } from '../src/sources/vsphere/props.js';
import { VmiError } from '../src/errors.js';

const ENV_OPEN = `<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="${NS.soapenv}" xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}"><soapenv:Body>`;
const ENV_CLOSE = '</soapenv:Body></soapenv:Envelope>';

// One ObjectContent as vcsim writes it: the XSI prefix is "XMLSchema-instance", declared per value.
const VCSIM_OBJECT =
  '<objects><obj type="VirtualMachine">vm-1</obj>' +
  '<propSet><name>name</name><val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="xsd:string">a &amp; &lt;b&gt; &#34;c&#34; &#x1F680; ü</val></propSet>' +
  '<propSet><name>config.hardware.numCPU</name><val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="xsd:int">4</val></propSet>' +
  '<propSet><name>config.hardware.device</name><val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ArrayOfVirtualDevice">' +
  '<VirtualDevice XMLSchema-instance:type="VirtualMachineVideoCard"><key>200</key><deviceInfo XMLSchema-instance:type="Description"><label>Video card</label><summary>Video card</summary></deviceInfo><busNumber>0</busNumber></VirtualDevice>' +
  '<VirtualDevice XMLSchema-instance:type="VirtualDisk"><key>2000</key><deviceInfo><label>Hard disk 1</label></deviceInfo><backing XMLSchema-instance:type="VirtualDiskFlatVer2BackingInfo"><fileName>[ds &amp; 1] vm/vm.vmdk</fileName><datastore type="Datastore">datastore-9</datastore><thinProvisioned>true</thinProvisioned><uuid>6000C29a</uuid></backing><capacityInKB>2097152</capacityInKB></VirtualDevice>' +
  '<VirtualDevice XMLSchema-instance:type="VirtualVmxnet3"><key>4000</key><deviceInfo><label>Network adapter 1</label></deviceInfo><backing XMLSchema-instance:type="VirtualEthernetCardDistributedVirtualPortBackingInfo"><port><switchUuid>50 2c</switchUuid><portgroupKey>dvportgroup-14</portgroupKey></port></backing><connectable><connected>true</connected></connectable><macAddress>00:50:56:AA:BB:CC</macAddress></VirtualDevice>' +
  '<VirtualDevice XMLSchema-instance:type="VirtualE1000e"><key>4001</key><deviceInfo><label>Network adapter 2</label></deviceInfo><backing XMLSchema-instance:type="VirtualEthernetCardNetworkBackingInfo"><deviceName>VM Network</deviceName><network type="Network">network-7</network></backing><macAddress>00:50:56:aa:bb:cd</macAddress></VirtualDevice>' +
  '</val></propSet>' +
  '<propSet><name>guest.net</name><val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ArrayOfGuestNicInfo">' +
  '<GuestNicInfo><ipAddress>10.0.0.10</ipAddress><ipAddress>fe80::1</ipAddress><macAddress>00:50:56:aa:bb:cc</macAddress><deviceConfigId>4000</deviceConfigId></GuestNicInfo>' +
  '<GuestNicInfo><ipAddress>192.168.1.20</ipAddress><macAddress>00:50:56:AA:BB:CD</macAddress><deviceConfigId>-1</deviceConfigId></GuestNicInfo>' +
  '</val></propSet>' +
  '<missingSet><path>config.createDate</path><fault><fault XMLSchema-instance:type="InvalidProperty" xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance"><name>config.createDate</name></fault></fault></missingSet>' +
  '</objects>';

const RP_DOC = `${ENV_OPEN}<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>${VCSIM_OBJECT}<token>tok-1</token></returnval></RetrievePropertiesExResponse>${ENV_CLOSE}`;

/** Structural form of a tree, for comparing the two parsers. */
function shape(n: XNode): unknown {
  return {
    n: `{${n.ns}}${n.name}`,
    a: n.attrs,
    t: n.type ? `{${n.typeNs}}${n.type}` : undefined,
    x: n.kids ? undefined : n.text,
    k: n.kids?.map(shape),
  };
}

test('stream parser and fast-xml-parser build the same namespace-resolved tree', () => {
  const a = parseStream(RP_DOC);
  const b = parseDocument(RP_DOC);
  assert.deepEqual(shape(a), shape(b));
  assert.equal(a.name, 'Envelope');
  assert.equal(a.ns, NS.soapenv);
});

test('xsi:type is resolved through namespace declarations, whatever the prefix', () => {
  for (const doc of [
    `<r xmlns:q="${NS.xsi}" xmlns:s="${NS.xsd}"><v q:type="s:int">1</v></r>`,
    `<r xmlns:xsi="${NS.xsi}" xmlns:xsd="${NS.xsd}"><v xsi:type="xsd:int">1</v></r>`,
    `<r xmlns:xsd="${NS.xsd}"><v xmlns:XMLSchema-instance="${NS.xsi}" XMLSchema-instance:type="xsd:int">1</v></r>`,
  ]) {
    for (const parse of [parseStream, parseDocument]) {
      const v = child(parse(doc), 'v')!;
      assert.equal(v.type, 'int', doc);
      assert.equal(v.typeNs, NS.xsd, doc);
    }
  }
  // A "type" attribute in another namespace is not an xsi:type, even with the prefix "xsi".
  const fake = child(parseStream(`<r xmlns:xsi="urn:not-xsi"><v xsi:type="Foo">1</v></r>`), 'v')!;
  assert.equal(fake.type, undefined);
  // Unprefixed type names take the default namespace.
  const d = child(parseStream(`<r xmlns="urn:vim25" xmlns:i="${NS.xsi}"><v i:type="ArrayOfString"/></r>`), 'v')!;
  assert.equal(d.type, 'ArrayOfString');
  assert.equal(d.typeNs, 'urn:vim25');
  assert.throws(() => parseStream('<r><v xsi:type="x">1</v></r>'), XmlError); // undeclared prefix
  assert.throws(() => parseStream(`<r xmlns:i="${NS.xsi}"><v i:type="nope:int">1</v></r>`), XmlError);
});

test('entities: the five predefined ones and character references only', () => {
  assert.equal(decodeEntities('a &amp; &lt;&gt; &quot;&apos; &#34; &#x1F680;'), 'a & <> "\' " 🚀');
  assert.throws(() => decodeEntities('&nbsp;'), XmlError);
  assert.throws(() => decodeEntities('&#0;'), XmlError);
  assert.throws(() => decodeEntities('a & b'), XmlError);
  assert.equal(esc(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  const r = parseStream('<r a="x &amp; &quot;y&quot;">&lt;t&gt;<![CDATA[a<b&amp;]]></r>');
  assert.equal(r.attrs!['a'], 'x & "y"');
  assert.equal(r.text, '<t>a<b&amp;');
});

test('DOCTYPE and entity declarations are refused by both parsers', () => {
  const bomb =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
  assert.throws(() => parseStream(bomb), /document type declarations/);
  assert.throws(() => parseDocument(bomb), /document type declarations/);
  // Also when the declaration arrives split over chunks, after the check of the first chunk.
  const p = new XmlStreamParser();
  p.write('<?xml version="1.0"?><!');
  assert.throws(() => p.write('DOCTYPE x [<!ENTITY a "b">]><x/>'), /document type declarations/);
  assert.throws(() => new XmlStreamParser().write('<?xml version="1.0"?><!DOC'), /document type declarations/);
});

test('truncated, mismatched and trailing content are errors', () => {
  for (const bad of ['<a><b>x</b>', '<a><b>x</a>', '<a><b x="1></b></a>', '<a>x</a><b/>', '<a>x</a>text', '', '<a><b>&amp</b></a>']) {
    assert.throws(() => parseStream(bad), XmlError, `stream: ${bad}`);
    assert.throws(() => parseDocument(bad), XmlError, `fxp: ${bad}`);
  }
  assert.doesNotThrow(() => parseStream('<a>x</a>\n  <!-- trailing comment -->\n'));
});

test('incremental parsing gives the same result for any split point', () => {
  const doc = RP_DOC;
  const whole = shape(parseStream(doc));
  for (let cut = 1; cut < doc.length; cut += 7) {
    const p = new XmlStreamParser();
    p.write(doc.slice(0, cut));
    p.write(doc.slice(cut));
    assert.deepEqual(shape(p.end()), whole, `cut at ${cut}`);
  }
  // One character at a time, with skipping enabled.
  const skipped = new XmlStreamParser(undefined, vmSkip);
  for (const ch of doc) skipped.write(ch);
  const root = skipped.end();
  const val = child(child(child(child(child(root, 'Body'), 'RetrievePropertiesExResponse'), 'returnval'), 'objects'), 'propSet');
  assert.ok(val);
});

test('long text streams through without rescanning; huge unfinished markup is refused', () => {
  const p = new XmlStreamParser();
  p.write('<r><t>');
  const piece = 'abc &amp; def '.repeat(4096); // 56 KiB per write
  for (let i = 0; i < 200; i++) p.write(piece.slice(0, 7) + piece.slice(7)); // ~11 MB of text
  p.write('&am');
  p.write('p;</t></r>');
  const t = child(p.end(), 't')!.text;
  assert.equal(t.length, 200 * 'abc & def '.repeat(4096).length + 1);
  assert.ok(t.endsWith('&'));
  const q = new XmlStreamParser();
  q.write('<r a="');
  assert.throws(() => {
    for (let i = 0; i < 200; i++) q.write('x'.repeat(65536));
  }, /too large/);
});

test('emit hands over completed subtrees; skip drops unread devices', () => {
  const got: string[] = [];
  const root = parseStream(
    RP_DOC,
    (n, stack) => {
      if (n.name === 'objects' && stack.length === 4) {
        const oc = parseObjectContent(n)!;
        got.push(oc.obj.value);
        const devs = oc.props.get('config.hardware.device')!.kids!.map((d) => d.type);
        assert.deepEqual(devs, ['VirtualDisk', 'VirtualVmxnet3', 'VirtualE1000e']); // the video card is skipped (disk controllers and CD drives are read for reports)
        assert.deepEqual(oc.missing, [{ path: 'config.createDate', fault: 'InvalidProperty' }]);
        return true;
      }
      return false;
    },
    vmSkip,
  );
  assert.deepEqual(got, ['vm-1']);
  const rv = child(child(child(root, 'Body'), 'RetrievePropertiesExResponse'), 'returnval')!;
  assert.equal(child(rv, 'objects'), undefined);
  assert.equal(text(rv, 'token'), 'tok-1');
});

test('VM conversion: name with markup and emoji, disks, NICs and IPs by device key and MAC', () => {
  let vm: ReturnType<typeof convertVm> | undefined;
  parseStream(RP_DOC, (n, stack) => {
    if (n.name === 'objects' && stack.length === 4) vm = convertVm(parseObjectContent(n)!);
    return false;
  });
  const r = vm!.rec;
  assert.equal(r.name, 'a & <b> "c" 🚀 ü');
  assert.equal(r.cpus, 4);
  assert.equal(r.disks.length, 1);
  assert.equal(r.disks[0]!.sizeGB, 2);
  assert.equal(r.disks[0]!.thin, true);
  assert.equal(r.disks[0]!.backing, 'flat');
  assert.equal(vm!.diskDs[0]!.dsName, 'ds & 1');
  assert.equal(vm!.diskDs[0]!.dsRef, 'datastore-9');
  assert.deepEqual(r.nics.map((n) => [n.key, n.mac, n.ipv4, n.ipv6]), [
    ['4000', '00:50:56:aa:bb:cc', ['10.0.0.10'], ['fe80::1']],
    ['4001', '00:50:56:aa:bb:cd', ['192.168.1.20'], []],
  ]);
  assert.equal(vm!.nicNets[0]!.pgKey, 'dvportgroup-14');
  assert.equal(vm!.nicNets[1]!.netRef, 'network-7');
});

test('VLAN specs: id, trunk ranges, private VLAN', () => {
  const v = (xml: string) => parseStream(`<vlan xmlns:i="${NS.xsi}" ${xml}</vlan>`);
  assert.deepEqual(vlanOf(v('i:type="VmwareDistributedVirtualSwitchVlanIdSpec"><inherited>false</inherited><vlanId>120</vlanId>')), { vlan: 120, mode: 'vlan' });
  assert.deepEqual(
    vlanOf(v('i:type="VmwareDistributedVirtualSwitchTrunkVlanSpec"><vlanId><start>100</start><end>110</end></vlanId><vlanId><start>200</start><end>200</end></vlanId>')),
    { vlanTrunk: '100-110,200', mode: 'trunk' },
  );
  assert.deepEqual(vlanOf(v('i:type="VmwareDistributedVirtualSwitchPvlanSpec"><pvlanId>333</pvlanId>')), { pvlan: 333, mode: 'pvlan' });
});

test('event severity from the event class and EventEx severity', () => {
  const ev = (type: string, body = '') =>
    parseStream(`<returnval xmlns:i="${NS.xsi}" i:type="${type}"><key>7</key><createdTime>2024-01-01T00:00:00Z</createdTime>${body}<fullFormattedMessage>m &amp; n</fullFormattedMessage></returnval>`);
  assert.equal(convertEvent(ev('VmPoweredOnEvent'))!.severity, 'info');
  assert.equal(convertEvent(ev('VmFailedToPowerOnEvent'))!.severity, 'critical');
  assert.equal(convertEvent(ev('HostConnectionLostEvent'))!.severity, 'critical');
  assert.equal(convertEvent(ev('VmDisconnectedEvent'))!.severity, 'warning');
  assert.equal(convertEvent(ev('AlarmStatusChangedEvent', '<to>red</to>'))!.severity, 'critical');
  const ex = convertEvent(ev('EventEx', '<vm><name>web &amp; db</name></vm><eventTypeId>com.vmware.vc.x</eventTypeId><severity>warning</severity>'))!;
  assert.equal(ex.severity, 'warning');
  assert.equal(ex.type, 'com.vmware.vc.x');
  assert.equal(ex.entity, 'web & db');
  assert.equal(ex.message, 'm & n');
  assert.equal(eventSeverity('UserLoginSessionEvent', ev('UserLoginSessionEvent')), 'info');
});

test('thumbprints are normalised from any spelling; garbage is refused', () => {
  const hex = '448f628a8a65aa18560e53a80c53acb38c51b427df03340823491411 47dc9bf6'.replace(' ', '');
  const want = hex.toUpperCase().match(/../g)!.join(':');
  assert.equal(normalizeThumbprint(hex), want);
  assert.equal(normalizeThumbprint(want.toLowerCase()), want);
  assert.equal(normalizeThumbprint(want.replace(/:/g, ' ')), want);
  assert.throws(() => normalizeThumbprint('AA:BB'), (e: unknown) => e instanceof VmiError && e.reason === 'config-invalid');
  assert.throws(() => normalizeThumbprint('sha1:' + hex), VmiError);
});

test('moref and text helpers', () => {
  const r = parseStream('<r><obj type="HostSystem">host-1</obj><e/></r>');
  assert.deepEqual(moref(child(r, 'obj')), { type: 'HostSystem', value: 'host-1' });
  assert.equal(moref(child(r, 'e')), undefined);
  assert.equal(text(r, 'e'), '');
  assert.equal(text(r, 'missing'), undefined);
});

test('UTF-8 chunks: characters cut at any byte decode the same; invalid or cut-off input throws', () => {
  const text = 'a ü € 𝄞 e\u0301 z';
  // One leading BOM is dropped, like TextDecoder does; a later U+FEFF is text.
  const bytes = Buffer.from(`\ufeff${text}\ufeff`, 'utf8');
  const want = `${text}\ufeff`;
  for (let i = 0; i <= bytes.length; i++) {
    for (let j = i; j <= bytes.length; j++) {
      const d = new Utf8Chunks();
      const got = d.decode(bytes.subarray(0, i)) + d.decode(bytes.subarray(i, j)) + d.decode(bytes.subarray(j)) + d.end();
      assert.equal(got, want, `cuts at ${i} and ${j}`);
    }
  }
  const bad = [[0x61, 0x80, 0x62], [0x61, 0xff, 0x62], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x28, 0xa1], [0x61, 0xe2, 0x82]];
  for (const b of bad) {
    const buf = Buffer.from(b);
    for (let i = 0; i <= buf.length; i++) {
      assert.throws(() => {
        const d = new Utf8Chunks();
        d.decode(buf.subarray(0, i));
        d.decode(buf.subarray(i));
        d.end();
      }, TypeError, `${buf.toString('hex')} cut at ${i}`);
    }
  }
});

/** write(), with the text's bytes (as the client passes them) or without. */
function feed(p: XmlStreamParser, text: string, bytes: boolean): void {
  if (bytes) p.write(text, Buffer.from(text, 'utf8'));
  else p.write(text);
}

/**
 * Shapes from the stream parser for every way of cutting doc in two, and in three with a short
 * middle piece; pieces are written with their bytes and without (see XmlStreamParser.write()).
 */
function assertAllCuts(doc: string, want: unknown, skip?: Parameters<typeof parseStream>[2]): void {
  for (const bytes of [false, true]) {
    for (let cut = 0; cut <= doc.length; cut++) {
      const p = new XmlStreamParser(undefined, skip);
      feed(p, doc.slice(0, cut), bytes);
      feed(p, doc.slice(cut), bytes);
      assert.deepEqual(shape(p.end()), want, `cut at ${cut}`);
      const q = new XmlStreamParser(undefined, skip);
      feed(q, doc.slice(0, cut), bytes);
      feed(q, doc.slice(cut, cut + 3), bytes);
      feed(q, doc.slice(cut + 3), bytes);
      assert.deepEqual(shape(q.end()), want, `cuts at ${cut} and ${cut + 3}`);
    }
  }
}

test('repeated start tags and interned names give the same tree, wherever the chunks are cut', () => {
  const x = 'xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance"';
  const pieces = [
    `<val ${x} XMLSchema-instance:type="xsd:string">a &amp; b</val>`,
    `<val ${x} XMLSchema-instance:type="xsd:int">4</val>`,
    `<val ${x} XMLSchema-instance:type="ManagedObjectReference" type="HostSystem">host-1</val>`,
    `<val ${x} XMLSchema-instance:type="ArrayOfString"><string>a</string><string>b</string></val>`,
    `<e a="1" b='2'/>`,
    `<e a="x &amp; y &#x1F680;" b="&lt;"/>`,
    `<e  a = "1"\n\tb="x>y" >t</e >`,
    `<e xmlns:q='urn:q' q:a="1"><q:f q:b="2"/></e>`,
    `<e xmlns:q="urn:other" q:a="1"><q:f q:b="2"/></e>`,
    `<e xmlns="urn:inner"><f/></e>`,
    `<${'long'.repeat(20)} ${'attr'.repeat(20)}="${'v'.repeat(100)}" ${x} XMLSchema-instance:type="${'T'.repeat(80)}"/>`,
    `<x:e xmlns:x="urn:x"><!-- c --><![CDATA[<raw>&amp;]]></x:e>`,
  ];
  let body = '';
  for (let i = 0; i < 3; i++) for (let k = 0; k < pieces.length; k++) body += pieces[(k * 7 + i) % pieces.length];
  const doc = `<?xml version="1.0"?><r xmlns="urn:vim25" xmlns:xsd="${NS.xsd}">${body}</r>`;
  const want = shape(parseDocument(doc));
  assert.deepEqual(shape(parseStream(doc)), want);
  assertAllCuts(doc, want);
  const one = new XmlStreamParser();
  for (const ch of doc) one.write(ch);
  assert.deepEqual(shape(one.end()), want);
});

test('a start tag seen before is still checked when it differs', () => {
  const bads = ['<e a="1<"/>', '<e a="1" b/>', '<e a="1" / >', '<e a=1/>', '<e a="1"', '<e q:a="1"/>', '<e a="1"/ >', '<e xmlns:q="urn:<q"/>', `<e xmlns:i="${NS.xsi}" i:type="a<b"/>`];
  for (const bad of bads) {
    const doc = `<r><e a="1"/><e a="1"/>${bad}</r>`;
    assert.throws(() => parseStream(doc), XmlError, bad);
    for (let cut = 1; cut < doc.length; cut++) {
      for (const bytes of [false, true]) {
        assert.throws(() => {
          const p = new XmlStreamParser();
          feed(p, doc.slice(0, cut), bytes);
          feed(p, doc.slice(cut), bytes);
          p.end();
        }, XmlError, `${bad} cut at ${cut}`);
      }
    }
  }
});

test('thousands of distinct names and namespace declarations resolve like fast-xml-parser', () => {
  let body = '';
  for (let i = 0; i < 6000; i++) body += `<n${i} a${i % 97}="v${i}" xmlns:p${i % 13}="urn:p${i % 997}" p${i % 13}:type="${i}">${i}</n${i}>`;
  const doc = `<r>${body}</r>`;
  assert.deepEqual(shape(parseStream(doc)), shape(parseDocument(doc)));
  for (const bytes of [false, true]) {
    const p = new XmlStreamParser();
    for (let i = 0; i < doc.length; i += 4093) feed(p, doc.slice(i, i + 4093), bytes);
    assert.deepEqual(shape(p.end()), shape(parseDocument(doc)));
  }
});

test('random documents: the stream parser agrees with fast-xml-parser, in any chunks', () => {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const names = ['a', 'b', 'val', 'propSet', 'VirtualDevice', 'x'];
  const texts = ['', 't', '0', 'a &amp; b', '&lt;x&gt;', ' sp ', '&#233;t&#xe9;', 'ü€'];
  const gen = (depth: number, prefixes: string[]): string => {
    const declared = [...prefixes];
    let attrs = '';
    if (rnd(3) === 0) {
      const p = `p${rnd(3)}`;
      attrs += ` xmlns:${p}="urn:${p}:${rnd(2)}"`;
      declared.push(p);
    }
    if (rnd(4) === 0) attrs += ` xmlns="urn:d${rnd(2)}"`;
    if (rnd(2) === 0) attrs += ` xmlns:i="${NS.xsi}" i:type="${rnd(2) ? 'xsd:' : ''}T${rnd(3)}"`;
    if (rnd(2) === 0) attrs += ` type="${['HostSystem', 'a&amp;b', 'x>y'][rnd(3)]}"`;
    if (declared.length && rnd(3) === 0) attrs += ` ${declared[rnd(declared.length)]}:k='${rnd(5)}'`;
    const name = (declared.length && rnd(4) === 0 ? `${declared[rnd(declared.length)]}:` : '') + names[rnd(names.length)];
    if (depth > 3 || rnd(4) === 0) return rnd(2) ? `<${name}${attrs}/>` : `<${name}${attrs}>${texts[rnd(texts.length)]}</${name}>`;
    let kids = '';
    for (let i = rnd(4); i >= 0; i--) kids += rnd(6) === 0 ? '<!-- c -->' : gen(depth + 1, declared);
    return `<${name}${attrs}>${kids}</${name}>`;
  };
  for (let d = 0; d < 300; d++) {
    const doc = `<root xmlns:xsd="${NS.xsd}">${gen(0, [])}${gen(0, [])}</root>`;
    const want = shape(parseDocument(doc));
    // With bytes, pieces that are all ASCII are read from them; the others from the text.
    const bytes = d % 2 === 1;
    const p = new XmlStreamParser();
    for (let i = 0; i < doc.length; ) {
      const n = 1 + rnd(40);
      feed(p, doc.slice(i, i + n), bytes);
      i += n;
    }
    assert.deepEqual(shape(p.end()), want, doc);
  }
});
