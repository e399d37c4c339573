package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/rules"
)

// chromiumPath finds Debian's chromium (or WSLINT_CHROMIUM). Without one the
// browser test skips, except under CI=true, where it fails.
func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("WSLINT_CHROMIUM"), "/usr/bin/chromium", "/usr/lib/chromium/chromium"}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			candidates = append(candidates, p)
		}
	}
	for _, p := range candidates {
		if st, err := os.Stat(p); p != "" && err == nil && !st.IsDir() {
			return p
		}
	}
	nginxe2e.Missing(t, "no chromium found (install Debian's chromium: `make deps`, or set WSLINT_CHROMIUM); skipping the browser test")
	return ""
}

// artifactDir is where screenshots go: $WSLINT_ARTIFACTS, else a test
// temporary directory.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("WSLINT_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, "web")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

type browser struct {
	t        *testing.T
	ctx      context.Context
	dir      string
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

func newBrowser(t *testing.T) *browser {
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // start the browser without a deadline
		t.Fatalf("start %s: %v", path, err)
	}
	b := &browser{t: t, ctx: ctx, dir: artifactDir(t)}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.messages = append(b.messages, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// do runs steps with a deadline.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.screenshot("failure-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *browser) screenshot(name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	path := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("write %s: %v", path, err)
	}
	b.t.Logf("screenshot: %s", path)
	return path
}

// viewport scrolls with script and writes a screenshot of the viewport.
func (b *browser) viewport(name, script string) {
	b.t.Helper()
	eval[bool](b, script+`; true`)
	time.Sleep(400 * time.Millisecond) // smooth scrolling
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("write %s: %v", path, err)
	}
	b.t.Logf("screenshot: %s", path)
}

