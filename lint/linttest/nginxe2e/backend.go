package nginxe2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Subprotocols are the WebSocket subprotocols the Backend accepts, in its order
// of preference.
var Subprotocols = []string{"graphql-transport-ws", "graphql-ws", "echo"}

// Request is what the Backend saw of one request.
type Request struct {
	Method string
	Proto  string // r.Proto, e.g. "HTTP/1.0" when nginx proxies with its old default
	Path   string // r.URL.RequestURI()
	// Header holds the request headers; Go keeps Host out of r.Header, so it
	// is added back here when present.
	Header http.Header
	// WebSocket is true when the request was handled as a handshake.
	WebSocket bool
	// AcceptErr is websocket.Accept's error text (it answered the status
	// itself), empty when the handshake succeeded or was not attempted.
	AcceptErr string
}

// Backend is a strict WebSocket echo server built on coder/websocket, which
// enforces RFC 6455 §4.1: HTTP/1.1 and `Connection: upgrade` are required.
type Backend struct {
	// Addr is the listening address, "127.0.0.1:port".
	Addr string
	// TLSAddr serves the same over TLS (a self-signed certificate for
	// localhost) to clients that send SNI: a handshake without a server
	// name fails, as at CDNs, ingress controllers and hosted platforms.
	TLSAddr string

	srv, tlsSrv *http.Server
	ctx         context.Context
	cancel      context.CancelFunc
	conns       sync.WaitGroup

	mu   sync.Mutex
	reqs []Request
}

// StartBackend starts a Backend on a free loopback port and closes it in
// t.Cleanup.
//
// A request is treated as a WebSocket handshake when it carries an Upgrade,
// Sec-WebSocket-Key or Sec-WebSocket-Version header: nginx drops Upgrade by
// default but forwards the Sec-WebSocket-* headers, and a real application
// route would still call Accept and answer 426. Accept keeps coder's default
// same-origin check (requests without Origin pass). Every message is echoed
// back until the client closes. Any other request gets 200 "plain ok".
func StartBackend(t testing.TB) *Backend {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("backend listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &Backend{Addr: ln.Addr().String(), ctx: ctx, cancel: cancel}
	b.srv = &http.Server{Handler: http.HandlerFunc(b.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = b.srv.Serve(ln) }() // returns http.ErrServerClosed on close
	tln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("backend listen: %v", err)
	}
	b.TLSAddr = tln.Addr().String()
	b.tlsSrv = &http.Server{Handler: http.HandlerFunc(b.serveHTTP), ReadHeaderTimeout: 10 * time.Second,
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){}, // HTTP/1.1 only, as nginx proxies
		TLSConfig:    &tls.Config{GetCertificate: requireSNI}}
	go func() { _ = b.tlsSrv.ServeTLS(tln, "", "") }()
	t.Cleanup(b.close)
	return b
}

// requireSNI hands out the backend's certificate to clients that name a
// server, and fails the others' handshakes.
func requireSNI(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	if hello.ServerName == "" {
		return nil, errors.New("no server name (SNI) in the client hello")
	}
	return localhostCert()
}

// localhostCert is a self-signed certificate for localhost, made once.
var localhostCert = sync.OnceValues(func() (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
})

// Requests returns a copy of the requests seen so far, oldest first.
func (b *Backend) Requests() []Request {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Request, len(b.reqs))
	for i, r := range b.reqs {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// LastRequest returns the most recent request and false when there is none.
func (b *Backend) LastRequest() (Request, bool) {
	reqs := b.Requests()
	if len(reqs) == 0 {
		return Request{}, false
	}
	return reqs[len(reqs)-1], true
}

func (b *Backend) record(r Request) {
	b.mu.Lock()
	b.reqs = append(b.reqs, r)
	b.mu.Unlock()
}

func (b *Backend) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rec := Request{Method: r.Method, Proto: r.Proto, Path: r.URL.RequestURI(), Header: r.Header.Clone()}
	if r.Host != "" {
		rec.Header.Set("Host", r.Host)
	}
	if r.Header.Get("Upgrade") == "" && r.Header.Get("Sec-WebSocket-Key") == "" && r.Header.Get("Sec-WebSocket-Version") == "" {
		b.record(rec)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("plain ok"))
		return
	}
	rec.WebSocket = true
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: Subprotocols})
	if err != nil {
		rec.AcceptErr = err.Error()
		b.record(rec)
		return // Accept has written the error response
	}
	b.record(rec)
	b.conns.Add(1)
	defer b.conns.Done()
	defer c.CloseNow()
	for {
		typ, data, err := c.Read(b.ctx)
		if err != nil {
			return // normal close, peer gone, or backend closing
		}
		if err := c.Write(b.ctx, typ, data); err != nil {
			return
		}
	}
}

func (b *Backend) close() {
	b.cancel() // ends the echo loops of hijacked connections
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = b.srv.Shutdown(ctx)
	_ = b.tlsSrv.Shutdown(ctx)
	done := make(chan struct{})
	go func() { b.conns.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
