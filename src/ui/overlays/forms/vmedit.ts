// The VM edit form: project, environment, notes, overrides of synced values, a custom field and a
// manual IP, for one VM or every marked one (a field left as it was changes nothing).
import { isIP } from 'node:net';
import { VmiError } from '../../../errors.js';
import type { ManualDoc, VmView } from '../../../model/vm.js';
import { addManualIp, setCustomField, setManual } from '../../../store/manual.js';
import type { AppContext } from '../../context.js';
import { EMPTY, line } from '../../widgets/lineedit.js';
import type { FormField, Overlay } from '../types.js';

const POWER_WORD: Record<string, string> = { poweredOn: 'on', poweredOff: 'off', suspended: 'suspended', unknown: 'unknown' };
const POWER_FROM_WORD: Record<string, string> = { on: 'poweredOn', off: 'poweredOff', suspended: 'suspended', poweredon: 'poweredOn', poweredoff: 'poweredOff' };

export function vmEditForm(ctx: AppContext, t: VmView[]): Overlay {
  const same = (get: (v: VmView) => string | undefined) => {
    const first = get(t[0]) ?? '';
    return t.every((v) => (get(v) ?? '') === first) ? first : '';
  };
  const mixed = (get: (v: VmView) => string | undefined) => (t.length > 1 && !t.every((v) => (get(v) ?? '') === (get(t[0]) ?? '')) ? 'mixed: leave empty to keep each VM\'s value' : undefined);
  const power = (v: VmView) => (v.overridden.includes('power') ? POWER_WORD[v.power] : '');
  const ovText = (f: VmView['overridden'][number], val: (v: VmView) => string | undefined) => (v: VmView) => (v.overridden.includes(f) ? val(v) : '');
  const fields: FormField[] = [
    { id: 'project', label: 'Project', value: line(same((v) => v.project)), hint: mixed((v) => v.project) },
    { id: 'environment', label: 'Environment', value: line(same((v) => v.environment)), hint: mixed((v) => v.environment) },
    { id: 'notes', label: 'Notes', value: line(same((v) => v.notes)), hint: mixed((v) => v.notes) },
    { id: 'power', label: 'Power override', value: line(same(power)), choices: ['', 'on', 'off', 'suspended'], hint: `none = the synced value (${t.length === 1 ? POWER_WORD[t[0].synced.power] : 'per VM'})` },
    { id: 'cluster', label: 'Cluster override', value: line(same(ovText('cluster', (v) => v.cluster))), hint: t.length === 1 ? `synced: ${t[0].synced.cluster ?? '-'}` : undefined },
    { id: 'hostname', label: 'Hostname override', value: line(same(ovText('hostname', (v) => v.hostname))), hint: t.length === 1 ? `synced: ${t[0].synced.hostname ?? '-'}` : undefined },
    { id: 'os', label: 'OS override', value: line(same(ovText('os', (v) => v.os))), hint: t.length === 1 ? `synced: ${t[0].synced.os ?? '-'}` : undefined },
    { id: 'field', label: 'Custom field', value: EMPTY, hint: 'key=value sets it, key= removes it' },
    { id: 'ip', label: 'Manual IP', value: EMPTY, hint: 'an address; add " primary" to make it the primary IP' },
  ];
  const initial = Object.fromEntries(fields.map((f) => [f.id, f.value.text]));
  return {
    kind: 'form', form: {
      title: t.length === 1 ? `Edit ${t[0].name}` : `Edit ${t.length} marked VMs`, focus: 0, error: null, fields,
      note: 'Synced values stay visible in the detail view; a sync never overwrites these.',
      submit: (v) => saveEdit(ctx, t, initial, v),
    },
  };
}

function saveEdit(ctx: AppContext, targets: VmView[], initial: Record<string, string>, v: Record<string, string>): void {
  const patch: ManualDoc = {};
  const overrides: NonNullable<ManualDoc['overrides']> = {};
  const changed = (k: string) => v[k].trim() !== (initial[k] ?? '').trim();
  if (changed('project')) patch.project = v.project.trim();
  if (changed('environment')) patch.environment = v.environment.trim();
  if (changed('notes')) patch.notes = v.notes.trim();
  if (changed('power')) {
    const p = v.power.trim().toLowerCase();
    const want = p === '' ? '' : POWER_FROM_WORD[p];
    if (want === undefined) throw new VmiError('usage', `power override: on, off, suspended or empty, not "${v.power}"`);
    (overrides as Record<string, unknown>).powerState = want; // '' removes the override
  }
  if (changed('cluster')) (overrides as Record<string, unknown>).cluster = v.cluster.trim();
  if (changed('hostname')) (overrides as Record<string, unknown>).hostname = v.hostname.trim();
  if (changed('os')) (overrides as Record<string, unknown>).osType = v.os.trim();
  let field: { key: string; value: string | null } | null = null;
  if (v.field.trim()) {
    const m = /^([^=]+)=(.*)$/.exec(v.field.trim());
    if (!m || !m[1].trim()) throw new VmiError('usage', 'custom field: write key=value (or key= to remove it)');
    field = { key: m[1].trim(), value: m[2].trim() === '' ? null : m[2].trim() };
  }
  let ip: { ip: string; primary: boolean } | null = null;
  if (v.ip.trim()) {
    const [addr, flag] = v.ip.trim().split(/\s+/);
    if (!isIP(addr)) throw new VmiError('usage', `"${addr}" is not an IP address`);
    if (flag && flag !== 'primary') throw new VmiError('usage', 'manual IP: an address, optionally followed by "primary"');
    ip = { ip: addr, primary: flag === 'primary' };
  }
  if (Object.keys(overrides).length) patch.overrides = overrides;
  const n = Object.keys(patch).length;
  if (n === 0 && !field && !ip) {
    ctx.flash('nothing changed', 'muted');
    return;
  }
  for (const vm of targets) {
    if (n) setManual(ctx.store, ctx.actor!, vm, patch);
    if (field) setCustomField(ctx.store, ctx.actor!, vm, field.key, field.value);
    if (ip) addManualIp(ctx.store, ctx.actor!, vm, ip.ip, { primary: ip.primary });
  }
  ctx.reload();
  ctx.flash(`saved ${targets.length === 1 ? targets[0].name : `${targets.length} VMs`}`, 'good');
}
