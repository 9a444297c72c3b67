// Every view, in the order the help lists their keys. Adding a view: a folder under views/ that
// exports a ViewDef, and one line here.
import type { ViewDef } from '../view.js';
import { alarmsView } from './alarms/index.js';
import { auditView } from './audit/index.js';
import { changesView } from './changes/index.js';
import { dashboardView } from './dashboard/index.js';
import { datastoreView } from './datastore/index.js';
import { datastoresView } from './datastores/index.js';
import { hostView } from './host/index.js';
import { hostsView } from './hosts/index.js';
import { networksView } from './networks/index.js';
import { ownersView } from './owners/index.js';
import { portgroupView } from './portgroup/index.js';
import { settingsView } from './settings/index.js';
import { vmView } from './vm/index.js';
import { vmsView } from './vms/index.js';

export const VIEWS: ViewDef[] = [
  dashboardView, vmsView, vmView, hostsView, hostView, datastoresView, datastoreView, networksView, portgroupView, changesView, alarmsView, ownersView, auditView, settingsView,
];
