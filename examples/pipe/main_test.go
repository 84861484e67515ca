package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeClock returns a since function whose time advances by step at each
// call, starting at step.
func fakeClock(step time.Duration) func() time.Duration {
	var now time.Duration
	return func() time.Duration {
		now += step
		return now
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		give string
		want string
	}{
		{
			name: "lines",
			give: "the quick brown fox\njumps over\n",
			want: "# line 1 at +10ms (+10ms): 4 words\nthe\nquick\nbrown\nfox\n" +
				"# line 2 at +20ms (+10ms): 2 words\njumps\nover\n",
		},
		{
			name: "blank lines, CRLF, spaces and no final newline",
			give: "\r\n  the   lazy\tdog \r\nend",
			want: "# line 1 at +10ms (+10ms): 0 words\n" +
				"# line 2 at +20ms (+10ms): 3 words\nthe\nlazy\ndog\n" +
				"# line 3 at +30ms (+10ms): 1 word\nend\n",
		},
		{
			name: "empty input",
			give: "",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), strings.NewReader(tt.give), &out, fakeClock(10*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("output:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestReadError checks that a read error ends the run with that error,
// after the words of the lines read before it.
func TestReadError(t *testing.T) {
	errDisk := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("one two\n"), iotest.ErrReader(errDisk))
	var out bytes.Buffer
	err := run(context.Background(), r, &out, fakeClock(time.Millisecond))
	if !errors.Is(err, errDisk) {
		t.Fatalf("err = %v, want errDisk", err)
	}
	if want := "# line 1 at +1ms (+1ms): 2 words\none\ntwo\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

// TestLineByLine feeds the pipeline through pipes, as a terminal would:
// each line's words must come out before the next line is typed, or the
// test would wait forever for them (the guard then fails it).
func TestLineByLine(t *testing.T) {
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	guard := time.AfterFunc(4*time.Second, func() {
		stdinW.CloseWithError(errors.New("guard: the pipeline held a line back"))
		stdoutR.CloseWithError(errors.New("guard: the pipeline held a line back"))
	})
	defer guard.Stop()

	done := make(chan error, 1)
	go func() {
		err := run(context.Background(), stdinR, stdoutW, fakeClock(time.Second))
		stdoutW.CloseWithError(err)
		done <- err
	}()

	out := bufio.NewScanner(stdoutR)
	expect := func(want ...string) {
		t.Helper()
		for _, w := range want {
			if !out.Scan() {
				t.Fatalf("no line %q: %v", w, out.Err())
			}
			if out.Text() != w {
				t.Fatalf("got line %q, want %q", out.Text(), w)
			}
		}
	}
	for _, step := range []struct {
		typed string
		want  []string
	}{
		{"hello corral\n", []string{"# line 1 at +1s (+1s): 2 words", "hello", "corral"}},
		{"scopes\n", []string{"# line 2 at +2s (+1s): 1 word", "scopes"}},
		{"forks and channels\n", []string{"# line 3 at +3s (+1s): 3 words", "forks", "and", "channels"}},
	} {
		if _, err := io.WriteString(stdinW, step.typed); err != nil {
			t.Fatal(err)
		}
		expect(step.want...)
	}
	stdinW.Close() // end of input
	if out.Scan() {
		t.Errorf("unexpected line %q after the end of input", out.Text())
	}
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}
