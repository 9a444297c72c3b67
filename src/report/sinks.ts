// Where sheets go: an xlsx workbook streamed with exceljs, a folder of CSV files (RVTools' CSV
// flavour), or one CSV / JSON file. Every sink writes temp files beside the targets and renames
// them only on commit(), so an interrupted export leaves nothing half-written behind.
import { closeSync, createWriteStream, openSync, readSync, type WriteStream, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { type Cell, type Column, csvCell, DATE, INT, jsonCell } from './cells.js';
import { PendingFile, PendingFiles, requireFolder } from './outfile.js';
import { columnLetters, type RowStyles, rowXml } from './sheetxml.js';

export type Rows = Iterable<Cell[]> | AsyncIterable<Cell[]>;

export interface SheetHead {
  name: string;
  columns: readonly Column[];
  /** No frozen pane, filter or header style (RVTools' vMetaData). */
  plain?: boolean;
}

export interface SheetSpec extends SheetHead {
  rows: Rows;
  /** Rows given before the sheet's turn (see Sink.draft); written first, then `rows`. */
  draft?: Draft;
}

/**
 * A sheet's first rows, taken before its turn: several sheets filled from one pass over the
 * data, while an earlier sheet is written. Each row is rendered at once (XML or CSV text) into a
 * scratch file beside the target, so memory does not grow with the rows held.
 */
export interface Draft {
  add(row: readonly Cell[]): void;
  readonly rows: number;
}

export interface Sink {
  /** Writes one sheet; returns its data rows. */
  write(sheet: SheetSpec): Promise<number>;
  /** Starts a sheet to be written later (by write() with this draft), in the order of write() calls. */
  draft?(sheet: SheetHead): Draft;
  commit(): Promise<void>;
  abort(): Promise<void>;
  /** Data cells written so far (empty ones included). */
  readonly cells: number;
  /** The file (or folder) written, as an absolute path. */
  readonly target: string;
}

// Let the zip and file streams drain between batches of rows: the sheet is never held whole,
// and an app that exports keeps answering keys.
const BATCH = 256;
const BACKLOG = 4 * 1024 * 1024;
const tick = () => new Promise<void>((r) => setImmediate(r));

async function drain(out: WriteStream, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', r));
}

/** Stops a file stream and waits until its file is closed (an open still under way would
 * otherwise create the file again after it was removed). */
async function discard(out: WriteStream): Promise<void> {
  if (out.closed) return;
  await new Promise<void>((r) => {
    out.once('close', () => r());
    out.destroy();
  });
}

async function closeStream(out: WriteStream): Promise<void> {
  await new Promise<void>((res, rej) => {
    out.once('error', rej);
    out.end(() => res());
  });
}

/** Text appended to a scratch file (removed when done) and read back in chunks. */
class Spool {
  private readonly file: PendingFile;
  private fd: number | undefined;
  // Text is encoded into this buffer as it comes: many short strings joined into a long one
  // would live long enough to be copied around by the garbage collector.
  private readonly buf = Buffer.allocUnsafe(SPOOL_CHUNK);
  private used = 0;

  constructor(beside: string, name: string) {
    this.file = new PendingFile(join(dirname(beside), `.${basename(beside)}.${name.replace(/[^A-Za-z0-9_-]/g, '_')}.spool`));
    this.fd = openSync(this.file.temp, 'w+');
  }

  add(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > this.buf.length) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        writeSync(this.fd!, text);
        return;
      }
    }
    this.used += this.buf.write(text, this.used);
  }

  private flush(): void {
    if (!this.used || this.fd === undefined) return;
    writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }

  /** The text so far, in chunks; then the file is gone. */
  *drain(): Generator<Buffer> {
    this.flush();
    const fd = this.fd!;
    let pos = 0;
    try {
      for (;;) {
        const b = Buffer.allocUnsafe(SPOOL_CHUNK);
        const n = readSync(fd, b, 0, b.length, pos);
        if (n <= 0) break;
        pos += n;
        yield b.subarray(0, n);
      }
    } finally {
      this.discard();
    }
  }

  /** Removes the file (again: harmless). */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.file.abort();
  }
}

const SPOOL_CHUNK = 1 << 20;

const HEADER_STYLE: Partial<ExcelJS.Style> = Object.freeze({
  font: { bold: true, color: { argb: 'FFFFFFFF' } },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF000000' } },
}) as Partial<ExcelJS.Style>;

const NO_STYLE = Object.freeze({});

/** exceljs' style registry of a workbook (styles.addStyleModel) and its cell type numbers. */
interface StyleRegistry { addStyleModel(style: object, type: number): number }
const VALUE_NUMBER = ExcelJS.ValueType.Number;
const VALUE_STRING = ExcelJS.ValueType.String;
const VALUE_DATE = ExcelJS.ValueType.Date;

function widthOf(c: Column): number {
  if (c.width) return c.width;
  if (c.fmt?.startsWith('yyyy')) return 20;
  return Math.min(40, Math.max(10, c.header.length + 3));
}

interface XlsxDraft extends Draft {
  readonly spool: Spool;
}

