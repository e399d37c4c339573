package nginxe2e

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// ClientTimeout bounds every client operation: dial, handshake, echo, close.
const ClientTimeout = 5 * time.Second

// maxBody is how much of a non-101 body Handshake and PlainGET keep.
const maxBody = 4096

// Browser selects the handshake request headers of a browser.
type Browser int

const (
	// Chromium sends `Connection: Upgrade`.
	Chromium Browser = iota
	// Firefox sends `Connection: keep-alive, Upgrade`.
	Firefox
)

// String returns "Chromium" or "Firefox".
func (b Browser) String() string {
	switch b {
	case Chromium:
		return "Chromium"
	case Firefox:
		return "Firefox"
	}
	return fmt.Sprintf("Browser(%d)", int(b))
}

func (b Browser) connection() string {
	if b == Firefox {
		return "keep-alive, Upgrade"
	}
	return "Upgrade"
}

func (b Browser) userAgent() string {
	if b == Firefox {
		return "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
	}
	return "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
}

// HandshakeResult is the outcome of Handshake.
type HandshakeResult struct {
	Status      int         // HTTP status of the handshake response; 0 when none was read
	Header      http.Header // response headers
	Body        string      // first bytes of a non-101 body
	Echoed      bool        // 101, valid Sec-WebSocket-Accept, and the text message came back
	Subprotocol string      // Sec-WebSocket-Protocol of the response
	// Err reports a failure to talk to the server: dial, I/O, a malformed
	// response, a wrong Sec-WebSocket-Accept, or a 101 whose tunnel did not
	// echo. A non-101 status alone is not an error.
	Err error
}

// Handshake opens ws://addr+path with the request headers browser b sends
// (no Origin, no extensions), offering subprotocols when given. On 101 it
// checks Sec-WebSocket-Accept, sends a masked text message, expects it back,
// and closes with status 1000. Every step is bounded by ClientTimeout.
func Handshake(addr, path string, b Browser, subprotocols ...string) HandshakeResult {
	var res HandshakeResult
	conn, err := net.DialTimeout("tcp", addr, ClientTimeout)
	if err != nil {
		res.Err = fmt.Errorf("dial %s: %w", addr, err)
		return res
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(ClientTimeout)); err != nil {
		res.Err = err
		return res
	}

	key, err := randomKey()
	if err != nil {
		res.Err = err
		return res
	}
	var req strings.Builder
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: %s\r\n", path, addr, b.connection())
	fmt.Fprintf(&req, "Pragma: no-cache\r\nCache-Control: no-cache\r\nUser-Agent: %s\r\n", b.userAgent())
	fmt.Fprintf(&req, "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %s\r\n", key)
	if len(subprotocols) > 0 {
		fmt.Fprintf(&req, "Sec-WebSocket-Protocol: %s\r\n", strings.Join(subprotocols, ", "))
	}
	req.WriteString("\r\n")
	if _, err := io.WriteString(conn, req.String()); err != nil {
		res.Err = fmt.Errorf("write handshake: %w", err)
		return res
	}

	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodGet})
	if err != nil {
		res.Err = fmt.Errorf("read handshake response: %w", err)
		return res
	}
	res.Status, res.Header = resp.StatusCode, resp.Header
	res.Subprotocol = resp.Header.Get("Sec-WebSocket-Protocol")
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		res.Body = string(body)
		if err != nil {
			res.Err = fmt.Errorf("read %d body: %w", resp.StatusCode, err)
		}
		return res
	}
	// A browser refuses a 101 without `Upgrade: websocket` and
	// `Connection: upgrade` (RFC 6455 §4.1, client requirements 2 and 3).
	if !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket") || !headerHasToken(resp.Header.Get("Connection"), "upgrade") {
		res.Err = fmt.Errorf("101 without Upgrade: websocket and Connection: upgrade (got Upgrade %q, Connection %q)", resp.Header.Get("Upgrade"), resp.Header.Get("Connection"))
		return res
	}
	if got, want := resp.Header.Get("Sec-WebSocket-Accept"), acceptKey(key); got != want {
		res.Err = fmt.Errorf("Sec-WebSocket-Accept = %q, want %q", got, want)
		return res
	}

	msg := []byte("hello from nginxe2e " + key)
	if err := writeFrame(conn, opText, msg); err != nil {
		res.Err = fmt.Errorf("send message: %w", err)
		return res
	}
	op, payload, err := readFrame(br)
	if err != nil {
		res.Err = fmt.Errorf("read echo: %w", err)
		return res
	}
	if op != opText || !bytes.Equal(payload, msg) {
		res.Err = fmt.Errorf("echo: got opcode %d %q, want text %q", op, payload, msg)
		return res
	}
	res.Echoed = true

	// Close handshake: send 1000, wait for the server's close frame.
	if err := writeFrame(conn, opClose, []byte{0x03, 0xe8}); err != nil {
		res.Err = fmt.Errorf("send close: %w", err)
		return res
	}
	for {
		op, _, err := readFrame(br)
		if err != nil {
			res.Err = fmt.Errorf("read close: %w", err)
			return res
		}
		if op == opClose {
			return res
		}
	}
}

