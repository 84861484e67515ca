package edit

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// ImportName returns the name under which file imports path, and false if
// it does not import it (or imports it as _ or .).
func ImportName(file *ast.File, path string) (string, bool) {
	for _, spec := range file.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil || p != path {
			continue
		}
		if spec.Name == nil {
			return path[strings.LastIndex(path, "/")+1:], true
		}
		if spec.Name.Name == "_" || spec.Name.Name == "." {
			return "", false
		}
		return spec.Name.Name, true
	}
	return "", false
}

// Import returns the name to use for path in file, and the edits that add
// the import if the file lacks it. It fails if the name is already taken
// at pos by something else.
func Import(pkg *types.Package, file *ast.File, pos token.Pos, path string) (string, []analysis.TextEdit, bool) {
	if name, ok := ImportName(file, path); ok {
		return name, nil, true
	}
	name := path[strings.LastIndex(path, "/")+1:]
	if scope := pkg.Scope().Innermost(pos); scope != nil {
		if _, obj := scope.LookupParent(name, pos); obj != nil {
			return "", nil, false
		}
	}
	quoted := strconv.Quote(path)
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		// Put the standard library's package first, in a group of its
		// own if the first group is not the standard library's.
		sep := ""
		if len(gd.Specs) > 0 && !isStd(gd.Specs[0].(*ast.ImportSpec)) {
			sep = "\n"
		}
		if gd.Lparen.IsValid() {
			return name, []analysis.TextEdit{{Pos: gd.Lparen + 1, End: gd.Lparen + 1, NewText: []byte("\n\t" + quoted + sep)}}, true
		}
		return name, []analysis.TextEdit{
			{Pos: gd.TokPos + token.Pos(len("import")), End: gd.Specs[0].Pos(), NewText: []byte(" (\n\t" + quoted + "\n" + sep + "\t")},
			{Pos: gd.End(), End: gd.End(), NewText: []byte("\n)")},
		}, true
	}
	end := file.Name.End()
	return name, []analysis.TextEdit{{Pos: end, End: end, NewText: []byte("\n\nimport " + quoted)}}, true
}

func isStd(spec *ast.ImportSpec) bool {
	path, err := strconv.Unquote(spec.Path.Value)
	if err != nil {
		return false
	}
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// Zero returns an expression for the zero value of t as written in file,
// and false if there is none that is simple to write.
func Zero(pkg *types.Package, file *ast.File, t types.Type) (string, bool) {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false", true
		case u.Info()&types.IsNumeric != 0:
			return "0", true
		case u.Info()&types.IsString != 0:
			return `""`, true
		case u.Kind() == types.UnsafePointer:
			return "nil", true
		}
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		if _, isParam := types.Unalias(t).(*types.TypeParam); isParam {
			break
		}
		return "nil", true
	}
	switch t := types.Unalias(t).(type) {
	case *types.TypeParam:
		return "*new(" + t.Obj().Name() + ")", true
	case *types.Named:
		name, ok := TypeString(pkg, file, t)
		if !ok {
			return "", false
		}
		return name + "{}", true // a struct or an array
	}
	return "", false
}

// TypeString writes t as file would: package-qualified by the names file
// imports them under. It fails if file does not import a package t needs.
func TypeString(pkg *types.Package, file *ast.File, t types.Type) (string, bool) {
	ok := true
	s := types.TypeString(t, func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		name, found := ImportName(file, p.Path())
		if !found {
			ok = false
		}
		return name
	})
	return s, ok
}

// Indent returns the white space that starts the line of pos in src.
func Indent(fset *token.FileSet, src []byte, pos token.Pos) string {
	f := fset.File(pos)
	if f == nil || src == nil {
		return ""
	}
	start := f.LineStart(f.Line(pos))
	off := f.Offset(start)
	end := off
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[off:end])
}

// Source returns the text of n in src.
func Source(fset *token.FileSet, src []byte, n ast.Node) string {
	f := fset.File(n.Pos())
	if f == nil || src == nil {
		return ""
	}
	return string(src[f.Offset(n.Pos()):f.Offset(n.End())])
}

// FileSource returns the content of the file that holds pos.
func FileSource(pass *analysis.Pass, pos token.Pos) []byte {
	f := pass.Fset.File(pos)
	if f == nil {
		return nil
	}
	src, err := pass.ReadFile(f.Name())
	if err != nil {
		return nil
	}
	return src
}

// FileOf returns the file of pass that holds pos.
func FileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// LineEnd returns where to insert statements at the top of block: the end
// of the line of its opening brace (after a comment there), or just after
// the brace if the block goes on on that line.
func LineEnd(fset *token.FileSet, src []byte, block *ast.BlockStmt) token.Pos {
	after := block.Lbrace + 1
	f := fset.File(block.Lbrace)
	if f == nil || src == nil {
		return after
	}
	next := block.Rbrace
	if len(block.List) > 0 {
		next = block.List[0].Pos()
	}
	if f.Line(next) == f.Line(block.Lbrace) {
		return after
	}
	off := f.Offset(after)
	for off < len(src) && src[off] != '\n' {
		off++
	}
	return f.Pos(off)
}
