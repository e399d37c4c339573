package nginx_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/wslint/wslint/lint/linttest/nginxe2e"
	"github.com/wslint/wslint/lint/nginx"
	"github.com/wslint/wslint/lint/source"
)

// startLoaded starts real nginx with conf (nginxe2e.Prepare's rules) and
// loads conf into wslint's model. A conf nginx refuses is logged and gives
// ok false: the random tests skip it.
func startLoaded(t *testing.T, conf string) (addr string, cfg *nginx.Config, ok bool) {
	t.Helper()
	ngx, err := nginxe2e.StartNginx(t, conf, nil)
	if err != nil {
		t.Logf("nginx refuses it, skipped: %v", err)
		return "", nil, false
	}
	return ngx.Addr, nginx.Load([]*source.File{source.NewFile("nginx.conf", []byte(conf))}, nginx.LoadOptions{}), true
}

// rawGET sends GET path over HTTP/1.0 to addr with the header lines given
// as written (Host too: none when absent) and returns nginx's answer.
func rawGET(addr, path string, headers ...[2]string) (status int, h http.Header, body string, err error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, nil, "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	req := "GET " + path + " HTTP/1.0\r\n"
	for _, kv := range headers {
		req += kv[0] + ": " + kv[1] + "\r\n"
	}
	if _, err := c.Write([]byte(req + "\r\n")); err != nil {
		return 0, nil, "", err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b), err
}

// serverNamed is the server of cfg whose first server_name is host.
func serverNamed(cfg *nginx.Config, host string) *nginx.Server {
	for _, s := range cfg.Servers() {
		if sn := s.Block.FindOne("server_name"); sn != nil && sn.Arg(0) == host {
			return s
		}
	}
	return nil
}
