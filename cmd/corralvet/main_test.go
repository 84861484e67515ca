package main_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The command's output names each mistake of testdata/vet once.
var wantLines = []string{
	"vet.go:21:2: range over Chan.All with one variable drops the error",
	"vet.go:29:3: go statement in a scope body passed to scope.Supervised",
	"vet.go:36:3: fork function passed to Scope.Go never reads its ctx but blocks in time.Sleep",
	"vet.go:41:5: package variable root holds a *scope.Scope",
	"vet.go:44:2: fork from fork.Unsupervised dropped",
	"vet.go:49:3: register function passed to dispatcher.Await returns a nil cancel func",
}

// build builds the corralvet command into a temporary directory.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "corralvet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// run runs a command in dir, offline, and returns its output and exit code.
func run(t *testing.T, dir string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	return "", 0
}

func checkOutput(t *testing.T, out string) {
	t.Helper()
	for _, want := range wantLines {
		if strings.Count(out, want) != 1 {
			t.Errorf("output has %d lines with %q, want 1", strings.Count(out, want), want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", out)
	}
}

// TestCommand runs corralvet as a standalone command and as go vet's
// -vettool, and applies its fixes.
func TestCommand(t *testing.T) {
	bin := build(t)
	dir := filepath.Join("testdata", "vet")

	t.Run("standalone", func(t *testing.T) {
		out, code := run(t, dir, bin, "./...")
		if code != 3 { // the multichecker's code for "diagnostics reported"
			t.Errorf("corralvet exit code = %d, want 3\n%s", code, out)
		}
		checkOutput(t, out)
	})

	t.Run("vettool", func(t *testing.T) {
		out, code := run(t, dir, "go", "vet", "-vettool="+bin, "./...")
		if code == 0 {
			t.Errorf("go vet -vettool succeeded, want a failure\n%s", out)
		}
		checkOutput(t, out)
	})

	t.Run("fixtool", func(t *testing.T) {
		out, _ := run(t, dir, "go", "fix", "-fixtool="+bin, "-diff", "./...")
		if !strings.Contains(out, "+\tfor v, err := range c.All(ctx) {") {
			t.Errorf("go fix -fixtool -diff printed:\n%s", out)
		}
	})

	t.Run("one analyzer", func(t *testing.T) {
		out, _ := run(t, dir, bin, "-rangeerr", "./...")
		if !strings.Contains(out, wantLines[0]) || strings.Contains(out, wantLines[1]) {
			t.Errorf("corralvet -rangeerr reported:\n%s", out)
		}
	})

	t.Run("fix", func(t *testing.T) {
		stubs, err := filepath.Abs(filepath.Join("passes", "testdata", "src", "github.com", "corral-go", "corral"))
		if err != nil {
			t.Fatal(err)
		}
		tmp := t.TempDir()
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		mod = []byte(strings.Replace(string(mod), "../../passes/testdata/src/github.com/corral-go/corral", stubs, 1))
		src, err := os.ReadFile(filepath.Join(dir, "vet.go"))
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{"go.mod": mod, "vet.go": src} {
			if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if out, code := run(t, tmp, bin, "-fix", "./..."); code != 0 && code != 3 {
			t.Fatalf("corralvet -fix: exit code %d\n%s", code, out)
		}
		fixed, err := os.ReadFile(filepath.Join(tmp, "vet.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"for v, err := range c.All(ctx) {\n\t\tif err != nil {\n\t\t\treturn 0, err\n\t\t}",
			"s.Go(func(ctx context.Context) error { work(); return nil })",
			"return request(complete)",
		} {
			if !strings.Contains(string(fixed), want) {
				t.Errorf("fixed file lacks %q:\n%s", want, fixed)
			}
		}
	})
}
