// Package wintoast shows AgentLink's call notifications as Windows toasts
// through PowerShell and WinRT, the route Fyne's own Windows notifications
// take (fyne.io/fyne/v2/app/app_windows.go), but with what Fyne leaves
// out: an Answer button (a protocol-activation URL, see ui/activation),
// the incomingCall scenario that keeps an urgent toast up and ringing, and
// withdrawal by tag and group from the Action Center when the caller hangs
// up.
//
// Clicks do not come back to this process: Windows launches agentlink.exe
// with the button's URL, that launch hands it to the running AgentLink
// over the single-instance channel, and cmd/agentlink feeds it in through
// the shell to [Notifier.Activate], which turns it into an [Event].
//
// The toast XML and the PowerShell script are built here on any OS (and
// tested there); only running PowerShell is Windows code. Nothing of the
// untrusted text (customer names) is spliced into the script: the XML,
// tag and group travel base64-encoded.
package wintoast

import (
	"encoding/base64"
	"encoding/xml"
	"strings"
	"unicode/utf16"

	"github.com/agentlink/agentlink/ui/activation"
	"github.com/agentlink/agentlink/ui/internal/desknotify"
)

// Group is the toast group of every AgentLink notification.
const Group = "agentlink-calls"

// maxText bounds the title and body: a toast shows a few lines, and the
// whole script must fit a Windows command line.
const maxText = 400

// actionAnswer is the alerter's Answer key (ui/callalert.go).
const actionAnswer = "answer"

// toastXML is the toast for n, tagged tag. A Critical, sticky
// notification is an incoming call (scenario incomingCall: it stays up
// and rings); Answer needs a tag that is a dialog id.
func toastXML(n desknotify.Notification, tag string) string {
	var b strings.Builder
	b.WriteString(`<toast activationType="protocol" launch="` + esc(activation.Show()) + `"`)
	call := n.Urgency == desknotify.Critical && n.Sticky
	if call {
		b.WriteString(` scenario="incomingCall"`)
	}
	b.WriteString(`><visual><binding template="ToastGeneric"><text>` + esc(clip(n.Title)) + `</text>`)
	if n.Body != "" {
		b.WriteString(`<text>` + esc(clip(n.Body)) + `</text>`)
	}
	b.WriteString(`</binding></visual>`)
	if call {
		b.WriteString(`<audio src="ms-winsoundevent:Notification.Looping.Call" loop="true"/>`)
	}
	var acts strings.Builder
	for _, a := range n.Actions {
		var url string
		switch {
		case a.Key == desknotify.DefaultAction:
			url = activation.Show()
		case a.Key == actionAnswer && activation.ValidDialogID(tag):
			url = activation.Answer(tag)
		default:
			continue // nothing on Windows could bring it back
		}
		acts.WriteString(`<action content="` + esc(a.Label) + `" activationType="protocol" arguments="` + esc(url) + `"/>`)
	}
	if acts.Len() > 0 {
		b.WriteString(`<actions>` + acts.String() + `</actions>`)
	}
	b.WriteString(`</toast>`)
	return b.String()
}

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writes to a Builder never fail
	return b.String()
}

// clip bounds s to maxText runes.
func clip(s string) string {
	if r := []rune(s); len(r) > maxText {
		return string(r[:maxText-1]) + "…"
	}
	return s
}

// b64 is s as a base64 literal PowerShell decodes: only [A-Za-z0-9+/=],
// nothing PowerShell or the command line would read.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// scriptHead loads the WinRT types and decodes the arguments.
const scriptHead = `$ErrorActionPreference = 'Stop'
[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] > $null
[Windows.Data.Xml.Dom.XmlDocument, Windows.Data.Xml.Dom.XmlDocument, ContentType = WindowsRuntime] > $null
function Arg($s) { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($s)) }
`

// showScript shows toast xml tagged tag in Group for appID (Fyne's
// app ID, so the toast carries AgentLink's name and icon).
func showScript(appID, tag, xmlText string) string {
	return scriptHead +
		"$appId = Arg '" + b64(appID) + "'\n" +
		"$xml = New-Object Windows.Data.Xml.Dom.XmlDocument\n" +
		"$xml.LoadXml((Arg '" + b64(xmlText) + "'))\n" +
		"$toast = [Windows.UI.Notifications.ToastNotification]::new($xml)\n" +
		"$toast.Tag = Arg '" + b64(tag) + "'\n" +
		"$toast.Group = Arg '" + b64(Group) + "'\n" +
		"[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier($appId).Show($toast)\n"
}

// removeScript withdraws the toast tagged tag from the screen and the
// Action Center.
func removeScript(appID, tag string) string {
	return scriptHead +
		"[Windows.UI.Notifications.ToastNotificationManager]::History.Remove((Arg '" + b64(tag) + "'), (Arg '" +
		b64(Group) + "'), (Arg '" + b64(appID) + "'))\n"
}

// encodedCommand is script for powershell -EncodedCommand (base64 of
// UTF-16LE): no temporary file, no quoting on the command line.
func encodedCommand(script string) string {
	u := utf16.Encode([]rune(script))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return base64.StdEncoding.EncodeToString(b)
}
