package rules

import (
	"strings"
	"testing"

	"github.com/wslint/wslint/lint"
)

func TestIdleTimeoutOptions(t *testing.T) {
	for _, tc := range []struct {
		opts map[string]any
		ok   bool
		ms   int64
	}{
		{nil, true, 60_000},
		{map[string]any{"min_read_timeout": "5m"}, true, 300_000},
		{map[string]any{"min_read_timeout": "1h30m"}, true, 5_400_000},
		{map[string]any{"min_read_timeout": float64(90)}, true, 90_000},
		{map[string]any{"min_read_timeout": 90}, true, 90_000},
		{map[string]any{"min_read_timeout": "90 s"}, false, 0},
		{map[string]any{"min_read_timeout": "1.5m"}, false, 0},
		{map[string]any{"min_read_timeout": "1M"}, false, 0}, // months: not an msec time
		{map[string]any{"min_read_timeout": float64(-1)}, false, 0},
		{map[string]any{"min_read_timeout": 1.5}, false, 0},
		{map[string]any{"min_read_timeout": true}, false, 0},
		{map[string]any{"min_read_timout": "60s"}, false, 0},
	} {
		err := validateIdleTimeoutOptions(tc.opts)
		if (err == nil) != tc.ok {
			t.Errorf("validate(%v) = %v, want ok=%v", tc.opts, err, tc.ok)
			continue
		}
		if tc.ok {
			if ms, _ := idleThreshold(tc.opts["min_read_timeout"]); ms != tc.ms {
				t.Errorf("threshold(%v) = %d, want %d", tc.opts, ms, tc.ms)
			}
		}
	}
}

func TestValidateRuleOptions(t *testing.T) {
	for _, tc := range []struct {
		ro   map[string]map[string]any
		want string // substring of the error; "" = valid
	}{
		{nil, ""},
		{map[string]map[string]any{"WS201": {"min_read_timeout": "300s"}}, ""},
		{map[string]map[string]any{"WS201": {"min_read_timeout": "300"}}, ""},
		{map[string]map[string]any{"WS201": {"min_read_timeout": "5 m"}}, "options of rule WS201 (idle-timeout-short): min_read_timeout: invalid time value"},
		{map[string]map[string]any{"WS201": {"threshold": "5m"}}, `unknown option "threshold"`},
		{map[string]map[string]any{"WS101": {"x": 1}}, "rule WS101 (upgrade-headers-missing) takes no options; rules with options: "},
		{map[string]map[string]any{"WS777": {"x": 1}}, `options for unknown rule "WS777"`},
	} {
		err := lint.ValidateRuleOptions(All, tc.ro)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ValidateRuleOptions(%v) = %v, want nil", tc.ro, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("ValidateRuleOptions(%v) = %v, want %q", tc.ro, err, tc.want)
		}
	}
}
