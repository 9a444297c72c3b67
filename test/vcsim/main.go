// vcsim launcher for vmi's tests: a vCenter simulator (govmomi's simulator package) with a
// configurable topology and, with -fixtures, a set of deliberately awkward objects (names with
// markup characters and emoji, VLAN/trunk/PVLAN portgroups, a vMotion vmknic, a datastore inside a
// storage pod, a local datastore, a VM without devices, a template, custom attributes, alarms).
//
// Built in GOPATH mode against Debian's golang-github-vmware-govmomi-dev:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o vcsim ./test/vcsim
//
// On start it prints exactly one JSON line on stdout:
//
//	{"url":"https://127.0.0.1:PORT/sdk","thumbprint":"AA:BB:...","username":"u","password":"p","vms":N,"hosts":N,"datastores":N}
//
// and serves until stdin is closed or it receives SIGINT/SIGTERM.
//
// Scale flags follow vcsim's model: -vm is the number of VMs in each cluster's root resource pool
// (spread over the cluster's hosts) and on each standalone host; -ds datastores are mounted on
// every host of a datacenter; -pod storage pods and -pg distributed portgroups are per datacenter.
package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"log"
	"net/url"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Names used by -fixtures; the TypeScript tests assert on them.
const (
	fancyVMName   = "web & <db> \"prod\" \u00fc\u00f1\u00ef \U0001F680"
	emptyDCName   = "Empty \u2601 DC"
	bareVMName    = "bare-vm"
	templateName  = "tmpl-linux"
	vlanPGName    = "PG-VLAN120 & <x>"
	trunkPGName   = "PG-Trunk"
	pvlanPGName   = "PG-PVLAN"
	podDSName     = "PodDS 1"
	localDSName   = "local-ds"
	alarmName     = "Host CPU & <usage>"
	customField   = "Owner & Co"
	customValue   = "Ops <team> \"A\" \u2713"
	annotation    = "Line1 & <b>\nLine2"
	vmotionPGName = "vMotion"
)

// tempDirs are removed on exit (the model removes its own).
var tempDirs []string

func tempDir(prefix string) (string, error) {
	d, err := ioutil.TempDir("", prefix)
	if err == nil {
		tempDirs = append(tempDirs, d)
	}
	return d, err
}

