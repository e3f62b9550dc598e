package core_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// module is the import path of this module; rule patterns are relative to it.
const module = "github.com/agentlink/agentlink"

// depRule forbids the packages matching Importers from depending on the
// packages matching each key of Forbidden, for the reason given as its value.
// A pattern ending in "/..." matches a package and everything below it;
// patterns without a dot in their first element are relative to [module].
type depRule struct {
	Importers string
	Except    []string          // importers the rule does not apply to
	Forbidden map[string]string // import pattern -> why it is forbidden
}

// depRules is the dependency direction of style rule 1: core is the domain
// and imports only the standard library (checked separately, see
// [checkStdlibOnly]); transports and the UI import core, never each other in
// the wrong direction; only ui and cmd touch the UI toolkit.
var depRules = []depRule{
	{Importers: "core/...", Forbidden: map[string]string{
		"finesse/...":     "core is the domain: the Finesse transport imports core, never the reverse",
		"localbridge/...": "core is the domain: the bridge imports core, never the reverse",
		"ui/...":          "core is the domain: the UI imports core, never the reverse",
		"fyne.io/...":     "core must stay free of the UI toolkit (style rule 9)",
	}},
	{Importers: "finesse/...", Forbidden: map[string]string{
		"localbridge/...": "finesse talks to Finesse only; cmd/agentlink wires it to the bridge",
		"ui/...":          "finesse talks to Finesse only; the UI reaches it through core",
		"fyne.io/...":     "no UI toolkit below ui (style rule 9)",
	}},
	{Importers: "localbridge/...", Forbidden: map[string]string{
		"finesse/...": "the bridge serves core's state; it must not reach around core to Finesse",
		"ui/...":      "the bridge serves core's state; the UI is another client of core",
		"fyne.io/...": "no UI toolkit below ui (style rule 9)",
	}},
	{Importers: "ui/...", Forbidden: map[string]string{
		"finesse/...":     "the UI works on core's model; cmd/agentlink wires the transport",
		"localbridge/...": "the UI works on core's model; the bridge is a sibling, not a dependency",
	}},
	{Importers: "...", Except: []string{"ui/...", "cmd/..."}, Forbidden: map[string]string{
		"fyne.io/...": "only ui and cmd may import the UI toolkit (style rule 9)",
	}},
}

// listedPackage is the part of `go list -json` output the tests use.
type listedPackage struct {
	ImportPath string
	Name       string
	Doc        string
	GoFiles    []string
	CgoFiles   []string
	Imports    []string // direct imports of the non-test build
	Deps       []string // transitive imports of the non-test build
	Module     *struct{ Path string }
	Error      *struct{ Err string }
}

// goList runs `go list -deps -json` on the whole module. Imports and Deps
// come from the non-test build, so test-only imports are allowed.
func goList(t *testing.T) map[string]*listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-deps",
		"-json=ImportPath,Name,Doc,GoFiles,CgoFiles,Imports,Deps,Module,Error", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps -json %s/...: %v\n%s", module, err, stderr.String())
	}
	pkgs := make(map[string]*listedPackage)
	for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
		p := new(listedPackage)
		if err := dec.Decode(p); err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		pkgs[p.ImportPath] = p
	}
	// Guard against a check that passes because nothing was decoded.
	if core := pkgs[module+"/core"]; core == nil || !slices.Contains(core.Deps, "context") {
		t.Fatalf("go list reported no dependencies for %s/core: the checks would pass vacuously", module)
	}
	return pkgs
}

// ownPackages returns the module's packages that have Go files, sorted.
func ownPackages(pkgs map[string]*listedPackage) []*listedPackage {
	var own []*listedPackage
	for _, p := range pkgs {
		if p.Module == nil || p.Module.Path != module || len(p.GoFiles)+len(p.CgoFiles) == 0 {
			continue
		}
		own = append(own, p)
	}
	slices.SortFunc(own, func(a, b *listedPackage) int { return strings.Compare(a.ImportPath, b.ImportPath) })
	return own
}

// matchPattern reports whether the import path matches pattern (see [depRule]).
func matchPattern(pattern, path string) bool {
	if pattern == "..." {
		return strings.HasPrefix(path, module+"/") || path == module
	}
	if first, _, _ := strings.Cut(pattern, "/"); !strings.Contains(first, ".") {
		pattern = module + "/" + pattern
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}

// isStdlib reports whether an import path belongs to the standard library:
// its first element has no dot ("vendor/golang.org/x/..." is std's own copy).
func isStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// importChain finds the shortest chain of direct imports from one package
// to another, for an error message that shows where a dependency comes from.
func importChain(pkgs map[string]*listedPackage, from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var chain []string
			for p := to; p != ""; p = prev[p] {
				chain = append(chain, p)
			}
			slices.Reverse(chain)
			return chain
		}
		if p := pkgs[cur]; p != nil {
			for _, imp := range p.Imports {
				if _, seen := prev[imp]; !seen {
					prev[imp] = cur
					queue = append(queue, imp)
				}
			}
		}
	}
	return []string{from, "…", to}
}

