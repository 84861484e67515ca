// Package edit builds the text edits of corralvet's suggested fixes.
//
// The edits are plain text; the tools that apply them (go vet -fix,
// corralvet -fix, gopls, analysistest) format the result, so the edits aim
// for code that is correct, and only roughly indented.
package edit
