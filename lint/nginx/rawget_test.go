package nginx_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"time"
)

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
