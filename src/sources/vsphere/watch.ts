// Live updates: a property filter on a container view of VMs and hosts, WaitForUpdatesEx loop.
//
// The updates only say which objects entered, changed or left; changed objects are then read
// again with the full property set and converted like in a full retrieval, so callers always get
// complete records. Anything unexpected (truncated update set, fault, lost session) ends the watch
// with a 'resync' change: the caller runs a full retrieval and starts a new watch.

import type { HostRecord, VmRecord } from '../../model/records.js';
import { VmiError } from '../../errors.js';
import { loadStructure } from './collect.js';
import { HOST_PATHS, convertHost, convertVm, detach, resolveHost, resolveVm, vmPaths, vmSkip, vmWatchPaths } from './convert.js';
import { createContainerView, destroyView, filterSpecBody, retrieveObjects, viewObjects } from './props.js';
import type { VsphereClient } from './soap.js';
import { child, moref, text, type MoRef, type XNode } from './xml.js';

export type WatchChange =
  | { kind: 'changes'; vms: VmRecord[]; hosts: HostRecord[]; removedVms: string[]; removedHosts: string[] }
  | { kind: 'resync'; reason: string };

export interface WatchOptions {
  /** Server-side wait per WaitForUpdatesEx call (default 30 s; the HTTP deadline is 30 s more). */
  maxWaitSeconds?: number;
  /** Called once the baseline is established: later changes will be reported. */
  onReady?: () => void;
  /** Objects per update set while establishing the baseline (default 1000). */
  maxObjectUpdates?: number;
}

interface UpdateBatch {
  version: string;
  truncated: boolean;
  changed: Map<string, MoRef>;
  left: Map<string, MoRef>;
}

async function waitForUpdates(
  client: VsphereClient,
  pc: MoRef,
  version: string,
  wait: number,
  maxUpdates: number | undefined,
  signal: AbortSignal,
): Promise<UpdateBatch | undefined> {
  const changed = new Map<string, MoRef>();
  const left = new Map<string, MoRef>();
  const emit = (node: XNode, stack: readonly XNode[]): boolean => {
    if (node.name !== 'objectSet' || stack.length !== 5 || stack[4]!.name !== 'filterSet') return false;
    const obj = moref(child(node, 'obj'));
    const kind = text(node, 'kind')?.trim();
    if (!obj) return true;
    if (kind === 'leave') {
      changed.delete(obj.value);
      left.set(obj.value, obj);
    } else {
      left.delete(obj.value);
      changed.set(obj.value, obj);
    }
    return true;
  };
  let opts = `<maxWaitSeconds>${wait}</maxWaitSeconds>`;
  if (maxUpdates) opts += `<maxObjectUpdates>${maxUpdates}</maxObjectUpdates>`;
  const res = await client.callStream(
    'WaitForUpdatesEx',
    pc,
    `<version>${version.replace(/[<&>"']/g, '')}</version><options>${opts}</options>`,
    emit,
    // Only obj and kind are read: changed objects are re-read in full afterwards.
    // A new session would not have our collector and filter: NotAuthenticated means resync.
    { signal, noRelogin: true, timeoutMs: (wait + 30) * 1000, skip: (n, stack) => n.name === 'changeSet' && stack[stack.length - 1]?.name === 'objectSet' },
  );
  const rv = child(res, 'returnval');
  if (!rv) return undefined; // maxWaitSeconds elapsed without changes
  return {
    version: text(rv, 'version')?.trim() ?? version,
    truncated: text(rv, 'truncated')?.trim() === 'true',
    changed,
    left,
  };
}

/**
 * Watch VMs and hosts until `signal` aborts (resolves) or something requires a full resync
 * (delivers { kind: 'resync' } and resolves).
 */
