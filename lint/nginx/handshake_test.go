package nginx

import "testing"

func TestDroppedUpgrade(t *testing.T) {
	c := load(t, `server {
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "upgrade";
    location /own/ {
        proxy_pass http://app;
        proxy_set_header Host $host;
    }
    location /kept/ {
        proxy_pass http://app;
        proxy_set_header Connection "upgrade";
        proxy_set_header Upgrade $http_upgrade;
    }
    location /half/ {
        proxy_pass http://app;
        proxy_set_header Upgrade $http_upgrade;
    }
    location /inherits/ {
        proxy_pass http://app;
    }
}
`)
	want := map[string]int{"/own/": 2, "/kept/": 0, "/half/": 1, "/inherits/": 0}
	for _, l := range c.Locations() {
		got := l.DroppedUpgrade(c)
		if len(got) != want[l.Path] {
			t.Errorf("%s: DroppedUpgrade = %v, want %d entries", l.Path, got, want[l.Path])
		}
		if l.Path == "/half/" && len(got) == 1 && got[0].Arg(0) != "Connection" {
			t.Errorf("/half/: dropped %s, want Connection", got[0].Arg(0))
		}
	}
}

// A location that sets `Connection` (or `Upgrade`) itself to a value without
// `upgrade` chose its headers: nothing is dropped, and an enclosing level's
// upgrade headers are no WebSocket evidence for it.
func TestDeclinesUpgrade(t *testing.T) {
	c := load(t, `server {
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "upgrade";
    location /keepalive/ {
        proxy_pass http://app;
        proxy_set_header Connection "";
    }
    location /close/ {
        proxy_pass http://app;
        proxy_set_header CONNECTION close;
    }
    location /no-upgrade/ {
        proxy_pass http://app;
        proxy_set_header Upgrade "";
    }
    location /host/ {
        proxy_pass http://app;
        proxy_set_header Host $host;
    }
    location /client/ {
        proxy_pass http://app;
        proxy_set_header Connection $http_connection;
    }
}
`)
	want := map[string]bool{"/keepalive/": true, "/close/": true, "/no-upgrade/": true, "/host/": false, "/client/": false}
	ws := map[string]bool{}
	for _, w := range c.WebSocketLocations(WSOptions{}) {
		ws[w.Path] = true
	}
	for _, l := range c.Locations() {
		if got := l.DeclinesUpgrade(c); got != want[l.Path] {
			t.Errorf("%s: DeclinesUpgrade = %v, want %v", l.Path, got, want[l.Path])
		}
		if want[l.Path] && (len(l.DroppedUpgrade(c)) > 0 || ws[l.Path]) {
			t.Errorf("%s: declines the upgrade, but DroppedUpgrade = %v, WebSocket location = %v", l.Path, l.DroppedUpgrade(c), ws[l.Path])
		}
	}
	if got := c.Locations()[3].DroppedUpgrade(c); len(got) != 2 {
		t.Errorf("/host/: DroppedUpgrade = %v, want Upgrade and Connection", got)
	}
	if got := c.Locations()[4].DroppedUpgrade(c); len(got) != 1 || got[0].Arg(0) != "Upgrade" {
		t.Errorf("/client/: DroppedUpgrade = %v, want Upgrade only (Connection is its own)", got)
	}
}

// TestSetsHeaderFoldsASCIIOnly: header names compare case-insensitively in
// ASCII, as nginx's lowercase hash of them does; the Kelvin sign (which
// Unicode folds to 'k') is another name.
func TestSetsHeaderFoldsASCIIOnly(t *testing.T) {
	c := load(t, "server {\n    location / {\n        proxy_set_header UPGRADE $http_upgrade;\n        proxy_set_header X-\u212aey 1;\n    }\n}\n")
	list := c.Locations()[0].Block.Find("proxy_set_header")
	for name, want := range map[string]bool{"upgrade": true, "Upgrade": true, "upgrade2": false, "upgrad": false, "x-key": false, "X-\u212aey": true} {
		if got := SetsHeader(list, name); got != want {
			t.Errorf("SetsHeader(%q) = %v, want %v", name, got, want)
		}
	}
}
