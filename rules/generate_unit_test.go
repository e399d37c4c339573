package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wslint/wslint/generate"
	"github.com/wslint/wslint/lint"
	"github.com/wslint/wslint/lint/source"
	"github.com/wslint/wslint/lint/unit"
)

// unitGenCases are the `wslint generate unit` outputs that must lint clean:
// every preset (with a golden), and flag combinations.
func unitGenCases() map[string]generate.UnitSpec {
	cases := map[string]generate.UnitSpec{}
	for _, p := range generate.UnitPresets() {
		cases["unit-"+p.Name] = generate.UnitSpec{Preset: p.Name}
	}
	cases["combo/static-timeouts"] = generate.UnitSpec{Preset: "fastapi", Path: "/srv/app", Home: "/srv/app/venv", Static: "/srv/app/static",
		Processes: 4, WSReadTimeout: 300, WSKeepalive: 20, Listen: []string{"8080", "[::1]:8081", "unix:/run/unit/app.sock"}}
	cases["combo/channels-static"] = generate.UnitSpec{Preset: "django-channels", Module: "mysite.asgi", Static: "/srv/mysite/static/", WSPaths: []string{"/ws/", "/graphql-ws"}}
	cases["combo/express-path"] = generate.UnitSpec{Preset: "express", Path: "/srv/chat", Module: "server.js", WSPaths: []string{"/socket.io/"}, Static: "/srv/chat/public"}
	cases["combo/plain"] = generate.UnitSpec{}
	cases["combo/wsgi"] = generate.UnitSpec{Protocol: "wsgi", Module: "wsgi"}
	cases["combo/java"] = generate.UnitSpec{AppType: "java", Path: "/srv/app.war", WSPaths: []string{"/ws"}}
	cases["combo/php"] = generate.UnitSpec{AppType: "php", Path: "/srv/www", Module: "index.php"}
	cases["combo/ruby"] = generate.UnitSpec{AppType: "ruby", Module: "config.ru", Path: "/srv/app"}
	cases["combo/perl"] = generate.UnitSpec{AppType: "perl", Module: "app.psgi"}
	cases["combo/go"] = generate.UnitSpec{AppType: "go", Executable: "/srv/bin/app"}
	cases["combo/node-exe"] = generate.UnitSpec{AppType: "external", Executable: "/usr/local/bin/node", WSPaths: []string{"/ws"}}
	return cases
}

// TestGeneratedUnitConfigsAreClean: every output passes the Unit schema and
// has no Unit finding at warning or above under every rule (WS506 and
// WS504's Node.js note are info), with and without --ws-path evidence; the
// presets match their goldens (go test ./rules -update rewrites them).
func TestGeneratedUnitConfigsAreClean(t *testing.T) {
	var all []*lint.Rule
	for _, r := range All {
		if r.Lang == lint.Unit || r.Lang == lint.Meta {
			all = append(all, r)
		}
	}
	for name, spec := range unitGenCases() {
		t.Run(name, func(t *testing.T) {
			out, err := generate.Unit(spec)
			if err != nil {
				t.Fatal(err)
			}
			f := source.NewFile(name+".json", []byte(out))
			if !unit.LooksLikeUnit(f.Data) {
				t.Errorf("output is not recognised as Unit JSON")
			}
			pathSets := [][]string{nil, spec.WSPaths}
			if noWS := spec.Protocol == "wsgi" || strings.Contains(" php ruby perl go ", " "+spec.AppType+" "); !noWS {
				pathSets = append(pathSets, []string{"/ws"}) // a WebSocket path the output does not name
			}
			for _, paths := range pathSets {
				opts := lint.DefaultOptions()
				opts.WSPaths = paths
				for _, fd := range lint.Run(all, lint.Input{Files: []*source.File{f}, Kind: lint.KindAuto}, opts).Findings {
					if fd.Severity >= lint.Warning || fd.RuleID == "WS501" || fd.RuleID == "WS500" {
						p := lint.PositionOf(fd.Span)
						t.Errorf("ws-paths %v: %d:%d: %s %s %s\n%s", paths, p.Line, p.Column, fd.Severity, fd.RuleID, fd.Message, out)
					}
				}
			}
			if !strings.HasPrefix(name, "unit-") {
				return
			}
			golden := filepath.Join("..", "testdata", "generate", name+".json")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./rules -update, then read the golden)", err)
			}
			if string(want) != out {
				t.Errorf("output differs from %s (go test ./rules -update rewrites it):\n%s", golden, out)
			}
		})
	}
}
