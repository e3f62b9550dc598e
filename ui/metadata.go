package ui

import "fyne.io/fyne/v2"

// Metadata is AgentLink's app metadata, the same as FyneApp.toml says (a
// test keeps them equal). A plain `go build` binary does not carry the toml,
// so cmd/agentlink calls app.SetMetadata(ui.Metadata()) before
// app.NewWithID: that sets the name notifications show, the icon, and the
// fyneDo migration (Fyne's stricter threading, which this package follows).
func Metadata() fyne.AppMetadata {
	return fyne.AppMetadata{
		ID:         "io.agentlink.app",
		Name:       "AgentLink",
		Version:    "0.1.0",
		Build:      1,
		Icon:       loadIcon(appIconFile),
		Custom:     map[string]string{},
		Migrations: map[string]bool{"fyneDo": true},
	}
}