// TestBrowser drives the page in Chromium: paste the inheritance trap, see
// WS104 on its line, apply fixes, see the fixed config without WS104; then
// the rule panel, a pasted <script> shown as text, the generator, and the
// phone width.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	b := newBrowser(t)
	ts := httptest.NewServer(newServer(t, Options{}))
	defer ts.Close()
	trap := readFixture(t, "testdata/rules/WS104/bad.conf")

	b.do("open the page",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("config")),
	)
	if got := eval[string](b, `getComputedStyle(document.querySelector(".card")).borderTopLeftRadius`); got != "10px" {
		t.Errorf("the stylesheet did not apply under the CSP (card radius %q)", got)
	}

	// Lint: WS104 on line 8, highlighted in the source view.
	b.do("lint the inheritance trap",
		chromedp.SetValue(chromedp.ID("config"), trap),
		chromedp.SetValue(chromedp.ID("filename"), "site.conf"),
		chromedp.Click(chromedp.ID("lint")),
		chromedp.WaitVisible(chromedp.CSS(`#findings li[data-rule="WS104"]`)),
	)
	want := 0 // the line of the fixture's WS104 want
	for i, l := range strings.Split(trap, "\n") {
		if strings.Contains(l, "want WS104") {
			want = i + 1
		}
	}
	if line := eval[string](b, `document.querySelector('#findings li[data-rule="WS104"]').dataset.line`); line != fmt.Sprint(want) {
		t.Errorf("WS104 listed on line %s, want %d", line, want)
	}
	if cls := eval[string](b, fmt.Sprintf(`document.getElementById("L%d").className`, want)); !strings.Contains(cls, "error") {
		t.Errorf("line %d of the source view is not highlighted as an error: class %q", want, cls)
	}
	if mark := eval[string](b, fmt.Sprintf(`document.querySelector("#L%d mark").textContent`, want)); mark != "proxy_set_header" {
		t.Errorf("the highlighted span on line %d is %q, want the directive name", want, mark)
	}
	if kind := eval[string](b, `document.getElementById("summary").textContent`); !strings.Contains(kind, "detected: nginx") {
		t.Errorf("summary %q does not say the kind was detected", kind)
	}
	b.screenshot("lint-desktop")

	// The rule's document opens in a panel; Escape closes it and focus returns.
	b.do("open the WS104 document",
		chromedp.Click(chromedp.CSS(`#findings li[data-rule="WS104"] a.rule-link`)),
		chromedp.WaitVisible(chromedp.ID("rule-panel")),
		chromedp.WaitVisible(chromedp.CSS(`#rule-body pre`)),
	)
	if title := eval[string](b, `document.getElementById("rule-title").textContent`); title != "WS104 inherited-headers-dropped" {
		t.Errorf("rule panel title %q", title)
	}
	b.viewport("rule-panel", `window.scrollTo(0, 0)`)
	b.do("close the rule panel",
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotVisible(chromedp.ID("rule-panel")),
	)
	if focused := eval[string](b, `document.activeElement.dataset.rule || ""`); focused != "WS104" {
		t.Errorf("focus did not return to the WS104 link (on %q)", focused)
	}

	// Apply fixes: the diff and the fixed config, without WS104.
	b.do("apply fixes",
		chromedp.Click(chromedp.ID("fix")),
		chromedp.WaitVisible(chromedp.ID("fix-result")),
		chromedp.WaitVisible(chromedp.CSS(`#diff span.add`)),
	)
	fixed := eval[string](b, `document.getElementById("fixed").textContent`)
	if !strings.Contains(fixed, "        proxy_set_header Upgrade") || !strings.Contains(fixed, "proxy_set_header Host $host;") {
		t.Errorf("the fixed config does not forward the upgrade headers in the location:\n%s", fixed)
	}
	if n := eval[int](b, `document.querySelectorAll('#findings li[data-rule="WS104"]').length`); n != 0 {
		t.Errorf("WS104 is still listed after the fixes")
	}
	if diff := eval[string](b, `document.getElementById("diff").textContent`); !strings.Contains(diff, "--- a/site.conf") {
		t.Errorf("diff lacks the file header: %s", diff)
	}
	if !eval[bool](b, `document.getElementById("copy").offsetParent !== null && document.getElementById("download").offsetParent !== null`) {
		t.Error("copy and download buttons are not shown")
	}
	b.screenshot("fix-desktop")

	// A pasted <script> is text, never markup.
	b.do("lint markup",
		chromedp.SetValue(chromedp.ID("config"), "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=1\">\nserver { listen 80; }\n"),
		chromedp.SetValue(chromedp.ID("filename"), `<img src=x onerror="window.pwned=1">`),
		chromedp.Click(chromedp.ID("lint")),
		chromedp.WaitVisible(chromedp.CSS(`#code #L2`)),
	)
	time.Sleep(200 * time.Millisecond)
	if eval[bool](b, `window.pwned === 1`) {
		t.Error("pasted markup ran")
	}
	if n := eval[int](b, `document.querySelectorAll("#code script, #code img, #findings script, #findings img").length`); n != 0 {
		t.Errorf("pasted markup became %d elements", n)
	}
	if !eval[bool](b, `document.getElementById("L1").textContent.includes("<script>window.pwned=1</script>")`) {
		t.Error("the pasted <script> is not shown as text")
	}

	// The generator tab: keyboard navigation, a preset, the output.
	b.do("open the generator with the keyboard",
		chromedp.Focus(chromedp.ID("tab-lint")),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.WaitVisible(chromedp.ID("gen-form")),
		chromedp.WaitReady(chromedp.CSS(`body[data-presets="loaded"]`)),
		chromedp.SetValue(chromedp.ID("gen-preset"), "socketio"),
		chromedp.SetValue(chromedp.ID("gen-upstreams"), "127.0.0.1:3000 127.0.0.1:3001"),
		chromedp.Click(chromedp.ID("generate")),
		chromedp.WaitEnabled(chromedp.ID("gen-copy")),
	)
	if out := eval[string](b, `document.getElementById("gen-output").textContent`); !strings.Contains(out, "location /socket.io/") {
		t.Errorf("generated config lacks the Socket.IO location:\n%s", out)
	}
	b.screenshot("generate-desktop")
	b.do("generate for NGINX Unit",
		chromedp.Click(chromedp.ID("gen-target-unit")),
		chromedp.WaitVisible(chromedp.ID("unit-preset")),
		chromedp.SetValue(chromedp.ID("unit-preset"), "fastapi"),
		chromedp.Click(chromedp.ID("generate")),
		chromedp.WaitReady(chromedp.CSS(`#gen-status:not(.error)`)),
	)
	time.Sleep(300 * time.Millisecond)
	if out := eval[string](b, `document.getElementById("gen-output").textContent`); !strings.Contains(out, `"listeners"`) {
		t.Errorf("generated Unit config:\n%s\nstatus: %s", out, eval[string](b, `document.getElementById("gen-status").textContent`))
	}
	b.do("lint the generated config",
		chromedp.Click(chromedp.ID("gen-lint")),
		chromedp.WaitVisible(chromedp.ID("panel-lint")),
		chromedp.WaitVisible(chromedp.CSS(`#summary .chip`)),
	)
	time.Sleep(300 * time.Millisecond)
	if s := eval[string](b, `document.getElementById("summary").textContent`); !strings.Contains(s, "NGINX Unit") {
		t.Errorf("the generated Unit config is not read as Unit: %q", s)
	}

	b.do("open the rules tab",
		chromedp.Click(chromedp.ID("tab-rules")),
		chromedp.WaitVisible(chromedp.CSS(`#rules-body tr a`)),
	)
	if n := eval[int](b, `document.querySelectorAll("#rules-body tr").length`); n != len(rules.Registry.All()) {
		t.Errorf("the rules tab lists %d rules, the registry has %d", n, len(rules.Registry.All()))
	}
	b.screenshot("rules-desktop")
	b.do("back to lint", chromedp.Click(chromedp.ID("tab-lint")), chromedp.WaitVisible(chromedp.ID("config")))

	// Phone width: one column, nothing wider than the screen.
	b.do("phone width", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	b.do("phone config", chromedp.SetValue(chromedp.ID("config"), trap))
	eval[bool](b, `document.getElementById("filename").value = ""; document.getElementById("kind").value = "auto"; true`)
	b.do("phone lint",
		chromedp.Click(chromedp.ID("lint")),
		chromedp.WaitVisible(chromedp.CSS(`#findings li[data-rule="WS104"]`)),
	)
	if over := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
		t.Errorf("at phone width the page is %dpx wider than the screen", over)
	}
	b.screenshot("lint-phone")
	b.viewport("lint-phone-top", `window.scrollTo(0, 0)`)
	b.viewport("lint-phone-findings", `document.getElementById("findings-h").scrollIntoView()`)
	b.viewport("lint-phone-source", `document.getElementById("code-h").scrollIntoView()`)
	b.do("phone fix",
		chromedp.Click(chromedp.ID("fix")),
		chromedp.WaitVisible(chromedp.ID("fix-result")),
	)
	b.screenshot("fix-phone")
	b.viewport("fix-phone-diff", `document.getElementById("fix-h").scrollIntoView()`)

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.messages {
		if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || m.Type == "error" && !strings.Contains(m.Text, "favicon") {
			t.Errorf("browser console: %s", m)
		}
	}
}
