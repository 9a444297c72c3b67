// The interface every view plugs into the shell with. A view module exports one ViewDef: its id,
// title, ":" names and key map entries (data), and `create`, which makes its state for one app.
import type React from 'react';
import type { AppContext, GoParams, Message } from './context.js';
import type { KeyCommand, Scope } from './keys.js';
import type { FilterBox } from './widgets/table/state.js';

/** A ":" command: its names, what the help says, and what it does (default: go to the view). */
export interface ColonCommand {
  names: string[];
  help: string;
  /** Returns an error to show, or null. */
  run?: (ctx: AppContext, arg: string) => string | null;
}

/** A table as data, in display order: what export and search read from any table view. */
export interface TableData {
  columns: { id: string; title: string }[];
  count: number;
  rows(): Iterable<string[]>;
}

export interface ViewDef {
  id: string;
  title: string;
  /** The digit that goes to it, and what the help calls it. */
  digit?: string;
  menu?: string;
  colon?: ColonCommand[];
  /** Key map entries that belong to this view (usually in its own scope). */
  keys: KeyCommand[];
  create(ctx: AppContext): ViewInstance;
}

export interface ViewInstance {
  /** The key map scopes that apply, most specific first ('global' last). */
  scopes(): Scope[];
  /** Command handlers by command id. */
  commands: Record<string, () => void>;
  /** The "are you sure" text of a dangerous command; null cancels it, undefined asks "<description>?". */
  confirm?(id: string): string | null | undefined;
  /** The header title when it says more than the view's title. */
  title?(): string;
  /** Cursor keys (delta = +-1, a page, +-Infinity). */
  move(delta: number): void;
  /** Visible rows: what PgUp/PgDn move by. */
  pageRows(): number;
  /** The filter being typed, if this view has one. */
  filter?: FilterBox;
  /** Called by `go` (also when the view is already in front). */
  enter?(p: GoParams): void;
  /** Called when another view takes its place: big rows can go. */
  leave?(): void;
  /** Called when the model changed (after the worker committed). */
  changed?(): void;
  /** News from the worker thread ('backfilled'...). */
  workerEvent?(name: string, payload: unknown): void;
  /** The status line when nothing else is said. */
  hint?(): Message | null;
  table?(): TableData;
  render(cols: number, h: number): React.ReactNode;
}
