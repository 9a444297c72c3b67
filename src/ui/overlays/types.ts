// The overlays' states. An overlay takes the body's place (the header and footer stay); the
// command line takes the status line's.
import type { Key } from 'ink';
import type React from 'react';
import type { OwnerEntry } from '../../model/live.js';
import type { AppContext } from '../context.js';
import type { Scope } from '../keys.js';
import type { Line } from '../widgets/lineedit.js';

export interface FormField {
  id: string;
  label: string;
  value: Line;
  secret?: boolean;
  hint?: string;
  /** A fixed set of values: space or left/right cycle, a letter picks the first that starts with it. */
  choices?: string[];
}

export interface FormState {
  title: string;
  fields: FormField[];
  focus: number;
  error: string | null;
  note?: string;
  submit: (values: Record<string, string>) => void;
}

export type PickerRow = { kind: 'owner'; owner: OwnerEntry; vms: number } | { kind: 'new' } | { kind: 'none' };
export type TagRow = { kind: 'typed'; tag: string; add: boolean | null } | { kind: 'tag'; tag: string; count: number };

export type Overlay =
  | { kind: 'help'; scroll: number }
  | { kind: 'search'; q: Line; cursor: number; applied?: string }
  | { kind: 'command'; q: Line; error: string | null }
  | { kind: 'picker'; role: 'technical' | 'business'; q: Line; cursor: number; targets: number[] }
  | { kind: 'tags'; q: Line; cursor: number; targets: number[]; note: string | null }
  | { kind: 'form'; form: FormState }
  | { kind: 'confirm'; text: string; run: () => void }
  | { kind: 'notice'; title: string; lines: string[]; scroll: number }
  /** `ntx`: a second account for Prism Central, asked when its configured user differs from the vCenters'. */
  | { kind: 'credentials'; user: Line; pass: Line; ntx?: { user: Line; pass: Line }; field: number; error: string | null };

export type OverlayOf<K extends Overlay['kind']> = Extract<Overlay, { kind: K }>;

/** One overlay: its header title, key scopes, key handling and component. */
export interface OverlayDef<K extends Overlay['kind'] = Overlay['kind']> {
  kind: K;
  title: string;
  scopes: Scope[];
  key(o: OverlayOf<K>, ctx: AppContext, input: string, key: Partial<Key>, name: string): void;
  Component: (p: { ctx: AppContext; o: OverlayOf<K>; cols: number; h: number }) => React.ReactNode;
}
