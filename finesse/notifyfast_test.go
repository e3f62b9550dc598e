package finesse

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"testing"
)

var notifyGoldens = []string{"notify_user_put.xml", "notify_dialogs_post.xml", "notify_dialog_put.xml",
	"notify_dialogs_delete.xml", "notify_apierrors.xml", "notify_systeminfo_put.xml"}

// TestFastDecoderTakesGoldens checks the fast path decodes every golden
// notification itself (no fallback to encoding/xml) and agrees with it;
// otherwise the benchmark would measure the fallback.
func TestFastDecoderTakesGoldens(t *testing.T) {
	for _, name := range notifyGoldens {
		stanza := readGolden(t, name)
		ups, err, ok := scanMessage(string(stanza))
		if !ok {
			t.Errorf("%s: fast decoder fell back to encoding/xml", name)
			continue
		}
		want, wantErr := decodeMessage(stanza)
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(ups, want) {
			t.Errorf("%s: fast = %+v, %v; encoding/xml = %+v, %v", name, ups, err, want, wantErr)
		}
	}
}

// TestFastDecoderCases covers the places where the two decoders could
// part: case, repeats, merges, entities, trailing bytes, malformed input.
func TestFastDecoderCases(t *testing.T) {
	const pre = `<message><event><items node="/finesse/api/User/1001/Dialogs"><item><notification>`
	const post = `</notification></item></items></event></message>`
	cases := []struct {
		payload string
		fast    bool // the fast path decodes it itself, no fallback
	}{
		{`&lt;Update&gt;&lt;data&gt;&lt;dialog&gt;&lt;id&gt;1&lt;/id&gt;&lt;state&gt;A&lt;/state&gt;&lt;STATE/&gt;&lt;/dialog&gt;&lt;/data&gt;&lt;/Update&gt;`, true},
		{`&lt;UPDATE&gt;&lt;data&gt;&lt;Dialog&gt;&lt;id&gt;1&lt;/id&gt;&lt;/Dialog&gt;&lt;dialog&gt;&lt;state&gt;X&lt;/state&gt;&lt;/dialog&gt;&lt;/data&gt;&lt;/UPDATE&gt;trailing&lt;`, true},
		{`&lt;Update&gt;&lt;data&gt;&lt;dialog&gt;&lt;id&gt;a &amp;amp; b&lt;/id&gt;&lt;/dialog&gt;&lt;/data&gt;&lt;/Update&gt;`, true},
		{`&lt;Update&gt;&lt;data&gt;&lt;dialog&gt;&lt;id&gt;1&lt;/ID&gt;&lt;/dialog&gt;&lt;/data&gt;&lt;/Update&gt;`, false},
		{`&lt;Update&gt;&lt;data&gt;&lt;dialog&gt;&lt;/dialog&gt;&lt;/data&gt;&lt;/Update&gt;`, true},
		{`&lt;Update&gt;&lt;data&gt;&lt;dialog&gt;&lt;id&gt;1&lt;!-- c --&gt;&lt;/id&gt;&lt;/dialog&gt;&lt;/data&gt;&lt;/Update&gt;`, false},
		{`&lt;Update&gt;&lt;data&gt;&lt;dialog&gt;&lt;id&gt;&amp;#49;&lt;/id&gt;&lt;/dialog&gt;&lt;/data&gt;&lt;/Update&gt;`, false},
		{`&lt;Update&gt;&lt;data&gt;&lt;user&gt;&lt;loginId&gt;7&lt;/loginId&gt;&lt;reasonCode&gt;&lt;label&gt;Lunch&lt;/label&gt;&lt;/reasonCode&gt;&lt;/user&gt;&lt;/data&gt;&lt;/Update&gt;`, true},
		{`&lt;Update&gt;&lt;data&gt;&lt;dialog&gt;&lt;id&gt;1&lt;/id&gt;`, false},
		{`{"json":1}`, true},
		{`  `, false},
		{`&lt;Update a="1" b='&amp;amp;'&gt;&lt;event&gt;DELETE&lt;/event&gt;&lt;source&gt;/finesse/api/Dialog/9&lt;/source&gt;&lt;/Update&gt;`, true},
		{`&lt;Update&gt;&lt;x:event xmlns:x="u"&gt;DELETE&lt;/x:event&gt;&lt;source&gt;/finesse/api/Dialog/9&lt;/source&gt;&lt;/Update&gt;`, false},
	}
	for _, c := range cases {
		stanza := pre + c.payload + post
		if _, _, ok := scanItem("<notification>" + c.payload + "</notification>"); ok != c.fast {
			t.Errorf("%q: fast path taken = %v, want %v", c.payload, ok, c.fast)
		}
		checkDecodersAgree(t, []byte(stanza))
	}
}

func checkDecodersAgree(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := decodeMessage(data)
	got, err := fastDecodeMessage(data)
	if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
		t.Fatalf("message %q:\nfast         %+v, %v\nencoding/xml %+v, %v", data, got, err, want, wantErr)
	}
	const node = "/finesse/api/User/1001/Dialogs"
	want, wantErr = decodeItem(node, data)
	got, err = fastDecodeItem(node, data)
	if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
		t.Fatalf("item %q:\nfast         %+v, %v\nencoding/xml %+v, %v", data, got, err, want, wantErr)
	}
}

// FuzzFastDecoderAgrees proves the fast decoder and the encoding/xml one
// give the same updates, or both an error, for any stanza and for any
// item content.
func FuzzFastDecoderAgrees(f *testing.F) {
	for _, name := range notifyGoldens {
		stanza := readGolden(f, name)
		f.Add(stanza)
		var m wireMessage
		if err := xml.Unmarshal(stanza, &m); err == nil {
			for _, it := range m.Event.Items.Items {
				f.Add(bytes.TrimSpace(it.Inner))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecodersAgree(t, data)
	})
}
