// vSphere client against a tiny fake SOAP server: bad responses, limits, timeouts, paging, re-login.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { VmiError } from '../src/errors.js';
import { VsphereClient, mapNetworkError } from '../src/sources/vsphere/soap.js';
import { collectInventory } from '../src/sources/vsphere/collect.js';
import { retrieve, filterSpecBody } from '../src/sources/vsphere/props.js';
import { watch, type WatchChange } from '../src/sources/vsphere/watch.js';
import { NS, child, children, parseDocument, text, type XNode } from '../src/sources/vsphere/xml.js';

const ENV = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${NS.soapenv}" xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const RESP = (method: string, inner: string) => ENV(`<${method}Response xmlns="urn:vim25">${inner}</${method}Response>`);
const FAULT = (type: string, msg: string) =>
  ENV(`<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${msg}</faultstring><detail><${type}Fault xmlns="urn:vim25" xsi:type="${type}"></${type}Fault></detail></soapenv:Fault>`);

const SERVICE_CONTENT = RESP(
  'RetrieveServiceContent',
  '<returnval><rootFolder type="Folder">group-d1</rootFolder><propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>' +
    '<viewManager type="ViewManager">ViewManager</viewManager><about><name>VMware vCenter Server</name><fullName>fake</fullName>' +
    '<version>8.0.2</version><build>1</build><apiType>VirtualCenter</apiType><apiVersion>8.0.2.0</apiVersion></about>' +
    '<sessionManager type="SessionManager">SessionManager</sessionManager><eventManager type="EventManager">EventManager</eventManager>' +
    '<customFieldsManager type="CustomFieldsManager">CustomFieldsManager</customFieldsManager></returnval>',
);
const LOGIN_OK = RESP('Login', '<returnval><key>k</key><userName>u</userName></returnval>');

interface Req {
  method: string;
  body: XNode; // the <Method> element
  raw: string;
  cookie?: string;
}
type Handler = (r: Req, res: http.ServerResponse) => void | Promise<void>;

const servers: http.Server[] = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

