//go:build linux && cgo

package main

// On Linux the keys are grabbed with Xlib directly, not with
// golang.design/x/hotkey: that library panics in its init when no display
// can be opened, and it reports every key press its connection sees as
// the hotkey's (pressing Ctrl alone fired every hotkey under Xvfb). This
// grabs on one connection and matches each press's key and modifiers.

/*
#cgo LDFLAGS: -lX11
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/XKBlib.h>

static Display *dpy;
static int grabErr;

static int onGrabError(Display *d, XErrorEvent *e) { grabErr = e->error_code; return 0; }

// With detectable auto-repeat, a held key sends more KeyPress events but
// no KeyRelease between them, so a press of a key that is down already is
// a repeat (see hkNext).
static int hkOpen(void) {
	dpy = XOpenDisplay(NULL);
	if (!dpy) return -1;
	XkbSetDetectableAutoRepeat(dpy, True, NULL);
	return 0;
}

// The lock keys (CapsLock, NumLock) change the modifier state, so each
// combination is grabbed with every on/off mix of them.
static const unsigned int lockMix[4] = {0, LockMask, Mod2Mask, LockMask | Mod2Mask};

// hkGrab grabs keysym with mods on the root window: 0 done, 1 taken by
// another client (BadAccess or another error), 2 no such key on this map.
static int hkGrab(unsigned int mods, unsigned long keysym, int *keycode) {
	KeyCode kc = XKeysymToKeycode(dpy, (KeySym)keysym);
	if (kc == 0) return 2;
	grabErr = 0;
	XErrorHandler old = XSetErrorHandler(onGrabError);
	for (int i = 0; i < 4; i++)
		XGrabKey(dpy, kc, mods | lockMix[i], DefaultRootWindow(dpy), False, GrabModeAsync, GrabModeAsync);
	XSync(dpy, False);
	XSetErrorHandler(old);
	if (grabErr != 0) {
		for (int i = 0; i < 4; i++)
			XUngrabKey(dpy, kc, mods | lockMix[i], DefaultRootWindow(dpy));
		XSync(dpy, False);
		return 1;
	}
	*keycode = kc;
	return 0;
}

// hkNext blocks until a new key press (not an auto-repeat) reaches this
// connection and returns its keycode and its modifiers without the lock
// keys.
static int hkNext(unsigned int *state) {
	static char down[256];
	XEvent ev;
	for (;;) {
		XNextEvent(dpy, &ev);
		unsigned int kc = ev.xkey.keycode & 0xff;
		if (ev.type == KeyRelease) {
			down[kc] = 0;
		} else if (ev.type == KeyPress && !down[kc]) {
			down[kc] = 1;
			*state = ev.xkey.state & (ShiftMask | ControlMask | Mod1Mask | Mod4Mask);
			return ev.xkey.keycode;
		}
	}
}
*/
import "C"

import (
	"fmt"
	"os"

	"github.com/agentlink/agentlink/cmd/agentlink-hotkeys/keyspec"
)

// x11Mods are the X11 modifier masks: Alt is Mod1 and Super Mod4 on every
// common keyboard map.
var x11Mods = map[string]C.uint{"shift": C.ShiftMask, "ctrl": C.ControlMask, "alt": C.Mod1Mask, "super": C.Mod4Mask}

// grabbedKey is one grabbed combination.
type grabbedKey struct {
	b       keyspec.Binding
	keycode int
	mods    uint
}

// grabAll opens the display and grabs every binding; on a failure the
// process exits soon after, which releases the grabs made so far.
func grabAll(bs []keyspec.Binding) ([]grabbedKey, error) {
	if C.hkOpen() != 0 {
		name := os.Getenv("DISPLAY")
		if name == "" {
			name = "(DISPLAY is not set)"
		}
		return nil, fmt.Errorf("%w %s: global hotkeys work on an X11 desktop only "+
			"(not over SSH, on a server or on Wayland without XWayland)", errNoDisplay, name)
	}
	var out []grabbedKey
	for _, b := range bs {
		var mods C.uint
		for _, m := range b.Spec.Mods {
			mods |= x11Mods[m]
		}
		var kc C.int
		switch C.hkGrab(mods, keysym(b.Spec.Key), &kc) {
		case 1:
			return nil, takenError(b)
		case 2:
			return nil, fmt.Errorf("the key %q of %s is not on this keyboard map", b.Spec.Key, b.Spec)
		}
		out = append(out, grabbedKey{b: b, keycode: int(kc), mods: uint(mods)})
	}
	return out, nil
}

// keysym: letters and digits are their ASCII code, F1 is 0xffbe.
func keysym(k string) C.ulong {
	if len(k) == 1 {
		return C.ulong(k[0])
	}
	var n int
	_, _ = fmt.Sscanf(k, "f%d", &n) // keyspec.Parse allowed f1 to f12 only
	return C.ulong(0xffbe + n - 1)
}

// repeatGap is 0: X11 repeats are told apart in hkNext.
const repeatGap = 0

func releaseAll([]grabbedKey) {} // closing the connection at exit releases them

// pumpAll reads the display's key presses and passes on those of a
// grabbed combination. One connection serves all keys.
func pumpAll(gs []grabbedKey, out chan<- keyspec.Binding) {
	for {
		var state C.uint
		kc := int(C.hkNext(&state))
		for _, g := range gs {
			if g.keycode == kc && g.mods == uint(state) {
				out <- g.b
			}
		}
	}
}
