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
