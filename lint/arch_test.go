package lint_test

import (
	"os/exec"
	"strings"
	"testing"
)

// allowed lists, for each wslint package (by path below the module), the
// wslint packages it may import directly (style.md §1). Test files are not
// checked: tests may use the harness packages.
var allowed = map[string][]string{
	"lint/source":               {},
	"schemas":                   {},
	"lint/nginx/spec":           {"lint/textdist"},
	"lint/textdist":             {},
	"lint/lazyre":               {},
	"lint/nginx":                {"lint/source", "lint/nginx/spec", "lint/lazyre"},
	"lint/linttest/confgen":     {},
	"lint/linttest/confgen/cmd": {"lint/linttest/confgen"},
	"lint/linttest/procbench":   {"lint/linttest/confgen"},
	"lint/unit":                 {"lint/source", "schemas", "lint/textdist"},
	"lint":                      {"lint/source", "lint/nginx", "lint/nginx/spec", "lint/unit", "lint/textdist", "lint/lazyre"},
	"lint/linttest":             {"lint", "lint/source", "lint/nginx", "lint/nginx/spec", "lint/unit"},
	"lint/linttest/nginxe2e":    {},
	"rules":                     {"lint", "lint/source", "lint/nginx", "lint/nginx/spec", "lint/unit", "generate", "lint/lazyre"},
	"generate":                  {"lint/source", "lint/lazyre"},
	"web":                       {"lint", "lint/source", "lint/nginx", "lint/nginx/spec", "lint/unit", "rules", "generate", "schemas"},
	"cmd/wslint":                {"*"},
	// nomemprofile imports only runtime (its own test checks): it has
	// to initialize before the others.
	"cmd/wslint/internal/nomemprofile": {},
}

const module = "github.com/wslint/wslint/"

func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		rel := strings.TrimPrefix(pkg, module)
		ok, known := allowed[rel]
		if !known {
			t.Errorf("package %s is not in the dependency table of lint/arch_test.go", rel)
			continue
		}
		for _, imp := range strings.Fields(imports) {
			if !strings.HasPrefix(imp, module) {
				if strings.Contains(imp, "gonginx") && rel != "lint/nginx" {
					t.Errorf("%s imports gonginx: its types never leave lint/nginx", rel)
				}
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if !contains(ok, dep) && !contains(ok, "*") {
				t.Errorf("%s must not import %s (style.md §1)", rel, dep)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
