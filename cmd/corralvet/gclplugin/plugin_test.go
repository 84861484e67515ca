package gclplugin_test

import (
	"slices"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"go.uber.org/goleak"

	_ "github.com/corral-go/corral/cmd/corralvet/gclplugin"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func names(t *testing.T, settings any) ([]string, error) {
	t.Helper()
	newPlugin, err := register.GetPlugin("corralvet")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(settings)
	if err != nil {
		return nil, err
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out, nil
}

func TestPlugin(t *testing.T) {
	all := []string{"rangeerr", "goescape", "forkctx", "scopeescape", "lostresult", "dropcancel"}
	tests := []struct {
		name     string
		give     any
		want     []string
		wantFail bool
	}{
		{name: "no settings", give: nil, want: all},
		{name: "empty", give: map[string]any{}, want: all},
		{name: "disable", give: map[string]any{"disable": []any{"forkctx", "dropcancel"}},
			want: []string{"rangeerr", "goescape", "scopeescape", "lostresult"}},
		{name: "unknown analyzer", give: map[string]any{"disable": []any{"lostcancel"}}, wantFail: true},
		{name: "unknown setting", give: map[string]any{"enable": []any{"forkctx"}}, wantFail: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := names(t, tt.give)
			if tt.wantFail {
				if err == nil {
					t.Fatalf("settings %v accepted, want an error", tt.give)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("analyzers = %v, want %v", got, tt.want)
			}
		})
	}
}
