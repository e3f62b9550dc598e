// Package ui is AgentLink's native desktop face: the softphone window, the
// login form, the system tray and OS notifications, built with Fyne.
//
// # Threading
//
// One goroutine follows the core session's watch (see follow.go) and applies
// every change to the widgets inside fyne.Do; it also ticks the state and
// call timers, so nothing else repaints on its own. Button handlers never
// block the Fyne thread: each session command runs in its own goroutine with
// a timeout, the button stays disabled meanwhile, and the outcome comes back
// through fyne.Do as a plain-words message.
//
// # Testing
//
// What the agent sees is decided by pure functions (present.go, number.go,
// errmsg.go, notify.go, the tray menu builder in tray.go) that take state and
// return labels, colours, menus and notifications; they are table-tested.
// This package never imports fyne.io/fyne/v2/app, so the widget tests run
// headless with fyne.io/fyne/v2/test and without cgo; only cmd/agentlink
// creates the real app.
//
// # Boundaries
//
// ui imports core and fyne, plus its own internal/desknotify, which speaks
// the freedesktop notification protocol over D-Bus for the ringing call's
// Answer button and withdrawal (callalert.go; Fyne's notifications have
// neither). What it needs from the localhost bridge and the OS keychain it
// declares as the small [Bridge] and [Secrets] interfaces, which
// cmd/agentlink adapts.
package ui
