// Package passes lists corralvet's analyzers, for drivers other than the
// corralvet command (a golangci-lint plugin, a custom multichecker, gopls).
package passes
