//go:build !nogui

package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// trayMenu is the app's tray menu as exported over D-Bus by Fyne's systray
// (StatusNotifierItem + com.canonical.dbusmenu). It is there even when no
// tray host runs, which is how a headless test can use it.
type trayMenu struct {
	obj dbus.BusObject
}

// trayItem is one node of the dbusmenu layout.
type trayItem struct {
	ID       int32
	Label    string
	Enabled  bool
	Children []trayItem
}

func waitTrayMenu(ctx context.Context, t *testing.T, pid int) *trayMenu {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	dest := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", pid)
	m := &trayMenu{obj: conn.Object(dest, "/StatusNotifierItem/menu")}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		root, err := m.layout()
		if err == nil && len(root.Children) > 0 {
			return m
		}
		select {
		case <-ctx.Done():
			t.Fatalf("tray menu %s never appeared: %v", dest, err)
		case <-tick.C:
		}
	}
}

// layout reads the whole menu tree.
func (m *trayMenu) layout() (trayItem, error) {
	var revision uint32
	var raw dbusLayout
	call := m.obj.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{"label", "enabled"})
	if err := call.Store(&revision, &raw); err != nil {
		return trayItem{}, err
	}
	return raw.item()
}

// dbusLayout is the (ia{sv}av) struct dbusmenu uses for every node.
type dbusLayout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

func (l dbusLayout) item() (trayItem, error) {
	it := trayItem{ID: l.ID, Enabled: true}
	if v, ok := l.Props["label"]; ok {
		it.Label, _ = v.Value().(string)
	}
	if v, ok := l.Props["enabled"]; ok {
		it.Enabled, _ = v.Value().(bool)
	}
	for _, c := range l.Children {
		var child dbusLayout
		if err := dbus.Store([]any{c.Value()}, &child); err != nil {
			return trayItem{}, fmt.Errorf("menu item %d: %w", l.ID, err)
		}
		ci, err := child.item()
		if err != nil {
			return trayItem{}, err
		}
		it.Children = append(it.Children, ci)
	}
	return it, nil
}

// clickFirstNotReadyReason clicks the first reason under Not Ready ▸ and
// returns its label. The softphone loads the reasons from Finesse after
// sign-in and then rebuilds the menu, so this waits for them to appear.
func (m *trayMenu) clickFirstNotReadyReason(ctx context.Context, t *testing.T) string {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last []trayItem
	for {
		root, err := m.layout()
		if err != nil {
			t.Fatalf("tray layout: %v", err)
		}
		last = root.Children
		for _, it := range root.Children {
			if it.Label == "Not Ready" && len(it.Children) > 0 {
				m.click(t, it.Children[0].ID)
				return it.Children[0].Label
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the tray menu never offered Not Ready reasons: %+v", last)
		case <-tick.C:
		}
	}
}

func (m *trayMenu) click(t *testing.T, id int32) {
	t.Helper()
	call := m.obj.Call("com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(0))
	if call.Err != nil {
		t.Fatalf("clicking tray item %d: %v", id, call.Err)
	}
}

// waitTrayTooltip waits until the tray icon's StatusNotifierItem ToolTip
// (icon name, pixmaps, title, text) has a title containing want.
func waitTrayTooltip(ctx context.Context, t *testing.T, pid int, want string) string {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("session bus: %v", err)
	}
	defer conn.Close()
	obj := conn.Object(fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", pid), "/StatusNotifierItem")
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	last := ""
	for {
		if v, err := obj.GetProperty("org.kde.StatusNotifierItem.ToolTip"); err == nil {
			if parts, ok := v.Value().([]any); ok && len(parts) == 4 {
				last, _ = parts[2].(string)
			}
			if strings.Contains(last, want) {
				return last
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("tray tooltip never contained %q; last %q", want, last)
		case <-tick.C:
		}
	}
}