// violation is one forbidden dependency.
type violation struct {
	From, Dep string
	Chain     []string // direct imports leading from From to Dep, module prefix trimmed
	Why       string
}

func newViolation(pkgs map[string]*listedPackage, from, dep, why string) violation {
	chain := importChain(pkgs, from, dep)
	for i, p := range chain {
		chain[i] = strings.TrimPrefix(p, module+"/")
	}
	return violation{From: from, Dep: dep, Chain: chain, Why: why}
}

func (v violation) String() string {
	return fmt.Sprintf("%s imports %s (%s): %s", v.From, v.Dep, strings.Join(v.Chain, " -> "), v.Why)
}

// checkStdlibOnly reports every non-standard import of core, other than
// core's own subpackages. Direct imports suffice: every core package is
// checked, and the standard library imports nothing outside itself.
func checkStdlibOnly(pkgs map[string]*listedPackage) []violation {
	var bad []violation
	for _, p := range ownPackages(pkgs) {
		if !matchPattern("core/...", p.ImportPath) {
			continue
		}
		for _, dep := range p.Imports {
			if !isStdlib(dep) && !matchPattern("core/...", dep) {
				bad = append(bad, newViolation(pkgs, p.ImportPath, dep,
					"core imports only the standard library (style rule 1)"))
			}
		}
	}
	return bad
}

// checkRules reports every dependency that a rule forbids.
func checkRules(pkgs map[string]*listedPackage, rules []depRule) []violation {
	var bad []violation
	for _, p := range ownPackages(pkgs) {
		for _, r := range rules {
			if !r.applies(p.ImportPath) {
				continue
			}
			// One violation per pattern, naming the first matching package:
			// importing fyne must not list all of fyne's packages.
			for pattern, why := range r.Forbidden {
				i := slices.IndexFunc(p.Deps, func(d string) bool { return matchPattern(pattern, d) })
				if i >= 0 {
					bad = append(bad, newViolation(pkgs, p.ImportPath, p.Deps[i], why))
				}
			}
		}
	}
	// One import can break two rules (finesse importing fyne breaks the
	// finesse rule and the fyne rule); each is reported, in a stable order.
	slices.SortFunc(bad, func(a, b violation) int { return strings.Compare(a.String(), b.String()) })
	return bad
}

// applies reports whether the rule constrains the given importer.
func (r depRule) applies(importer string) bool {
	if !matchPattern(r.Importers, importer) {
		return false
	}
	return !slices.ContainsFunc(r.Except, func(e string) bool { return matchPattern(e, importer) })
}

// checkDocs reports every package of the module without a package comment.
func checkDocs(pkgs map[string]*listedPackage) []string {
	var bad []string
	for _, p := range ownPackages(pkgs) {
		if strings.TrimSpace(p.Doc) == "" {
			bad = append(bad, fmt.Sprintf("%s has no package doc comment: add a doc.go starting %q",
				p.ImportPath, "// Package "+p.Name+" "))
		}
	}
	return bad
}

func TestDeps(t *testing.T) {
	pkgs := goList(t)
	// A package go list could not load has incomplete Deps: the checks
	// below cannot vouch for it.
	for _, p := range ownPackages(pkgs) {
		if p.Error != nil {
			t.Errorf("%s: go list: %s", p.ImportPath, p.Error.Err)
		}
	}
	for _, v := range checkStdlibOnly(pkgs) {
		t.Error(v)
	}
	for _, v := range checkRules(pkgs, depRules) {
		t.Error(v)
	}
}

func TestPackageDoc(t *testing.T) {
	for _, msg := range checkDocs(goList(t)) {
		t.Error(msg)
	}
}

