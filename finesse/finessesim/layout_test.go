package finessesim

import (
	"net/http"
	"strings"
	"testing"
)

// The layout resources answer in Finesse's documented shape, only for the
// agent's own id, and the deprecated list can be switched off.
func TestLayoutResources(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	c := newREST(t, s, NodeA, "1001", "secret1")
	body := c.must(http.StatusOK, http.MethodGet, "/finesse/api/User/1001/MediaPropertiesLayouts", "", "")
	for _, want := range []string{"<MediaPropertiesLayouts>", "<name>Default Layout</name>", "<type>DEFAULT</type>",
		"<name>Billing</name>", "<header><entry><displayName>Customer</displayName><mediaProperty>user.customer.name</mediaProperty>",
		"<uiEditable>true</uiEditable>", "<column><entry>"} {
		if !strings.Contains(body, want) {
			t.Errorf("MediaPropertiesLayouts lacks %q:\n%s", want, body)
		}
	}
	one := c.must(http.StatusOK, http.MethodGet, "/finesse/api/User/1001/MediaPropertiesLayout", "", "")
	if !strings.HasPrefix(strings.TrimSpace(one), "<MediaPropertiesLayout>") || !strings.Contains(one, "Default Layout") || strings.Contains(one, "Billing") {
		t.Errorf("MediaPropertiesLayout is not the default layout alone:\n%s", one)
	}
	c.must(http.StatusUnauthorized, http.MethodGet, "/finesse/api/User/1002/MediaPropertiesLayout", "", "")

	s2 := startSim(t, Config{NoLayoutList: true, Layouts: []Layout{{Name: "Only", Type: "DEFAULT"}}})
	c2 := newREST(t, s2, NodeA, "1001", "secret1")
	c2.must(http.StatusNotFound, http.MethodGet, "/finesse/api/User/1001/MediaPropertiesLayouts", "", "")
	if one := c2.must(http.StatusOK, http.MethodGet, "/finesse/api/User/1001/MediaPropertiesLayout", "", ""); !strings.Contains(one, "<name>Only</name>") {
		t.Errorf("configured layout not served:\n%s", one)
	}
}
