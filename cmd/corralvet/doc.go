// Corralvet reports the mistakes with corral that compile and then run
// silently wrong: errors dropped by a range loop, goroutines that escape
// their scope, forks that ignore their context, scopes kept past their end,
// and failures that only a dropped handle would have reported.
//
// Install it and run it over a module's packages:
//
//	go install github.com/corral-go/corral/cmd/corralvet@latest
//	corralvet ./...
//
// or through go vet, which runs it package by package from the build cache:
//
//	go vet -vettool=$(which corralvet) ./...
//
// The analyzers, each described by "corralvet help NAME" and in
// docs/corralvet.md:
//
//	rangeerr     range over corral's All iterators that drops the error
//	goescape     go statement in a scope body or a fork function
//	forkctx      fork function that never reads its ctx but blocks
//	scopeescape  *scope.Scope kept where it outlives its scope
//	lostresult   dropped fork or task result that alone reports a failure
//	dropcancel   register function (dispatcher.Await) that drops its cancel func
//
// By default all of them run; -NAME runs only the ones named, -NAME=false
// all but those. -fix applies the suggested fixes (-diff with it shows them
// instead), as does go fix -fixtool=$(which corralvet) ./...; -test=false
// leaves test files out; -json prints the diagnostics as JSON. The exit code
// is 0 when nothing is reported, 3 when something is, and 1 when the
// packages cannot be loaded.
//
// The analyzers recognise corral by package path and type, not by import
// name, so they work with any version of corral; corralvet does not import
// corral itself. For golangci-lint, see the gclplugin package.
package main