export async function watch(
  client: VsphereClient,
  onChange: (c: WatchChange) => void | Promise<void>,
  signal: AbortSignal,
  opts: WatchOptions = {},
): Promise<void> {
  const wait = Math.max(1, Math.min(opts.maxWaitSeconds ?? 30, 300));
  const sc = client.serviceContent;
  const cleanup: Array<() => Promise<unknown>> = [];
  let pc: MoRef | undefined;
  try {
    const { ctx } = await loadStructure(client, { signal });
    const res = await client.call('CreatePropertyCollector', sc.propertyCollector, '', { signal });
    pc = moref(child(res, 'returnval'));
    if (!pc) throw new VmiError('bad-response', `vCenter ${client.label}: CreatePropertyCollector returned nothing`);
    const collector = pc;
    cleanup.push(() => client.call('DestroyPropertyCollector', collector, '', { timeoutMs: 10_000, noRelogin: true }));
    const view = await createContainerView(client, ['VirtualMachine', 'HostSystem'], { signal });
    cleanup.push(() => destroyView(client, view));
    const vmP = vmPaths({ createDate: client.apiAtLeast(6, 7) });
    const spec = filterSpecBody(viewObjects(view), [
      { type: 'VirtualMachine', paths: vmWatchPaths({ createDate: client.apiAtLeast(6, 7) }) },
      { type: 'HostSystem', paths: HOST_PATHS },
    ]);
    const f = await client.call('CreateFilter', collector, `<spec>${spec}</spec><partialUpdates>false</partialUpdates>`, { signal });
    const filter = moref(child(f, 'returnval'));
    if (filter) cleanup.unshift(() => client.call('DestroyPropertyFilter', filter, '', { timeoutMs: 10_000, noRelogin: true }));

    // Baseline: the first update set(s) carry the current state, which the caller already has.
    let version = '';
    for (;;) {
      const b = await waitForUpdates(client, collector, version, 0, opts.maxObjectUpdates ?? 1000, signal);
      if (!b) break;
      version = b.version;
      if (!b.truncated) break;
    }
    opts.onReady?.();

    while (!signal.aborted) {
      const b = await waitForUpdates(client, collector, version, wait, undefined, signal);
      if (!b) continue;
      version = b.version;
      if (b.truncated) {
        await onChange({ kind: 'resync', reason: 'update set truncated' });
        return;
      }
      const vmRefs: MoRef[] = [];
      const hostRefs: MoRef[] = [];
      for (const r of b.changed.values()) (r.type === 'HostSystem' ? hostRefs : vmRefs).push(r);
      const change: WatchChange & { kind: 'changes' } = { kind: 'changes', vms: [], hosts: [], removedVms: [], removedHosts: [] };
      for (const r of b.left.values()) (r.type === 'HostSystem' ? change.removedHosts : change.removedVms).push(r.value);
      const now = new Date();
      const seen = new Set<string>();
      await Promise.all([
        retrieveObjects(client, hostRefs, [{ type: 'HostSystem', paths: HOST_PATHS }], (oc) => {
          const d = convertHost(oc, now);
          ctx.add(d.rec.ref, 'HostSystem', d.rec.name, d.parent);
          seen.add(oc.obj.value);
          change.hosts.push(detach(resolveHost(d, ctx)));
        }, { signal }),
        retrieveObjects(client, vmRefs, [{ type: 'VirtualMachine', paths: vmP }], (oc) => {
          seen.add(oc.obj.value);
          change.vms.push(detach(resolveVm(convertVm(oc), ctx)));
        }, { signal, skip: vmSkip }),
      ]);
      // Objects that vanished between the update and the read are reported as removed.
      for (const r of [...hostRefs, ...vmRefs]) {
        if (!seen.has(r.value)) (r.type === 'HostSystem' ? change.removedHosts : change.removedVms).push(r.value);
      }
      if (change.vms.length || change.hosts.length || change.removedVms.length || change.removedHosts.length) await onChange(change);
    }
  } catch (e) {
    if (signal.aborted) return;
    await onChange({ kind: 'resync', reason: e instanceof Error ? e.message : String(e) });
  } finally {
    if (pc && signal.aborted) {
      await client.call('CancelWaitForUpdates', pc, '', { timeoutMs: 5_000, noRelogin: true }).catch(() => undefined);
    }
    for (const c of cleanup) await c().catch(() => undefined);
  }
}

