// A view that shows one object as scrolling lines (datastore, host, portgroup details): the
// lines are computed once per model version (and whatever else `key` says), not per frame.
import React from 'react';
import type { AppContext, GoParams } from '../context.js';
import type { KeyCommand } from '../keys.js';
import type { ViewDef, ViewInstance } from '../view.js';
import { DetailPanel, type DetailLine } from './detail.js';
import { ListCursor } from './table/state.js';

export interface DetailSpec {
  id: string;
  title: string;
  keys?: KeyCommand[];
  /** The header's title for the object shown. */
  heading(ctx: AppContext, id: number): string;
  lines(ctx: AppContext, id: number, d: DetailState): DetailLine[];
  /** More than the model version that changes the lines (a chart window, a backfill). */
  key?(d: DetailState): string;
  commands?(ctx: AppContext, d: DetailState): Record<string, () => void>;
  /** Called when an object is shown (a backfill, for instance). */
  shown?(ctx: AppContext, d: DetailState): void;
  /** News from the worker (a backfill done). */
  workerEvent?(ctx: AppContext, d: DetailState, name: string, payload: unknown): void;
}

export class DetailState implements ViewInstance {
  readonly list = new ListCursor();
  id: number | null = null;
  /** Free for the view (a chart window...). */
  mode = '';
  private memo: { key: string; lines: DetailLine[] } | null = null;
  readonly commands: Record<string, () => void>;

  /** The screen width the lines were made for (charts fill it). */
  cols = 80;

  constructor(private readonly spec: DetailSpec, readonly ctx: AppContext) {
    this.commands = spec.commands?.(ctx, this) ?? {};
  }

  scopes(): string[] {
    return [this.spec.id, 'list', 'global'];
  }

  title(): string {
    return this.id === null ? this.spec.title : this.spec.heading(this.ctx, this.id);
  }

  lines(): DetailLine[] {
    const m = this.ctx.model;
    if (!m || this.id === null) return [{ text: 'Nothing to show.', tone: 'muted' }];
    const key = `${m.version}|${this.id}|${this.mode}|${this.spec.key?.(this) ?? ''}|${this.ctx.theme.name}|${this.cols}`;
    if (this.memo?.key !== key) this.memo = { key, lines: this.spec.lines(this.ctx, this.id, this) };
    return this.memo.lines;
  }

  /** Drops the computed lines: something they show changed outside the model. */
  stale(): void {
    this.memo = null;
  }

  move(delta: number): void {
    this.list.scroll(delta, Math.max(0, this.lines().length - this.pageRows()));
  }

  pageRows(): number {
    return Math.max(1, this.ctx.bodyRows());
  }

  enter(p: GoParams): void {
    if (p.id === undefined) return;
    if (p.id !== this.id) this.list.top = 0;
    this.id = p.id;
    this.memo = null;
    this.spec.shown?.(this.ctx, this);
  }

  leave(): void {
    this.memo = null;
  }

  workerEvent(name: string, payload: unknown): void {
    this.spec.workerEvent?.(this.ctx, this, name, payload);
  }

  render(cols: number, h: number): React.ReactNode {
    this.cols = cols;
    return <DetailPanel lines={this.lines()} list={this.list} cols={cols} h={h} ellipsis={this.ctx.theme.glyphs.ellipsis} />;
  }
}

export function detailView(spec: DetailSpec): ViewDef {
  return { id: spec.id, title: spec.title, keys: spec.keys ?? [], create: (ctx) => new DetailState(spec, ctx) };
}
