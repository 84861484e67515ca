// Package gclplugin registers corralvet's analyzers as a golangci-lint
// module plugin named "corralvet".
//
// Build a golangci-lint binary that includes it with golangci-lint custom
// and a .custom-gcl.yml that names this package; enable it in .golangci.yml
// as a custom linter of type "module". Its settings may turn analyzers off
// by name:
//
//	linters:
//	  enable:
//	    - corralvet
//	  settings:
//	    custom:
//	      corralvet:
//	        type: module
//	        description: structured-concurrency mistakes with corral
//	        settings:
//	          disable: [forkctx]
//
// See docs/corralvet.md in corral's repository for the whole setup.
package gclplugin

import (
	"fmt"
	"slices"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/corral-go/corral/cmd/corralvet/passes"
)

func init() {
	register.Plugin("corralvet", New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Disable lists analyzers not to run, by name (rangeerr, goescape,
	// forkctx, scopeescape, lostresult, dropcancel).
	Disable []string `json:"disable"`
}

type plugin struct{ analyzers []*analysis.Analyzer }

// New returns the plugin for settings, as golangci-lint passes them (nil
// for none). It fails on an unknown setting or analyzer name.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("corralvet: %w", err)
	}
	all := passes.Analyzers()
	for _, name := range s.Disable {
		if !slices.ContainsFunc(all, func(a *analysis.Analyzer) bool { return a.Name == name }) {
			return nil, fmt.Errorf("corralvet: disable: no analyzer named %q", name)
		}
	}
	var on []*analysis.Analyzer
	for _, a := range all {
		if !slices.Contains(s.Disable, a.Name) {
			on = append(on, a)
		}
	}
	return plugin{on}, nil
}

// BuildAnalyzers returns the analyzers to run.
func (p plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) { return p.analyzers, nil }

// GetLoadMode says that the analyzers need type information.
func (plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