type ready struct {
	URL        string `json:"url"`
	Thumbprint string `json:"thumbprint,omitempty"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	VMs        int    `json:"vms"`
	Hosts      int    `json:"hosts"`
	Datastores int    `json:"datastores"`
}

func main() {
	dc := flag.Int("dc", 1, "datacenters")
	cluster := flag.Int("cluster", 1, "clusters per datacenter")
	host := flag.Int("host", 2, "hosts per cluster")
	standalone := flag.Int("standalone-host", 1, "standalone hosts per datacenter")
	vm := flag.Int("vm", 2, "VMs per cluster resource pool and per standalone host")
	ds := flag.Int("ds", 1, "shared datastores per datacenter (mounted on every host)")
	pg := flag.Int("pg", 1, "distributed portgroups per datacenter")
	pod := flag.Int("pod", 1, "storage pods (datastore clusters) per datacenter")
	listen := flag.String("listen", "127.0.0.1:0", "listen address (port 0 picks a free port)")
	plain := flag.Bool("http", false, "serve plain http instead of https")
	username := flag.String("username", "vmi", "accepted user name")
	password := flag.String("password", "vmi-secret", "accepted password")
	fixtures := flag.Bool("fixtures", false, "add awkward objects used by the tests")
	verbose := flag.Bool("v", false, "keep vcsim's own log output (stderr)")
	flag.Parse()

	if !*verbose {
		log.SetOutput(ioutil.Discard)
	}
	fail := func(format string, args ...interface{}) {
		fmt.Fprintf(os.Stderr, "vcsim: "+format+"\n", args...)
		for _, d := range tempDirs {
			_ = os.RemoveAll(d)
		}
		os.Exit(1)
	}

	model := simulator.VPX()
	model.Datacenter = *dc
	model.Cluster = *cluster
	model.ClusterHost = *host
	model.Host = *standalone
	model.Machine = *vm
	model.Datastore = *ds
	model.Portgroup = *pg
	model.Pod = *pod
	model.Autostart = true

	if err := model.Create(); err != nil {
		fail("create model: %v", err)
	}
	defer func() {
		model.Remove()
		for _, d := range tempDirs {
			_ = os.RemoveAll(d)
		}
	}()

	ctx := context.Background()
	// In-process client (no HTTP) with vcsim's internal session, used to shape the inventory.
	c, err := vim25.NewClient(ctx, model.Service)
	if err != nil {
		fail("in-process client: %v", err)
	}

	fixHostMounts()
	if *fixtures {
		if err := addFixtures(ctx, c); err != nil {
			fail("fixtures: %v", err)
		}
	}
	fixHostMounts()

	u := &url.URL{Host: *listen}
	u.User = url.UserPassword(*username, *password)
	model.Service.Listen = u
	if !*plain {
		model.Service.TLS = new(tls.Config)
	}
	server := model.Service.NewServer()
	defer server.Close()

	out := ready{
		Username:   *username,
		Password:   *password,
		VMs:        len(simulator.Map.All("VirtualMachine")),
		Hosts:      len(simulator.Map.All("HostSystem")),
		Datastores: len(simulator.Map.All("Datastore")),
	}
	clean := *server.URL
	clean.User = nil
	out.URL = clean.String()
	if !*plain {
		sum := sha256.Sum256(server.Certificate().Raw)
		hexs := make([]string, len(sum))
		for i, b := range sum {
			hexs[i] = fmt.Sprintf("%02X", b)
		}
		out.Thumbprint = strings.Join(hexs, ":")
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))

	done := make(chan struct{}, 2)
	go func() {
		_, _ = io.Copy(ioutil.Discard, os.Stdin)
		done <- struct{}{}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		done <- struct{}{}
	}()
	<-done
}

// fixHostMounts makes Datastore.host list every host that has the datastore in HostSystem.datastore:
// the stock model creates one Datastore object per host with the same moref, so only the last mount
// survives, which would make every shared datastore look local.
func fixHostMounts() {
	mounts := map[types.ManagedObjectReference][]types.ManagedObjectReference{}
	for _, e := range simulator.Map.All("HostSystem") {
		h := e.(*simulator.HostSystem)
		for _, ref := range h.Datastore {
			mounts[ref] = append(mounts[ref], h.Self)
		}
	}
	for ref, hosts := range mounts {
		d, ok := simulator.Map.Get(ref).(*simulator.Datastore)
		if !ok {
			continue
		}
		have := map[types.ManagedObjectReference]bool{}
		for _, m := range d.Host {
			have[m.Key] = true
		}
		for _, h := range hosts {
			if have[h] {
				continue
			}
			d.Host = append(d.Host, types.DatastoreHostMount{
				Key: h,
				MountInfo: types.HostMountInfo{
					AccessMode: string(types.HostMountModeReadWrite),
					Mounted:    types.NewBool(true),
					Accessible: types.NewBool(true),
				},
			})
		}
		d.Summary.MultipleHostAccess = types.NewBool(len(d.Host) > 1)
	}
}

func byName(kind, name string) mo.Entity {
	for _, e := range simulator.Map.All(kind) {
		if e.Entity().Name == name {
			return e
		}
	}
	return nil
}

func sortedByName(kind string) []mo.Entity {
	all := simulator.Map.All(kind)
	sort.Slice(all, func(i, j int) bool { return all[i].Entity().Name < all[j].Entity().Name })
	return all
}

// wait waits for the task returned by a govmomi call (in-process, so this is immediate).
func wait(t *object.Task, err error) error {
	if err != nil {
		return err
	}
	return t.Wait(context.Background())
}

func addFixtures(ctx context.Context, c *vim25.Client) error {
	finder := object.NewRootFolder(c)

	// 1. An empty datacenter with an awkward name.
	if _, err := finder.CreateDatacenter(ctx, emptyDCName); err != nil {
		return fmt.Errorf("empty dc: %w", err)
	}

	dcs := sortedByName("Datacenter")
	var dc0 *simulator.Datacenter
	for _, e := range dcs {
		if e.Entity().Name == "DC0" {
			dc0 = e.(*simulator.Datacenter)
		}
	}
	if dc0 == nil {
		return fmt.Errorf("DC0 missing")
	}
	dcObj := object.NewDatacenter(c, dc0.Self)
	folders, err := dcObj.Folders(ctx)
	if err != nil {
		return err
	}

	// 2. DV portgroups with VLAN, trunk and private VLAN settings.
	dvsE := byName("VmwareDistributedVirtualSwitch", "DVS0")
	if dvsE == nil {
		dvsE = byName("DistributedVirtualSwitch", "DVS0")
	}
	if dvsE != nil {
		dvs := object.NewDistributedVirtualSwitch(c, dvsE.Entity().Self)
		specs := []types.DVPortgroupConfigSpec{
			{Name: vlanPGName, NumPorts: 8, DefaultPortConfig: &types.VMwareDVSPortSetting{
				Vlan: &types.VmwareDistributedVirtualSwitchVlanIdSpec{VlanId: 120},
			}},
			{Name: trunkPGName, NumPorts: 8, DefaultPortConfig: &types.VMwareDVSPortSetting{
				Vlan: &types.VmwareDistributedVirtualSwitchTrunkVlanSpec{VlanId: []types.NumericRange{{Start: 100, End: 110}, {Start: 200, End: 200}}},
			}},
			{Name: pvlanPGName, NumPorts: 8, DefaultPortConfig: &types.VMwareDVSPortSetting{
				Vlan: &types.VmwareDistributedVirtualSwitchPvlanSpec{PvlanId: 333},
			}},
		}
		if err := wait(dvs.AddPortgroup(ctx, specs)); err != nil {
			return fmt.Errorf("portgroups: %w", err)
		}
		if d, ok := simulator.Map.Get(dvsE.Entity().Self).(*simulator.DistributedVirtualSwitch); ok {
			d.Config.GetDVSConfigInfo().ConfigVersion = "3"
			if v, ok := d.Config.(*types.VMwareDVSConfigInfo); ok {
				v.MaxMtu = 9000
			}
			d.Summary.ProductInfo = &types.DistributedVirtualSwitchProductSpec{Version: "7.0.3"}
		}
	}

	// 3. Datastores: one shared datastore inside the storage pod, one local to a single host.
	clusterHosts := []*simulator.HostSystem{}
	var standaloneHost *simulator.HostSystem
	for _, e := range sortedByName("HostSystem") {
		h := e.(*simulator.HostSystem)
		if !strings.HasPrefix(h.Name, "DC0_") {
			continue
		}
		if strings.HasPrefix(h.Name, "DC0_C0_") {
			clusterHosts = append(clusterHosts, h)
		} else if standaloneHost == nil && h.Parent.Type == "ComputeResource" {
			standaloneHost = h
		}
	}
	if len(clusterHosts) == 0 {
		return fmt.Errorf("no cluster hosts in DC0")
	}
	podDir, err := tempDir("vmi-vcsim-pod-")
	if err != nil {
		return err
	}
	var podDS *object.Datastore
	for _, h := range clusterHosts {
		dss, err := object.NewHostSystem(c, h.Self).ConfigManager().DatastoreSystem(ctx)
		if err != nil {
			return err
		}
		d, err := dss.CreateLocalDatastore(ctx, podDSName, podDir)
		if err != nil {
			return fmt.Errorf("pod datastore: %w", err)
		}
		podDS = d
	}
	if podE := byName("StoragePod", "DC0_POD0"); podE != nil && podDS != nil {
		pod := object.NewFolder(c, podE.Entity().Self)
		if err := wait(pod.MoveInto(ctx, []types.ManagedObjectReference{podDS.Reference()})); err != nil {
			return fmt.Errorf("move into pod: %w", err)
		}
	}
	localHost := clusterHosts[0]
	if standaloneHost != nil {
		localHost = standaloneHost
	}
	localDir, err := tempDir("vmi-vcsim-local-")
	if err != nil {
		return err
	}
	dss, err := object.NewHostSystem(c, localHost.Self).ConfigManager().DatastoreSystem(ctx)
	if err != nil {
		return err
	}
	if _, err := dss.CreateLocalDatastore(ctx, localDSName, localDir); err != nil {
		return fmt.Errorf("local datastore: %w", err)
	}
	fixHostMounts()
	if podE := byName("StoragePod", "DC0_POD0"); podE != nil {
		p := simulator.Map.Get(podE.Entity().Self).(*simulator.StoragePod)
		var capacity, free int64
		for _, ref := range p.ChildEntity {
			if d, ok := simulator.Map.Get(ref).(*simulator.Datastore); ok {
				capacity += d.Summary.Capacity
				free += d.Summary.FreeSpace
			}
		}
		p.Summary = &types.StoragePodSummary{Name: p.Name, Capacity: capacity, FreeSpace: free}
	}

	// 4. A vMotion vmknic on the first cluster host, with VLAN 42 on its standard portgroup.
	h0 := clusterHosts[0]
	net := h0.Config.Network
	net.Portgroup = append(net.Portgroup, types.HostPortGroup{
		Key:     "key-vim.host.PortGroup-" + vmotionPGName,
		Vswitch: "key-vim.host.VirtualSwitch-vSwitch0",
		Spec:    types.HostPortGroupSpec{Name: vmotionPGName, VlanId: 42, VswitchName: "vSwitch0"},
	})
	if len(net.Vswitch) > 0 {
		net.Vswitch[0].Portgroup = append(net.Vswitch[0].Portgroup, "key-vim.host.PortGroup-"+vmotionPGName)
		net.Vswitch[0].Mtu = 9000
	}
	vmk1 := types.HostVirtualNic{
		Device:    "vmk1",
		Key:       "key-vim.host.VirtualNic-vmk1",
		Portgroup: vmotionPGName,
		Spec: types.HostVirtualNicSpec{
			Ip:         &types.HostIpConfig{Dhcp: false, IpAddress: "10.10.10.11", SubnetMask: "255.255.255.0"},
			Mac:        "00:50:56:6a:bb:01",
			Mtu:        9000,
			Portgroup:  vmotionPGName,
			TsoEnabled: types.NewBool(true),
		},
	}
	net.Vnic = append(net.Vnic, vmk1)
	if len(net.Vnic) > 0 && net.Vnic[0].Spec.Ip != nil {
		net.Vnic[0].Spec.Ip.IpAddress = "10.0.0.101"
	}
	if info := h0.Config.VirtualNicManagerInfo; info != nil {
		for i := range info.NetConfig {
			nc := &info.NetConfig[i]
			if nc.NicType == "vmotion" {
				cand := vmk1
				cand.Key = "vmotion." + vmk1.Key
				nc.CandidateVnic = append(nc.CandidateVnic, cand)
				nc.SelectedVnic = append(nc.SelectedVnic, cand.Key)
			}
		}
	}
	h0.Summary.QuickStats.OverallCpuUsage = 1200
	h0.Summary.QuickStats.OverallMemoryUsage = 4096
	h0.Summary.QuickStats.Uptime = 3600
	h0.Hardware.SystemInfo.SerialNumber = "SN-0001"

	// 5. The first cluster VM: awkward name, two NICs with IPs, two disks, tools, annotation.
	var vm0 *simulator.VirtualMachine
	for _, e := range sortedByName("VirtualMachine") {
		if strings.HasPrefix(e.Entity().Name, "DC0_C0_") {
			vm0 = e.(*simulator.VirtualMachine)
			break
		}
	}
	if vm0 == nil {
		return fmt.Errorf("no cluster VM in DC0")
	}
	vmObj := object.NewVirtualMachine(c, vm0.Self)
	devices, err := vmObj.Device(ctx)
	if err != nil {
		return err
	}
	netRef := simulator.Map.FindByName("VM Network", dc0.Network)
	if netRef != nil {
		backing, err := object.NewNetwork(c, netRef.Reference()).EthernetCardBackingInfo(ctx)
		if err != nil {
			return err
		}
		nic, err := devices.CreateEthernetCard("vmxnet3", backing)
		if err != nil {
			return err
		}
		if err := vmObj.AddDevice(ctx, nic); err != nil {
			return fmt.Errorf("add nic: %w", err)
		}
	}
	devices, _ = vmObj.Device(ctx)
	if scsi, err := devices.FindSCSIController(""); err == nil {
		var dsRef types.ManagedObjectReference
		if len(vm0.Datastore) > 0 {
			dsRef = vm0.Datastore[0]
		}
		dsName := "LocalDS_0"
		if d, ok := simulator.Map.Get(dsRef).(*simulator.Datastore); ok {
			dsName = d.Name
		}
		disk := devices.CreateDisk(scsi, dsRef, fmt.Sprintf("[%s] %s/disk2.vmdk", dsName, vm0.Name))
		disk.CapacityInKB = 10 * 1024 * 1024
		if b, ok := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo); ok {
			b.ThinProvisioned = types.NewBool(true)
		}
		if err := vmObj.AddDevice(ctx, disk); err != nil {
			return fmt.Errorf("add disk: %w", err)
		}
	}
	if err := wait(vmObj.Reconfigure(ctx, types.VirtualMachineConfigSpec{
		Annotation: annotation, NumCPUs: 4, NumCoresPerSocket: 2, MemoryMB: 8192,
	})); err != nil {
		return fmt.Errorf("reconfigure: %w", err)
	}
	if err := wait(vmObj.Rename(ctx, fancyVMName)); err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	vm0.Config.GuestFullName = "Ubuntu Linux (64-bit)"
	vm0.Guest.GuestFullName = "Ubuntu 22.04.3 LTS"
	vm0.Guest.ToolsRunningStatus = string(types.VirtualMachineToolsRunningStatusGuestToolsRunning)
	vm0.Guest.ToolsStatus = types.VirtualMachineToolsStatusToolsOk
	vm0.Guest.HostName = "web01.example.com"
	ips := [][]string{{"10.0.0.10", "fe80::250:56ff:fe00:1"}, {"192.168.1.20"}}
	for i := range vm0.Guest.Net {
		if i < len(ips) {
			vm0.Guest.Net[i].IpAddress = ips[i]
			cfg := &types.NetIpConfigInfo{}
			for _, ip := range ips[i] {
				cfg.IpAddress = append(cfg.IpAddress, types.NetIpConfigInfoIpAddress{IpAddress: ip, PrefixLength: 24})
			}
			vm0.Guest.Net[i].IpConfig = cfg
		}
	}
	if len(vm0.Guest.Net) > 0 {
		vm0.Guest.IpAddress = ips[0][0]
	}

	cfm := object.NewCustomFieldsManager(c)
	def, err := cfm.Add(ctx, customField, "VirtualMachine", nil, nil)
	if err != nil {
		return fmt.Errorf("custom field: %w", err)
	}
	if err := cfm.Set(ctx, vm0.Self, def.Key, customValue); err != nil {
		return fmt.Errorf("custom value: %w", err)
	}

	// 6. A VM with no devices at all (powered off, no tools) and a template.
	var pool *object.ResourcePool
	if vm0.ResourcePool != nil {
		pool = object.NewResourcePool(c, *vm0.ResourcePool)
	}
	for _, name := range []string{bareVMName, templateName} {
		spec := types.VirtualMachineConfigSpec{
			Name:    name,
			GuestId: string(types.VirtualMachineGuestOsIdentifierOtherGuest),
			Files:   &types.VirtualMachineFileInfo{VmPathName: "[LocalDS_0]"},
		}
		t, err := folders.VmFolder.CreateVM(ctx, spec, pool, nil)
		if err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
		info, err := t.WaitForResult(ctx, nil)
		if err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
		if name == templateName {
			o := object.NewVirtualMachine(c, info.Result.(types.ManagedObjectReference))
			if err := o.MarkAsTemplate(ctx); err != nil {
				return fmt.Errorf("template: %w", err)
			}
		}
	}

	// 7. An alarm (the stock simulator has no AlarmManager) triggered on a host and on vm0.
	alarm := &mo.Alarm{}
	alarm.Self = types.ManagedObjectReference{Type: "Alarm", Value: "alarm-7"}
	alarm.Info = types.AlarmInfo{Key: "alarm-7", Alarm: alarm.Self, Entity: folders.VmFolder.Reference()}
	alarm.Info.Name = alarmName
	alarm.Info.Description = "fixture alarm"
	simulator.Map.Put(alarm)
	now := time.Now().UTC().Truncate(time.Second)
	h0.TriggeredAlarmState = append(h0.TriggeredAlarmState, types.AlarmState{
		Key: "alarm-7.host-0", Entity: h0.Self, Alarm: alarm.Self, OverallStatus: types.ManagedEntityStatusRed, Time: now,
		Acknowledged: types.NewBool(false),
	})
	vm0.TriggeredAlarmState = append(vm0.TriggeredAlarmState, types.AlarmState{
		Key: "alarm-7.vm-0", Entity: vm0.Self, Alarm: alarm.Self, OverallStatus: types.ManagedEntityStatusYellow, Time: now,
		Acknowledged: types.NewBool(true),
	})

	return nil
}