export class XlsxSink implements Sink {
  private readonly file: PendingFile;
  private readonly out: WriteStream;
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly drafts = new Set<XlsxDraft>();
  /** Style ids by style object, as exceljs' own cache (styles.addStyleModel) gives them. */
  private readonly styleIds = new Map<object, number>();
  cells = 0;

  get target(): string {
    return this.file.target;
  }

  constructor(target: string) {
    this.file = new PendingFile(target);
    this.out = createWriteStream(this.file.temp);
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.out, useStyles: true, useSharedStrings: false });
  }

  /** exceljs numbers a style object the first time it meets it; asking in the same order gives the same ids. */
  private styleId(style: object, type: number): number {
    let id = this.styleIds.get(style);
    if (id === undefined) {
      id = (this.wb as unknown as { styles: StyleRegistry }).styles.addStyleModel(style, type);
      this.styleIds.set(style, id);
    }
    return id;
  }

  /**
   * The XML of one sheet's data rows. One style object per column, as exceljs is handed them
   * cell by cell (a string cell gets NO_STYLE, so that text never takes a number format).
   */
  private renderer(columns: readonly Column[]): (row: readonly Cell[], r: number) => string {
    const styles = columns.map((c) => (c.fmt ? Object.freeze({ numFmt: c.fmt }) : NO_STYLE));
    const st: RowStyles = {
      number: (col, kind) => this.styleId(styles[col]!, kind === 'date' ? VALUE_DATE : VALUE_NUMBER),
      text: () => this.styleId(NO_STYLE, VALUE_STRING),
    };
    const width = columns.length;
    const letters = columns.map((_c, i) => columnLetters(i + 1));
    return (row, r) => rowXml(row, width, r, letters, st);
  }

  draft(sheet: SheetHead): Draft {
    if (!this.drafts.size && !this.styleIds.size) {
      // Rows of later sheets are rendered before earlier ones: the styles a report starts with
      // (header, date, whole number) are numbered first, in the order its first sheet meets them.
      this.styleId(HEADER_STYLE, VALUE_STRING);
      this.styleId(Object.freeze({ numFmt: DATE }), VALUE_DATE);
      this.styleId(Object.freeze({ numFmt: INT }), VALUE_NUMBER);
    }
    const spool = new Spool(this.file.target, sheet.name);
    const render = this.renderer(sheet.columns);
    const d = {
      spool,
      rows: 0,
      add(row: readonly Cell[]) {
        d.rows++;
        spool.add(render(row, d.rows + 1));
      },
    };
    this.drafts.add(d);
    return d;
  }

  async write(s: SheetSpec): Promise<number> {
    const ws = this.wb.addWorksheet(s.name, s.plain ? {} : { views: [{ state: 'frozen', xSplit: 1, ySplit: 1, topLeftCell: 'B2', activeCell: 'B2' }] });
    ws.columns = s.columns.map((c) => ({ width: widthOf(c) }));
    const header = ws.addRow(s.columns.map((c) => c.header));
    if (!s.plain) header.eachCell((c) => { c.style = HEADER_STYLE; });
    header.commit();
    // The rows go straight into the worksheet's stream as XML (see sheetxml.ts); the header row
    // above went through exceljs, which opened the sheet's data.
    const stream = (ws as unknown as { stream: { write(chunk: string | Buffer): unknown } }).stream;
    const width = s.columns.length;
    let n = 0;
    const draft = s.draft as XlsxDraft | undefined;
    if (draft) {
      if (!this.drafts.has(draft)) throw new Error(`sheet ${s.name}: not a draft of this workbook`);
      for (const chunk of draft.spool.drain()) {
        stream.write(chunk);
        await this.settle(ws);
      }
      this.drafts.delete(draft);
      n = draft.rows;
    }
    const render = this.renderer(s.columns);
    let chunk = '';
    for await (const row of s.rows) {
      n++;
      chunk += render(row, n + 1);
      if (n % BATCH === 0) {
        stream.write(chunk);
        chunk = '';
        await this.settle(ws);
      }
    }
    if (chunk) stream.write(chunk);
    this.cells += n * width;
    if (!s.plain) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: n + 1, column: width } };
    await ws.commit();
    return n;
  }

  /**
   * Waits while the zip has more than BACKLOG bytes of this sheet to compress. exceljs hands its
   * sheet data to the zip without back-pressure, so without this the whole workbook would pile up
   * in memory whenever XML is made faster than it is deflated. The buffers looked at are
   * exceljs' own (its sheet stream and the deflate stream it feeds); if a later exceljs renames
   * them, this only stops waiting.
   */
  private async settle(ws: ExcelJS.Worksheet): Promise<void> {
    await tick();
    type State = { length?: number };
    const s = (ws as unknown as { stream?: { buffers?: State[]; pipes?: Array<{ _readableState?: State; _writableState?: State }> } }).stream;
    const backlog = () => {
      let n = 0;
      for (const b of s?.buffers ?? []) n += b.length ?? 0;
      for (const p of s?.pipes ?? []) n += (p._readableState?.length ?? 0) + (p._writableState?.length ?? 0);
      return n;
    };
    while (backlog() > BACKLOG) await new Promise((r) => setTimeout(r, 2));
  }

  async commit(): Promise<void> {
    try {
      if (this.drafts.size) throw new Error('a drafted sheet was never written');
      await this.wb.commit();
    } catch (e) {
      await this.abort();
      throw e;
    }
    this.file.commit();
  }

  async abort(): Promise<void> {
    for (const d of this.drafts) d.spool.discard();
    this.drafts.clear();
    await discard(this.out);
    this.file.abort();
  }
}

