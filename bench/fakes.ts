// A terminal for driving the real app in-process: keys go in through stdin, frames come out
// through ScreenOut. Shared by the UI bench and its fresh-process unlock runs.
import { EventEmitter } from 'node:events';

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(d: string): void {
    this.data = d;
    this.emit('readable');
  }
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  setRawMode(): void {}
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export class FakeTerm {
  columns = 200;
  rows = 60;
  text = '';
  write(d: string): boolean {
    this.text = d;
    return true;
  }
}

/** A full frame of the VMs view: the list is there with its "x of y VMs". */
export const FULL = /of [\d,]+ VMs/;
