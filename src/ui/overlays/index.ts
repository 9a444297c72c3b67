// Every overlay by kind.
import { commandOverlay } from './command.js';
import { confirmOverlay } from './confirm.js';
import { credentialsOverlay } from './credentials.js';
import { formOverlay } from './form.js';
import { helpOverlay, noticeOverlay } from './help.js';
import { pickerOverlay } from './picker.js';
import { searchOverlay } from './search.js';
import { tagsOverlay } from './tags.js';
import type { Overlay, OverlayDef } from './types.js';

export const OVERLAYS: { [K in Overlay['kind']]: OverlayDef<K> } = {
  help: helpOverlay, notice: noticeOverlay, search: searchOverlay, command: commandOverlay, picker: pickerOverlay,
  tags: tagsOverlay, form: formOverlay, confirm: confirmOverlay, credentials: credentialsOverlay,
};

export function overlayDef<K extends Overlay['kind']>(kind: K): OverlayDef<K> {
  return OVERLAYS[kind] as OverlayDef<K>;
}