// PlainGET sends an ordinary GET (no Upgrade) to http://addr+path on a fresh
// connection and returns the status and the first bytes of the body.
func PlainGET(addr, path string) (int, string, error) {
	client := &http.Client{
		Timeout:   ClientTimeout,
		Transport: &http.Transport{DisableKeepAlives: true}, // no Proxy: loopback only
	}
	resp, err := client.Get("http://" + addr + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return resp.StatusCode, string(body), err
}

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

func acceptKey(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

func randomKey() (string, error) {
	var k [16]byte
	if _, err := rand.Read(k[:]); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(k[:]), nil
}

// RFC 6455 opcodes used here.
const (
	opText  = 0x1
	opClose = 0x8
	opPing  = 0x9
	opPong  = 0xa
)

// writeFrame writes one final, masked client frame.
func writeFrame(w io.Writer, op byte, payload []byte) error {
	hdr := []byte{0x80 | op}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n <= 0xffff:
		hdr = append(hdr, 0x80|126)
		hdr = binary.BigEndian.AppendUint16(hdr, uint16(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	var mask [4]byte
	if _, err := rand.Read(mask[:]); err != nil {
		return err
	}
	frame := append(hdr, mask[:]...)
	for i, c := range payload {
		frame = append(frame, c^mask[i%4])
	}
	_, err := w.Write(frame)
	return err
}

// readFrame reads one complete server message: it reassembles fragments
// and skips pings and pongs. Server frames must not be masked.
func readFrame(r io.Reader) (op byte, payload []byte, err error) {
	for {
		var h [2]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return 0, nil, err
		}
		fin, frameOp := h[0]&0x80 != 0, h[0]&0x0f
		if h[1]&0x80 != 0 {
			return 0, nil, errors.New("server frame is masked")
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var l [2]byte
			if _, err := io.ReadFull(r, l[:]); err != nil {
				return 0, nil, err
			}
			n = uint64(binary.BigEndian.Uint16(l[:]))
		case 127:
			var l [8]byte
			if _, err := io.ReadFull(r, l[:]); err != nil {
				return 0, nil, err
			}
			n = binary.BigEndian.Uint64(l[:])
		}
		if n > 1<<20 {
			return 0, nil, fmt.Errorf("frame of %d bytes is too large", n)
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(r, data); err != nil {
			return 0, nil, err
		}
		switch {
		case frameOp == opPing || frameOp == opPong:
			continue
		case frameOp != 0: // first frame of a message (or a close)
			op = frameOp
		}
		payload = append(payload, data...)
		if fin {
			return op, payload, nil
		}
	}
}

func headerHasToken(v, tok string) bool {
	for _, t := range strings.Split(v, ",") {
		if strings.EqualFold(strings.TrimSpace(t), tok) {
			return true
		}
	}
	return false
}
