// Package assets holds the files AgentLink embeds: the JS SDK, the reference
// toolbar and the Connector Monitor pages the bridge serves, and the icons
// the desktop UI draws.
package assets

import "embed"

// Web holds the browser-facing files, served by the bridge under /sdk/,
// /toolbar/, /monitor/ and /crm/ (the CRM adapters).
//
//go:embed sdk toolbar monitor crm
var Web embed.FS

// Icons holds the application and tray icons (PNG/SVG).
//
//go:embed icons
var Icons embed.FS
