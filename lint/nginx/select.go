package nginx

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Listen is one parsed `listen` directive.
type Listen struct {
	D             *Directive
	Addr          string // "" or "*" for any address
	Port          int
	DefaultServer bool
	SSL, HTTP2    bool
}

// Listens returns a server's listen directives; a server without one listens
// on *:80 (nginx's default when it runs as root).
func (s *Server) Listens() []Listen {
	var out []Listen
	for _, d := range s.Block.Find("listen") {
		if len(d.Args) == 0 {
			continue
		}
		l := Listen{D: d, Port: 80}
		addr := d.Arg(0)
		switch {
		case strings.HasPrefix(addr, "unix:"):
			l.Addr, l.Port = addr, 0
		case strings.HasPrefix(addr, "["):
			if i := strings.LastIndex(addr, "]:"); i > 0 {
				l.Addr = addr[:i+1]
				l.Port, _ = strconv.Atoi(addr[i+2:])
			} else {
				l.Addr = addr
			}
		default:
			if p, err := strconv.Atoi(addr); err == nil {
				l.Port = p
			} else if i := strings.LastIndex(addr, ":"); i >= 0 {
				l.Addr = addr[:i]
				l.Port, _ = strconv.Atoi(addr[i+1:])
			} else {
				l.Addr = addr
			}
		}
		for _, a := range d.Args[1:] {
			switch a.Value {
			case "default_server", "default":
				l.DefaultServer = true
			case "ssl":
				l.SSL = true
			case "http2":
				l.HTTP2 = true
			}
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		out = append(out, Listen{Port: 80})
	}
	return out
}

// Names returns the server's server_name values.
func (s *Server) Names() []string {
	var out []string
	for _, d := range s.Block.Find("server_name") {
		for _, a := range d.Args {
			out = append(out, a.Value)
		}
	}
	return out
}

// SelectServer returns the server nginx picks for a request to host on
// port, and why: among the servers listening on the port, an exact name,
// then the longest `*.` wildcard, then the longest `.*` wildcard, then the
// first matching regex, else the port's default_server, else its first server.
func (c *Config) SelectServer(host string, port int) (*Server, string) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	var cands []*Server
	var def *Server
	for _, s := range c.Servers() {
		for _, l := range s.Listens() {
			if l.Port == port {
				cands = append(cands, s)
				if l.DefaultServer && def == nil {
					def = s
				}
				break
			}
		}
	}
	if len(cands) == 0 {
		return nil, fmt.Sprintf("no server listens on port %d", port)
	}
	for _, s := range cands {
		for _, n := range s.Names() {
			if strings.EqualFold(n, host) {
				return s, fmt.Sprintf("server_name %s matches exactly", n)
			}
		}
	}
	var best *Server
	bestName := ""
	for _, s := range cands {
		for _, n := range s.Names() {
			if strings.HasPrefix(n, "*.") && strings.HasSuffix(host, strings.ToLower(n[1:])) && len(n) > len(bestName) {
				best, bestName = s, n
			} else if strings.HasPrefix(n, ".") && (host == strings.ToLower(n[1:]) || strings.HasSuffix(host, strings.ToLower(n))) && len(n) > len(bestName) {
				best, bestName = s, n
			}
		}
	}
	if best != nil {
		return best, fmt.Sprintf("server_name %s is the longest leading wildcard that matches", bestName)
	}
	for _, s := range cands {
		for _, n := range s.Names() {
			if strings.HasSuffix(n, ".*") && strings.HasPrefix(host, strings.ToLower(n[:len(n)-1])) && len(n) > len(bestName) {
				best, bestName = s, n
			}
		}
	}
	if best != nil {
		return best, fmt.Sprintf("server_name %s is the longest trailing wildcard that matches", bestName)
	}
	for _, s := range cands {
		for _, n := range s.Names() {
			if strings.HasPrefix(n, "~") {
				if re, err := regexp.Compile("(?i)" + n[1:]); err == nil && re.MatchString(host) {
					return s, fmt.Sprintf("server_name %s is the first regular expression that matches", n)
				}
			}
		}
	}
	if def != nil {
		return def, "no server_name matches; the port's default_server is used"
	}
	return cands[0], fmt.Sprintf("no server_name matches; the first server listening on port %d is the default", port)
}

// MatchReason explains why Match chose loc for path.
func (l *Location) MatchReason(path string) string {
	switch {
	case l.IsExact():
		return fmt.Sprintf("`location = %s` matches the path exactly", l.Path)
	case l.IsRegex():
		return fmt.Sprintf("`location %s %s` is the first regular expression that matches", l.Modifier, l.Path)
	case l.Modifier == "^~":
		return fmt.Sprintf("`location ^~ %s` is the longest prefix and stops the regex search", l.Path)
	}
	return fmt.Sprintf("`location %s` is the longest matching prefix and no regular expression matches", l.Path)
}
