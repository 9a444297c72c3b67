// Property collector helpers: container views, filter specs, paged RetrievePropertiesEx.

import { VmiError } from '../../errors.js';
import type { CallOptions, StreamOptions, VsphereClient } from './soap.js';
import { morefXml } from './soap.js';
import { child, esc, items, moref, text, type MoRef, type XNode } from './xml.js';

export interface ObjectContent {
  obj: MoRef;
  /** Property path -> <val> element. */
  props: Map<string, XNode>;
  /** Paths the server could not return, with the fault type. */
  missing: Array<{ path: string; fault: string }>;
}

export interface PropSpec {
  type: string;
  paths: readonly string[];
}

export function parseObjectContent(n: XNode): ObjectContent | undefined {
  const obj = moref(child(n, 'obj'));
  if (!obj) return undefined;
  const props = new Map<string, XNode>();
  const missing: ObjectContent['missing'] = [];
  for (const k of n.kids ?? []) {
    if (k.name === 'propSet') {
      const name = text(k, 'name');
      const val = child(k, 'val');
      if (name && val) props.set(name, val);
    } else if (k.name === 'missingSet') {
      const f = child(child(k, 'fault'), 'fault');
      missing.push({ path: text(k, 'path') ?? '', fault: f?.type ?? f?.name ?? 'unknown' });
    }
  }
  return { obj, props, missing };
}

export function propSetXml(specs: readonly PropSpec[]): string {
  let s = '';
  for (const p of specs) {
    s += `<propSet><type>${esc(p.type)}</type><all>false</all>`;
    for (const path of p.paths) s += `<pathSet>${esc(path)}</pathSet>`;
    s += '</propSet>';
  }
  return s;
}

export interface Traversal {
  name?: string;
  type: string;
  path: string;
  skip?: boolean;
  select?: Traversal[];
}

function traversalXml(t: Traversal): string {
  let s = '<selectSet xsi:type="TraversalSpec">';
  if (t.name) s += `<name>${esc(t.name)}</name>`;
  s += `<type>${esc(t.type)}</type><path>${esc(t.path)}</path><skip>${t.skip ? 'true' : 'false'}</skip>`;
  for (const c of t.select ?? []) s += traversalXml(c);
  return s + '</selectSet>';
}

/** A PropertyFilterSpec (without its enclosing element). */
export function filterSpecBody(objects: Array<{ obj: MoRef; skip?: boolean; select?: Traversal[] }>, props: readonly PropSpec[]): string {
  let s = propSetXml(props);
  for (const o of objects) {
    s += `<objectSet>${morefXml('obj', o.obj)}<skip>${o.skip ? 'true' : 'false'}</skip>`;
    for (const t of o.select ?? []) s += traversalXml(t);
    s += '</objectSet>';
  }
  return s + '<reportMissingObjectsInResults>true</reportMissingObjectsInResults>';
}

/** Object set selecting every object of a container view (the view itself skipped). */
export function viewObjects(view: MoRef, more: Traversal[] = []): Array<{ obj: MoRef; skip: boolean; select: Traversal[] }> {
  return [{ obj: view, skip: true, select: [{ name: 'traverseView', type: 'ContainerView', path: 'view', skip: false, select: more }] }];
}

export async function createContainerView(client: VsphereClient, types: readonly string[], opts?: CallOptions, container?: MoRef): Promise<MoRef> {
  const sc = client.serviceContent;
  if (!sc.viewManager) throw new VmiError('bad-response', `vCenter ${client.label}: no ViewManager (is this a vCenter or ESXi 4+?)`);
  let args = morefXml('container', container ?? sc.rootFolder);
  for (const t of types) args += `<type>${esc(t)}</type>`;
  args += '<recursive>true</recursive>';
  const res = await client.call('CreateContainerView', sc.viewManager, args, opts);
  const ref = moref(child(res, 'returnval'));
  if (!ref) throw new VmiError('bad-response', `vCenter ${client.label}: CreateContainerView returned no view`);
  return ref;
}

export async function destroyView(client: VsphereClient, view: MoRef): Promise<void> {
  await client.call('DestroyView', view, '', { timeoutMs: 10_000 }).catch(() => undefined);
}

export interface RetrieveOptions extends StreamOptions {
  /** Objects per page requested from the server (it may return fewer or ignore it). */
  maxObjects?: number;
  /** Property collector to use (default: the service content's). */
  collector?: MoRef;
}

/**
 * RetrievePropertiesEx + ContinueRetrievePropertiesEx until the server returns no token. Every
 * ObjectContent is parsed and handed to `onObject` as soon as it is complete; no page is kept.
 */
export async function retrieve(
  client: VsphereClient,
  spec: string,
  onObject: (oc: ObjectContent) => void,
  opts: RetrieveOptions = {},
): Promise<number> {
  const pc = opts.collector ?? client.serviceContent.propertyCollector;
  let count = 0;
  const emit = (node: XNode, stack: readonly XNode[]): boolean => {
    if (node.name !== 'objects' || stack.length !== 4 || stack[3]!.name !== 'returnval') return false;
    const oc = parseObjectContent(node);
    if (oc) {
      count++;
      onObject(oc);
    }
    return true;
  };
  const maxObjects = opts.maxObjects ?? 500;
  let res = await client.callStream(
    'RetrievePropertiesEx',
    pc,
    `<specSet>${spec}</specSet><options><maxObjects>${maxObjects}</maxObjects></options>`,
    emit,
    opts,
  );
  let token = text(child(res, 'returnval'), 'token')?.trim();
  // onReceived is for the first response only (the caller's pipelining); later pages stream.
  const rest = opts.onReceived ? { ...opts, onReceived: undefined } : opts;
  try {
    while (token) {
      res = await client.callStream('ContinueRetrievePropertiesEx', pc, `<token>${esc(token)}</token>`, emit, rest);
      token = text(child(res, 'returnval'), 'token')?.trim();
    }
  } catch (e) {
    if (token) {
      await client.call('CancelRetrievePropertiesEx', pc, `<token>${esc(token)}</token>`, { timeoutMs: 10_000, noRelogin: true }).catch(() => undefined);
    }
    throw e;
  }
  return count;
}

/** The objects a container view currently holds (its `view` property). */
export async function listView(client: VsphereClient, view: MoRef, opts: RetrieveOptions = {}): Promise<MoRef[]> {
  const out: MoRef[] = [];
  await retrieve(client, filterSpecBody([{ obj: view }], [{ type: 'ContainerView', paths: ['view'] }]), (oc) => {
    for (const r of items(oc.props.get('view'))) {
      const m = moref(r);
      if (m) out.push(m);
    }
  }, opts);
  return out;
}

/** Retrieve properties of explicitly listed objects. */
export async function retrieveObjects(
  client: VsphereClient,
  refs: readonly MoRef[],
  props: readonly PropSpec[],
  onObject: (oc: ObjectContent) => void,
  opts: RetrieveOptions = {},
): Promise<number> {
  if (!refs.length) return 0;
  return retrieve(client, filterSpecBody(refs.map((obj) => ({ obj })), props), onObject, opts);
}

