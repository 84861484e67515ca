// Package corral recognises corral's API in type-checked code, for the
// analyzers of corralvet.
//
// Everything is matched through go/types, by package path and name, never by
// the text of the source: an aliased import, a method value or a generic
// instantiation is recognised like a plain call. Where a check is about what
// corral does with a function (start it as a fork, run it as a scope's body),
// the function is recognised by its shape instead of by the name of the API
// it is passed to, so that corral's next functions are covered without a
// change here: see [Func].
package corral
