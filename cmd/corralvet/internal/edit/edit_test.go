package edit_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"go.uber.org/goleak"
	"golang.org/x/tools/go/analysis"

	"github.com/corral-go/corral/cmd/corralvet/internal/edit"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// check parses and type-checks src as package p.
func check(t *testing.T, src string) (*token.FileSet, *ast.File, *types.Package) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fset, f, pkg
}

// apply applies edits to src.
func apply(fset *token.FileSet, src string, edits []analysis.TextEdit) string {
	out := src
	// Apply from the end so that earlier offsets stay valid.
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		start, end := fset.Position(e.Pos).Offset, fset.Position(e.End).Offset
		out = out[:start] + string(e.NewText) + out[end:]
	}
	return out
}

func TestImport(t *testing.T) {
	tests := []struct {
		name     string
		give     string
		wantName string
		want     string // the source after the edits
	}{
		{
			name:     "imported",
			give:     "package p\n\nimport ctx \"context\"\n\nvar _ ctx.Context\n",
			wantName: "ctx",
			want:     "package p\n\nimport ctx \"context\"\n\nvar _ ctx.Context\n",
		},
		{
			name:     "no imports",
			give:     "package p\n\nvar x int\n",
			wantName: "context",
			want:     "package p\n\nimport \"context\"\n\nvar x int\n",
		},
		{
			name:     "one standard import",
			give:     "package p\n\nimport \"time\"\n\nvar _ time.Duration\n",
			wantName: "context",
			want:     "package p\n\nimport (\n\t\"context\"\n\t\"time\"\n)\n\nvar _ time.Duration\n",
		},
		{
			name:     "group",
			give:     "package p\n\nimport (\n\t\"time\"\n)\n\nvar _ time.Duration\n",
			wantName: "context",
			want:     "package p\n\nimport (\n\t\"context\"\n\t\"time\"\n)\n\nvar _ time.Duration\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset, f, pkg := check(t, tt.give)
			name, edits, ok := edit.Import(pkg, f, f.Decls[len(f.Decls)-1].Pos(), "context")
			if !ok || name != tt.wantName {
				t.Fatalf("Import = %q, %v, want %q, true", name, ok, tt.wantName)
			}
			if got := apply(fset, tt.give, edits); got != tt.want {
				t.Errorf("source after the edits:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestImportNameTaken(t *testing.T) {
	src := "package p\n\nvar context = 1\n\nvar y = context\n"
	_, f, pkg := check(t, src)
	if _, _, ok := edit.Import(pkg, f, f.Decls[1].Pos(), "context"); ok {
		t.Error("Import succeeded where the name context is taken")
	}
}

func TestZero(t *testing.T) {
	src := `package p

import "time"

type (
	ID     int
	Point  struct{ X, Y int }
	Name   string
	Flags  [2]bool
	Thing  interface{ M() }
)

func f[T any]() (
	int, string, bool, *int, []int, map[int]int, chan int, func(), error,
	ID, Point, Name, Flags, Thing, time.Time, T, struct{ a int },
) {
	panic(0)
}
`
	want := []string{
		"0", `""`, "false", "nil", "nil", "nil", "nil", "nil", "nil",
		"0", "Point{}", `""`, "Flags{}", "nil", "time.Time{}", "*new(T)", "",
	}
	_, f, pkg := check(t, src)
	sig := pkg.Scope().Lookup("f").Type().(*types.Signature)
	var got []string
	for v := range sig.Results().Variables() {
		z, ok := edit.Zero(pkg, f, v.Type())
		if !ok {
			z = ""
		}
		got = append(got, z)
	}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("zero values:\n got %q\nwant %q", got, want)
	}
}