async function fake(handler: Handler): Promise<{ url: string; reqs: Req[] }> {
  const reqs: Req[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    req.on('end', () => {
      const m = child(parseDocument(raw), 'Body')!.kids![0]!;
      const r: Req = { method: m.name, body: m, raw, cookie: req.headers.cookie };
      reqs.push(r);
      void handler(r, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sdk`, reqs };
}

function send(res: http.ServerResponse, xml: string, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8', ...headers });
  res.end(xml);
}

/** Default handling of the session calls. */
function session(r: Req, res: http.ServerResponse): boolean {
  if (r.method === 'RetrieveServiceContent') send(res, SERVICE_CONTENT);
  else if (r.method === 'Login') send(res, LOGIN_OK, 200, { 'set-cookie': 'vmware_soap_session="s1"; Path=/; HttpOnly' });
  else if (r.method === 'Logout') send(res, RESP('Logout', ''));
  else return false;
  return true;
}

async function rejects(p: Promise<unknown>, reason: string, match?: RegExp): Promise<VmiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VmiError, `expected VmiError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.ok(!e.message.includes('\n'), 'one line');
    assert.ok(e.message.includes('fakevc'), `names the vCenter: ${e.message}`);
    if (match) assert.match(e.message, match);
    return e;
  }
  assert.fail(`expected ${reason}`);
}

const opts = (url: string, extra: Partial<ConstructorParameters<typeof VsphereClient>[0]> = {}) => ({
  url,
  name: 'fakevc',
  username: 'admin@vsphere.local',
  password: 'p<&>"\'ü',
  timeoutMs: 3000,
  ...extra,
});

test('an HTML error page is a bad response, not a parse crash', async () => {
  const { url } = await fake((_r, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>');
  });
  await rejects(VsphereClient.connect(opts(url)), 'bad-response', /HTML page/);
  const { url: url2 } = await fake((_r, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('upstream down');
  });
  await rejects(VsphereClient.connect(opts(url2)), 'bad-response', /HTTP 503/);
});

test('truncated XML and DOCTYPE bombs are refused (both parsers)', async () => {
  const bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>';
  for (const body of [SERVICE_CONTENT.slice(0, SERVICE_CONTENT.length - 40), bomb]) {
    const { url } = await fake((_r, res) => send(res, body));
    await rejects(VsphereClient.connect(opts(url)), 'bad-response');
  }
  // Streamed property pages go through the incremental parser.
  for (const page of [
    RESP('RetrievePropertiesEx', '<returnval><objects><obj type="VirtualMachine">vm-1</obj>'),
    bomb,
    RESP('RetrievePropertiesEx', '<returnval><objects><obj type="VirtualMachine">vm-1</obj><propSet><name>name</name><val>&xxe;</val></propSet></objects></returnval>'),
  ]) {
    const { url } = await fake((r, res) => {
      if (!session(r, res)) send(res, page);
    });
    const c = await VsphereClient.connect(opts(url));
    await rejects(retrieve(c, filterSpecBody([{ obj: { type: 'VirtualMachine', value: 'vm-1' } }], [{ type: 'VirtualMachine', paths: ['name'] }]), () => {}), 'bad-response');
    await c.close();
  }
});

test('large replies to ordinary calls take the stream parser, with the same checks; UTF-8 stays strict', async () => {
  // Over 64 KiB (a page of events): parsed by the stream parser instead of fast-xml-parser.
  const name = `vc ${'ü€&amp;'.repeat(20000)}`;
  const big = SERVICE_CONTENT.replace('<fullName>fake</fullName>', `<fullName>${name}</fullName>`);
  assert.ok(big.length > 64 * 1024);
  for (const body of [big, `\ufeff${big}`]) {
    const { url } = await fake((r, res) => {
      if (r.method === 'RetrieveServiceContent') send(res, body);
      else if (!session(r, res)) send(res, RESP(r.method, ''));
    });
    const c = await VsphereClient.connect(opts(url));
    assert.equal(c.serviceContent.about.fullName, name.replace(/&amp;/g, '&'));
    await c.close();
  }
  const bomb = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "a">]>${big.slice(big.indexOf('<soapenv:Envelope'))}`;
  for (const body of [big.slice(0, big.length - 40), big.replace('</fullName>', '</fullname>'), bomb, big.replace('<fullName>', '<fullName>&nbsp;')]) {
    const { url } = await fake((_r, res) => send(res, body));
    await rejects(VsphereClient.connect(opts(url)), 'bad-response');
  }
  // Invalid UTF-8 in a large plain reply, and in a streamed page (also cut between chunks).
  const bad = Buffer.concat([Buffer.from(big.slice(0, 70000)), Buffer.from([0xff]), Buffer.from(big.slice(70000))]);
  const { url } = await fake((_r, res) => {
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(bad);
  });
  await rejects(VsphereClient.connect(opts(url)), 'bad-response', /malformed/);
  const page = Buffer.from(RESP('RetrievePropertiesEx', `<returnval><objects><obj type="VirtualMachine">vm-1</obj><propSet><name>name</name><val>${'é'.repeat(50000)}</val></propSet></objects></returnval>`));
  for (const body of [Buffer.concat([page.subarray(0, 60001), Buffer.from([0xc3, 0x28]), page.subarray(60001)]), page.subarray(0, page.indexOf('</val>') - 1)]) {
    const { url: url2 } = await fake((r, res) => {
      if (session(r, res)) return;
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      for (let i = 0; i < body.length; i += 9999) res.write(body.subarray(i, i + 9999));
      res.end();
    });
    const c = await VsphereClient.connect(opts(url2));
    await rejects(retrieve(c, filterSpecBody([{ obj: { type: 'VirtualMachine', value: 'vm-1' } }], [{ type: 'VirtualMachine', paths: ['name'] }]), () => {}), 'bad-response');
    await c.close();
  }
  // The same page, whole and valid, with characters cut between writes.
  const { url: url3 } = await fake((r, res) => {
    if (session(r, res)) return;
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    for (let i = 0; i < page.length; i += 9999) res.write(page.subarray(i, i + 9999));
    res.end();
  });
  const c = await VsphereClient.connect(opts(url3));
  const names: string[] = [];
  await retrieve(c, filterSpecBody([{ obj: { type: 'VirtualMachine', value: 'vm-1' } }], [{ type: 'VirtualMachine', paths: ['name'] }]), (oc) => names.push(text(oc.props.get('name'))!));
  assert.deepEqual(names, ['é'.repeat(50000)]);
  await c.close();
});

test('oversized responses are cut off (Content-Length and chunked)', async () => {
  const big = 'x'.repeat(256 * 1024);
  const { url } = await fake((r, res) => {
    if (r.method === 'RetrieveServiceContent') send(res, SERVICE_CONTENT.replace('<name>VMware', `<name>${big}VMware`));
    else send(res, '');
  });
  await rejects(VsphereClient.connect(opts(url, { maxResponseBytes: 64 * 1024 })), 'too-large');
  const { url: url2 } = await fake((_r, res) => {
    res.writeHead(200, { 'content-type': 'text/xml' }); // chunked, no length
    res.write(SERVICE_CONTENT.slice(0, 200));
    for (let i = 0; i < 8; i++) res.write(`<x>${big}</x>`);
    res.end();
  });
  await rejects(VsphereClient.connect(opts(url2, { maxResponseBytes: 64 * 1024 })), 'too-large');
});

test('a server hanging mid-response times out within the deadline', async () => {
  const { url } = await fake((_r, res) => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.write(SERVICE_CONTENT.slice(0, 300)); // ...and never finishes
  });
  const t0 = Date.now();
  await rejects(VsphereClient.connect(opts(url, { timeoutMs: 400 })), 'timeout');
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  const { url: url2 } = await fake(() => {
    /* never answers at all */
  });
  const t1 = Date.now();
  await rejects(VsphereClient.connect(opts(url2, { timeoutMs: 400 })), 'timeout');
  assert.ok(Date.now() - t1 < 3000);
});

test('connection refused and unknown host name', async () => {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  await rejects(VsphereClient.connect(opts(`https://127.0.0.1:${port}`)), 'refused', /refused/);
  await rejects(VsphereClient.connect(opts('https://vmi-test.invalid')), 'dns');
  assert.equal(mapNetworkError(Object.assign(new Error('x'), { code: 'EAI_AGAIN' }), 'fakevc').reason, 'dns');
  assert.equal(mapNetworkError(Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), 'fakevc').reason, 'timeout');
});

test('login: password sent escaped, never echoed; InvalidLogin is login-refused without retries', async () => {
  let loginBody: XNode | undefined;
  const { url, reqs } = await fake((r, res) => {
    if (r.method === 'RetrieveServiceContent') return send(res, SERVICE_CONTENT);
    loginBody = r.body;
    send(res, FAULT('InvalidLogin', 'Cannot complete login due to an incorrect user name or password.'), 500);
  });
  const e = await rejects(VsphereClient.connect(opts(url)), 'login-refused');
  assert.equal(text(loginBody, 'password'), 'p<&>"\'ü');
  assert.equal(text(loginBody, 'userName'), 'admin@vsphere.local');
  assert.ok(!e.message.includes('p<&>'), 'password not in the message');
  assert.equal(e.exitCode, 3);
  assert.deepEqual(reqs.map((r) => r.method), ['RetrieveServiceContent', 'Login']);
});

test('NotAuthenticated: one re-login with the in-memory password, then the call is retried', async () => {
  let logins = 0;
  let expired = false;
  const { url, reqs } = await fake((r, res) => {
    if (r.method === 'Login') {
      logins++;
      return send(res, LOGIN_OK, 200, { 'set-cookie': `vmware_soap_session="s${logins}"; Path=/` });
    }
    if (session(r, res)) return;
    if (r.method === 'CurrentTime') {
      if (!expired && r.cookie === 'vmware_soap_session="s1"') {
        expired = true;
        return send(res, FAULT('NotAuthenticated', 'The session is not authenticated.'), 500);
      }
      return send(res, RESP('CurrentTime', '<returnval>2024-05-01T10:00:00Z</returnval>'));
    }
    send(res, FAULT('MethodNotFound', 'nope'), 500);
  });
  const c = await VsphereClient.connect(opts(url));
  assert.equal(await c.currentTime(), '2024-05-01T10:00:00Z');
  assert.equal(logins, 2);
  assert.deepEqual(reqs.map((r) => r.method), ['RetrieveServiceContent', 'Login', 'CurrentTime', 'Login', 'CurrentTime']);
  assert.equal(reqs[4]!.cookie, 'vmware_soap_session="s2"');
  // Other faults are soap-fault, named after the fault type, with the vCenter name.
  await rejects(c.call('Nope', { type: 'Folder', value: 'group-d1' }, ''), 'soap-fault', /MethodNotFound: nope/);
  await c.close();
  assert.equal(reqs.at(-1)!.method, 'Logout');
  // After close the password is gone: nothing can log in again.
  await assert.rejects(c.login(), VmiError);
});

test('NotAuthenticated after a successful re-login is not retried again', async () => {
  const { url, reqs } = await fake((r, res) => {
    if (session(r, res)) return;
    send(res, FAULT('NotAuthenticated', 'no'), 500);
  });
  const c = await VsphereClient.connect(opts(url));
  await rejects(c.currentTime(), 'not-authenticated');
  assert.deepEqual(reqs.map((r) => r.method), ['RetrieveServiceContent', 'Login', 'CurrentTime', 'Login', 'CurrentTime']);
  await c.close();
});

// A property collector that pages: maxObjects honoured, tokens t-<offset>, then done.
function pagingServer(totalVms: number, pageSize: number) {
  const vmObj = (i: number) =>
    `<objects><obj type="VirtualMachine">vm-${i}</obj><propSet><name>name</name><val xsi:type="xsd:string">vm &amp; ${i}</val></propSet>` +
    `<propSet><name>runtime.powerState</name><val xsi:type="VirtualMachinePowerState">poweredOn</val></propSet>` +
    `<propSet><name>runtime.host</name><val type="HostSystem" xsi:type="ManagedObjectReference">host-1</val></propSet></objects>`;
  // Tokens remember which objects were asked for and how far the pages got.
  const pending = new Map<string, { ids: number[]; at: number }>();
  let tokenSeq = 0;
  const page = (method: string, ids: number[], from: number, size: number) => {
    const to = Math.min(ids.length, from + size);
    const xml = ids.slice(from, to).map(vmObj).join('');
    let token = '';
    if (to < ids.length) {
      const t = `t-${++tokenSeq}`;
      pending.set(t, { ids, at: to });
      token = `<token>${t}</token>`;
    }
    return RESP(method, `<returnval>${xml}${token}</returnval>`);
  };
  const seen: { maxObjects?: string; tokens: string[]; batches: number[] } = { tokens: [], batches: [] };
  return {
    seen,
    handler: (r: Req, res: http.ServerResponse) => {
      if (session(r, res)) return;
      switch (r.method) {
        case 'CreateContainerView':
          return send(res, RESP('CreateContainerView', `<returnval type="ContainerView">session[x]view-${text(r.body, 'type')}</returnval>`));
        case 'DestroyView':
          return send(res, RESP('DestroyView', ''));
        case 'RetrievePropertiesEx': {
          const type = text(child(child(r.body, 'specSet'), 'propSet'), 'type');
          const objs = children(child(r.body, 'specSet'), 'objectSet').map((o) => child(o, 'obj')!);
          if (type === 'ContainerView' && objs[0]!.text.endsWith('VirtualMachine')) {
            let refs = '';
            for (let i = 0; i < totalVms; i++) refs += `<ManagedObjectReference type="VirtualMachine">vm-${i}</ManagedObjectReference>`;
            return send(res, RESP('RetrievePropertiesEx', `<returnval><objects><obj type="ContainerView">${objs[0]!.text}</obj><propSet><name>view</name><val xsi:type="ArrayOfManagedObjectReference">${refs}</val></propSet></objects></returnval>`));
          }
          if (type === 'VirtualMachine') {
            seen.maxObjects = text(child(r.body, 'options'), 'maxObjects');
            const ids = objs[0]?.attrs?.['type'] === 'VirtualMachine' ? objs.map((o) => Number(o.text.slice(3))) : [...Array(totalVms).keys()];
            seen.batches.push(ids.length);
            return send(res, page('RetrievePropertiesEx', ids, 0, Number(seen.maxObjects)));
          }
          if (type === 'HostSystem') {
            return send(res, RESP('RetrievePropertiesEx', '<returnval><objects><obj type="HostSystem">host-1</obj><propSet><name>name</name><val xsi:type="xsd:string">esx1</val></propSet></objects></returnval>'));
          }
          return send(res, RESP('RetrievePropertiesEx', '')); // nothing else in this fake
        }
        case 'ContinueRetrievePropertiesEx': {
          const tok = text(r.body, 'token')!;
          seen.tokens.push(tok);
          const p = pending.get(tok);
          if (!p) return send(res, FAULT('InvalidArgument', 'unknown token'), 500);
          pending.delete(tok);
          return send(res, page('ContinueRetrievePropertiesEx', p.ids, p.at, pageSize));
        }
        case 'CreateCollectorForEvents':
          return send(res, RESP('CreateCollectorForEvents', '<returnval type="EventHistoryCollector">session[x]ev</returnval>'));
        case 'ReadNextEvents':
          return send(res, RESP('ReadNextEvents', ''));
        case 'DestroyCollector':
          return send(res, RESP('DestroyCollector', ''));
        default:
          return send(res, FAULT('MethodNotFound', r.method), 500);
      }
    },
  };
}

test('paging: RetrievePropertiesEx + ContinueRetrievePropertiesEx until no token', async () => {
  const ps = pagingServer(2345, 100);
  const { url } = await fake(ps.handler);
  const c = await VsphereClient.connect(opts(url));
  const inv = await collectInventory(c, { maxObjects: 100 });
  assert.equal(ps.seen.maxObjects, '100');
  assert.deepEqual(ps.seen.batches, [1000, 1000, 345]); // explicit batches of the listed view
  assert.equal(ps.seen.tokens.length, 9 + 9 + 3);
  assert.equal(new Set(ps.seen.tokens).size, ps.seen.tokens.length);
  assert.equal(inv.vms.length, 2345);
  assert.equal(new Set(inv.vms.map((v) => v.ref)).size, 2345);
  assert.equal(inv.vms.find((v) => v.ref === 'vm-2344')!.name, 'vm & 2344');
  assert.equal(inv.vms[0]!.host, 'esx1'); // resolved through the host retrieval
  assert.equal(inv.vms[0]!.powerState, 'poweredOn');
  await c.close();
});

test('paging: a failure between pages cancels the retrieval token', async () => {
  const ps = pagingServer(50, 10);
  const { url, reqs } = await fake((r, res) => {
    if (r.method === 'ContinueRetrievePropertiesEx' && text(r.body, 'token') === 't-2') return send(res, FAULT('SystemError', 'boom'), 500);
    if (r.method === 'CancelRetrievePropertiesEx') return send(res, RESP('CancelRetrievePropertiesEx', ''));
    ps.handler(r, res);
  });
  const c = await VsphereClient.connect(opts(url));
  const got: string[] = [];
  await rejects(
    retrieve(c, filterSpecBody([{ obj: { type: 'ContainerView', value: 'view-x' } }], [{ type: 'VirtualMachine', paths: ['name'] }]), (oc) => got.push(oc.obj.value), { maxObjects: 10 }),
    'soap-fault',
    /SystemError: boom/,
  );
  assert.equal(got.length, 20);
  const cancel = reqs.find((r) => r.method === 'CancelRetrievePropertiesEx');
  assert.equal(text(cancel?.body, 'token'), 't-2');
  await c.close();
});

test('watch: versions carried, baseline pages followed, a later truncated set asks for a resync', async () => {
  const ps = pagingServer(3, 10);
  const versions: string[] = [];
  let waits = 0;
  const vmUpdate = (kind: string) =>
    `<filterSet><filter type="PropertyFilter">f1</filter><objectSet><kind>${kind}</kind><obj type="VirtualMachine">vm-1</obj>` +
    `<changeSet><name>runtime.powerState</name><op>assign</op><val xsi:type="VirtualMachinePowerState">poweredOff</val></changeSet></objectSet></filterSet>`;
  const { url } = await fake((r, res) => {
    switch (r.method) {
      case 'CreatePropertyCollector':
        return send(res, RESP(r.method, '<returnval type="PropertyCollector">session[x]pc</returnval>'));
      case 'CreateFilter':
        return send(res, RESP(r.method, '<returnval type="PropertyFilter">session[x]f1</returnval>'));
      case 'DestroyPropertyFilter':
      case 'DestroyPropertyCollector':
      case 'CancelWaitForUpdates':
        return send(res, RESP(r.method, ''));
      case 'WaitForUpdatesEx': {
        versions.push(text(r.body, 'version') ?? '');
        waits++;
        if (waits === 1) return send(res, RESP(r.method, `<returnval><version>1</version>${vmUpdate('enter')}<truncated>true</truncated></returnval>`));
        if (waits === 2) return send(res, RESP(r.method, `<returnval><version>2</version>${vmUpdate('enter')}</returnval>`));
        if (waits === 3) return send(res, RESP(r.method, '')); // maxWaitSeconds elapsed, nothing new
        if (waits === 4) return send(res, RESP(r.method, `<returnval><version>3</version>${vmUpdate('modify')}</returnval>`));
        return send(res, RESP(r.method, `<returnval><version>4</version>${vmUpdate('modify')}<truncated>true</truncated></returnval>`));
      }
      default:
        return ps.handler(r, res);
    }
  });
  const c = await VsphereClient.connect(opts(url));
  const changes: WatchChange[] = [];
  let ready = false;
  await watch(c, (ch) => void changes.push(ch), new AbortController().signal, { maxWaitSeconds: 1, onReady: () => (ready = true) });
  assert.ok(ready);
  assert.deepEqual(versions, ['', '1', '2', '2', '3']);
  assert.equal(changes.length, 2);
  assert.equal(changes[0]!.kind, 'changes');
  assert.deepEqual(changes[0]!.kind === 'changes' && changes[0]!.vms.map((v) => [v.ref, v.name, v.host]), [['vm-1', 'vm & 1', 'esx1']]);
  assert.deepEqual(changes[1], { kind: 'resync', reason: 'update set truncated' });
  await c.close();
});
