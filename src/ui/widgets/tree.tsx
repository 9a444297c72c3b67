// A tree of rows that expand and collapse (storage and network topology): flattened to the
// visible rows only, so a tree of thousands of nodes draws what fits on the screen.
import React from 'react';
import { C } from '../keys.js';
import { Line, Panel } from './primitives.js';
import { clamp, ListCursor } from './table/state.js';
import type { Glyphs, Tone } from './theme.js';

/** Keys every tree view has (its scopes include 'tree'). */
export const TREE_KEYS = [
  C('tree.expand', ['right', 'l'], 'expand', ['tree'], 'Storage and networks', { footer: 4, short: 'expand' }),
  C('tree.collapse', ['left', 'h'], 'collapse (or go to the parent)', ['tree'], 'Storage and networks', { footer: 5, short: 'collapse' }),
  C('tree.expandAll', ['+'], 'expand everything', ['tree'], 'Storage and networks'),
  C('tree.collapseAll', ['-'], 'collapse everything', ['tree'], 'Storage and networks'),
  C('tree.vms', ['v'], 'the VMs on it', ['tree'], 'Storage and networks', { footer: 6, short: 'VMs' }),
];

export interface TreeNode<T = unknown> {
  /** Unique in the tree: what expansion and the selection remember. */
  key: string;
  data: T;
  children?: TreeNode<T>[];
}

export interface TreeRow<T = unknown> {
  node: TreeNode<T>;
  depth: number;
  /** Has children (whether or not they are shown). */
  branch: boolean;
  open: boolean;
}

/** The rows shown: every root, and the children of open nodes, depth first. Pure. */
export function visibleRows<T>(roots: TreeNode<T>[], open: ReadonlySet<string>): TreeRow<T>[] {
  const out: TreeRow<T>[] = [];
  const walk = (nodes: TreeNode<T>[], depth: number) => {
    for (const node of nodes) {
      const branch = !!node.children?.length;
      const isOpen = branch && open.has(node.key);
      out.push({ node, depth, branch, open: isOpen });
      if (isOpen) walk(node.children!, depth + 1);
    }
  };
  walk(roots, 0);
  return out;
}

/** Every key of a node with children (for "expand all"). */
export function branchKeys<T>(roots: TreeNode<T>[]): string[] {
  const out: string[] = [];
  const walk = (nodes: TreeNode<T>[]) => {
    for (const n of nodes) {
      if (!n.children?.length) continue;
      out.push(n.key);
      walk(n.children);
    }
  };
  walk(roots);
  return out;
}

/** The tree keys' handlers for a view's tree state and rows. */
export function treeCommands<T>(tree: TreeState, rows: () => TreeRow<T>[], roots: () => TreeNode<T>[]): Record<string, () => void> {
  return {
    'tree.expand': () => void tree.expand(rows()),
    'tree.collapse': () => tree.collapse(rows()),
    'tree.expandAll': () => tree.expandAll(roots()),
    'tree.collapseAll': () => tree.collapseAll(),
  };
}

/** Opens the way to a node and puts the cursor on it (a search hit, a jump from elsewhere). */
export function revealNode<T>(tree: TreeState, roots: TreeNode<T>[], key: string, rows: () => TreeRow<T>[]): void {
  const path = (nodes: TreeNode<T>[], trail: string[]): string[] | null => {
    for (const n of nodes) {
      if (n.key === key) return trail;
      const hit = n.children ? path(n.children, [...trail, n.key]) : null;
      if (hit) return hit;
    }
    return null;
  };
  for (const k of path(roots, []) ?? []) tree.open.add(k);
  tree.select(rows(), key);
}

/** Which nodes are open and where the cursor is; the cursor stays on its node across changes. */
export class TreeState {
  readonly open = new Set<string>();
  readonly list = new ListCursor();
  private selectedKey: string | null = null;

  /** The rows for these roots; the cursor follows the selected node when rows come and go. */
  rows<T>(roots: TreeNode<T>[], open: ReadonlySet<string> = this.open): TreeRow<T>[] {
    const rows = visibleRows(roots, open);
    if (this.selectedKey !== null && rows[this.list.cursor]?.node.key !== this.selectedKey) {
      const i = rows.findIndex((r) => r.node.key === this.selectedKey);
      if (i >= 0) this.list.cursor = i;
    }
    this.list.cursor = clamp(this.list.cursor, 0, Math.max(0, rows.length - 1));
    this.selectedKey = rows[this.list.cursor]?.node.key ?? null;
    return rows;
  }

  move<T>(rows: TreeRow<T>[], delta: number): void {
    this.list.move(delta, rows.length);
    this.selectedKey = rows[this.list.cursor]?.node.key ?? null;
  }

  /** Puts the cursor on a node, when it is shown. */
  select<T>(rows: TreeRow<T>[], key: string): void {
    const i = rows.findIndex((r) => r.node.key === key);
    if (i < 0) return;
    this.list.cursor = i;
    this.selectedKey = key;
  }

  /** → or enter on a closed branch: opens it. Returns false when there was nothing to open. */
  expand<T>(rows: TreeRow<T>[]): boolean {
    const r = rows[this.list.cursor];
    if (!r?.branch || r.open) return false;
    this.open.add(r.node.key);
    return true;
  }

  /** ←: closes an open branch, else goes to the parent. */
  collapse<T>(rows: TreeRow<T>[]): void {
    const i = this.list.cursor;
    const r = rows[i];
    if (!r) return;
    if (r.open) {
      this.open.delete(r.node.key);
      return;
    }
    for (let j = i - 1; j >= 0; j--) {
      if (rows[j].depth < r.depth) {
        this.list.cursor = j;
        this.selectedKey = rows[j].node.key;
        return;
      }
    }
  }

  toggle<T>(rows: TreeRow<T>[]): void {
    const r = rows[this.list.cursor];
    if (!r?.branch) return;
    if (r.open) this.open.delete(r.node.key);
    else this.open.add(r.node.key);
  }

  expandAll<T>(roots: TreeNode<T>[]): void {
    for (const k of branchKeys(roots)) this.open.add(k);
  }

  collapseAll(): void {
    this.open.clear();
  }
}

/** The marker and indentation of a row: "  ▾ name", "    ▸ name", "      name". */
export function treeLead(r: TreeRow, g: Pick<Glyphs, 'expanded' | 'collapsed'>): string {
  return `${'  '.repeat(r.depth)}${r.branch ? (r.open ? g.expanded : g.collapsed) : ' '} `;
}

/**
 * Draws the visible window of the rows; `text` gives a row's text after its lead, exactly `room`
 * columns wide (the tree does not measure it again: a line with bar glyphs is slow to measure).
 */
export function Tree<T>({ rows, state, cols, h, glyphs, color, text, tone }: {
  rows: TreeRow<T>[]; state: TreeState; cols: number; h: number; glyphs: Glyphs; color: boolean;
  text: (r: TreeRow<T>, room: number) => string; tone?: (r: TreeRow<T>) => Tone | undefined;
}) {
  const { top, cursor } = state.list.window(rows.length, h);
  const out: React.ReactNode[] = [];
  for (let i = top; i < Math.min(rows.length, top + h); i++) {
    const r = rows[i];
    const lead = `${i === cursor && !color ? '>' : ' '}${treeLead(r as TreeRow, glyphs)}`;
    out.push(<Line key={i - top} text={`${lead}${text(r, Math.max(0, cols - lead.length))}`} tone={tone?.(r)} inverse={i === cursor} />);
  }
  return <Panel height={h}>{out}</Panel>;
}