// fakeGraph builds go list output for a made-up module: edges maps a package
// (module-relative unless it has a dot) to its direct imports. Every package
// has a doc comment unless it is listed in undocumented.
func fakeGraph(edges map[string][]string, undocumented ...string) map[string]*listedPackage {
	abs := func(p string) string {
		if _, own := edges[p]; (!own && isStdlib(p)) || !isStdlib(p) {
			return p // "fmt", or another module's package
		}
		return module + "/" + p
	}
	pkgs := make(map[string]*listedPackage)
	for from, tos := range edges {
		p := &listedPackage{ImportPath: abs(from), Name: filepath.Base(from), Doc: "Package x does y.",
			GoFiles: []string{"x.go"}}
		if isStdlib(from) {
			p.Module = &struct{ Path string }{module}
		}
		if slices.Contains(undocumented, from) {
			p.Doc = ""
		}
		for _, to := range tos {
			p.Imports = append(p.Imports, abs(to))
		}
		pkgs[p.ImportPath] = p
	}
	for _, p := range pkgs {
		p.Deps = transitive(pkgs, p.ImportPath)
	}
	return pkgs
}

// transitive lists everything a fake package depends on, as go list's Deps does.
func transitive(pkgs map[string]*listedPackage, from string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		if pkgs[p] == nil {
			return
		}
		for _, imp := range pkgs[p].Imports {
			if !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(from)
	deps := slices.Collect(maps.Keys(seen))
	slices.Sort(deps)
	return deps
}

// The checks must catch what they claim to: run them on made-up graphs.
func TestCheckRules(t *testing.T) {
	t.Parallel()
	fyne := "fyne.io/fyne/v2"
	tests := []struct {
		name  string
		edges map[string][]string
		want  []violation
	}{
		{"clean", map[string][]string{
			"core": {"fmt"}, "finesse": {"core"}, "finesse/finessesim": {"finesse", "core"},
			"localbridge": {"core", "assets"}, "assets": nil, "ui": {"core", fyne}, fyne: nil,
			"cmd/agentlink": {"ui", "finesse", "localbridge", "core", fyne},
		}, nil},
		{"core imports finesse", map[string][]string{"core": {"finesse"}, "finesse": nil}, []violation{
			{module + "/core", module + "/finesse", []string{"core", "finesse"}, depRules[0].Forbidden["finesse/..."]},
		}},
		{"simulator reaches fyne through assets", map[string][]string{
			"finesse/finessesim": {"assets"}, "assets": {fyne}, fyne: nil,
		}, []violation{
			{module + "/assets", fyne, []string{"assets", fyne}, depRules[4].Forbidden["fyne.io/..."]},
			{module + "/finesse/finessesim", fyne, []string{"finesse/finessesim", "assets", fyne}, depRules[1].Forbidden["fyne.io/..."]},
			{module + "/finesse/finessesim", fyne, []string{"finesse/finessesim", "assets", fyne}, depRules[4].Forbidden["fyne.io/..."]},
		}},
		{"ui imports localbridge", map[string][]string{"ui": {"localbridge"}, "localbridge": nil}, []violation{
			{module + "/ui", module + "/localbridge", []string{"ui", "localbridge"}, depRules[3].Forbidden["localbridge/..."]},
		}},
		{"localbridge imports finesse", map[string][]string{"localbridge": {"finesse"}, "finesse": nil}, []violation{
			{module + "/localbridge", module + "/finesse", []string{"localbridge", "finesse"}, depRules[2].Forbidden["finesse/..."]},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := checkRules(fakeGraph(tt.edges), depRules)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("checkRules mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckStdlibOnly(t *testing.T) {
	t.Parallel()
	uuid := "github.com/google/uuid"
	pkgs := fakeGraph(map[string][]string{
		"core": {"fmt", "core/internal/seq"}, "core/internal/seq": {uuid}, uuid: nil,
	})
	got := checkStdlibOnly(pkgs)
	why := "core imports only the standard library (style rule 1)"
	// Reported once, where the import crosses out of core.
	want := []violation{{module + "/core/internal/seq", uuid, []string{"core/internal/seq", uuid}, why}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checkStdlibOnly mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckDocs(t *testing.T) {
	t.Parallel()
	pkgs := fakeGraph(map[string][]string{"core": nil, "ui": nil}, "ui")
	got := checkDocs(pkgs)
	want := []string{module + `/ui has no package doc comment: add a doc.go starting "// Package ui "`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checkDocs mismatch (-want +got):\n%s", diff)
	}
}

func TestMatchPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"core/...", module + "/core", true}, {"core/...", module + "/core/x", true},
		{"core/...", module + "/corex", false}, {"finesse/...", module + "/finesse/finessesim", true},
		{"fyne.io/...", "fyne.io/fyne/v2/widget", true}, {"fyne.io/...", "fyne.iox/y", false},
		{"ui", module + "/ui", true}, {"ui", module + "/ui/x", false},
		{"...", module + "/cmd/agentlink", true}, {"...", "fmt", false},
	}
	for _, tt := range tests {
		if got := matchPattern(tt.pattern, tt.path); got != tt.want {
			t.Errorf("matchPattern(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}