/** RFC 4180 CSV with every text cell quoted and formula-like text prefixed (OWASP). */
export function csvLine(row: readonly Cell[], width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    if (i) s += ',';
    const v = csvCell(row[i]);
    if (typeof v === 'number') s += String(v);
    else if (v !== '') s += `"${v.includes('"') ? v.replace(/"/g, '""') : v}"`;
  }
  return s + '\r\n';
}

interface CsvDraft extends Draft {
  readonly spool: Spool;
}

async function writeCsv(out: WriteStream, s: SheetSpec): Promise<number> {
  const width = s.columns.length;
  let chunk = csvLine(s.columns.map((c) => c.header), width);
  let n = 0;
  const draft = s.draft as CsvDraft | undefined;
  if (draft) {
    await drain(out, chunk);
    chunk = '';
    for (const b of draft.spool.drain()) await drain(out, b);
    n = draft.rows;
  }
  for await (const row of s.rows) {
    chunk += csvLine(row, width);
    n++;
    if (n % BATCH === 0) {
      await drain(out, chunk);
      chunk = '';
    }
  }
  if (chunk) await drain(out, chunk);
  return n;
}

/** One CSV file per sheet in a folder, named RVTools_tab<Sheet>.csv as RVTools names them. */
export class CsvFolderSink implements Sink {
  private readonly files = new PendingFiles();
  private readonly dir: string;
  private readonly drafts = new Set<CsvDraft>();
  cells = 0;

  draft(sheet: SheetHead): Draft {
    const spool = new Spool(join(this.dir, `${this.prefix}${sheet.name}.csv`), 'rows');
    const width = sheet.columns.length;
    const d = {
      spool,
      rows: 0,
      add(row: readonly Cell[]) {
        d.rows++;
        spool.add(csvLine(row, width));
      },
    };
    this.drafts.add(d);
    return d;
  }

  get target(): string {
    return this.dir;
  }

  constructor(dir: string, private readonly prefix = 'RVTools_tab') {
    this.dir = requireFolder(dir);
  }

  async write(s: SheetSpec): Promise<number> {
    const draft = s.draft as CsvDraft | undefined;
    if (draft && !this.drafts.has(draft)) throw new Error(`sheet ${s.name}: not a draft of this folder`);
    const f = this.files.add(join(this.dir, `${this.prefix}${s.name}.csv`));
    const out = createWriteStream(f.temp);
    try {
      const n = await writeCsv(out, s);
      await closeStream(out);
      this.cells += n * s.columns.length;
      return n;
    } catch (e) {
      await discard(out);
      throw e;
    } finally {
      if (draft) {
        draft.spool.discard();
        this.drafts.delete(draft);
      }
    }
  }

  async commit(): Promise<void> {
    if (this.drafts.size) {
      await this.abort();
      throw new Error('a drafted sheet was never written');
    }
    this.files.commit();
  }

  async abort(): Promise<void> {
    for (const d of this.drafts) d.spool.discard();
    this.drafts.clear();
    this.files.abort();
  }
}

/** One table in one CSV or JSON file (the JSON is an array of objects keyed by header). */
export class SingleFileSink implements Sink {
  private readonly file: PendingFile;
  private readonly out: WriteStream;
  private used = false;
  cells = 0;

  get target(): string {
    return this.file.target;
  }

  constructor(target: string, private readonly format: 'csv' | 'json') {
    this.file = new PendingFile(target);
    this.out = createWriteStream(this.file.temp);
  }

  async write(s: SheetSpec): Promise<number> {
    if (this.used) throw new Error('a single-file export holds one table');
    this.used = true;
    const n = this.format === 'csv' ? await writeCsv(this.out, s) : await this.writeJson(s);
    this.cells += n * s.columns.length;
    return n;
  }

  private async writeJson(s: SheetSpec): Promise<number> {
    const keys = s.columns.map((c) => c.header);
    let chunk = '[';
    let n = 0;
    for await (const row of s.rows) {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) o[keys[i]!] = jsonCell(row[i]);
      chunk += (n ? ',\n' : '\n') + JSON.stringify(o);
      n++;
      if (n % BATCH === 0) {
        await drain(this.out, chunk);
        chunk = '';
      }
    }
    await drain(this.out, chunk + (n ? '\n]\n' : ']\n'));
    return n;
  }

  async commit(): Promise<void> {
    try {
      await closeStream(this.out);
    } catch (e) {
      await this.abort();
      throw e;
    }
    this.file.commit();
  }

  async abort(): Promise<void> {
    await discard(this.out);
    this.file.abort();
  }
}
