package source_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/corral-go/corral/source"
)

func TestLines(t *testing.T) {
	long := strings.Repeat("x", 200_000)
	tests := []struct {
		name string
		give string
		want []string
	}{
		{"Empty", "", nil},
		{"One", "a", []string{"a"}},
		{"Newline", "a\n", []string{"a"}},
		{"Two", "a\nb", []string{"a", "b"}},
		{"EmptyLines", "\n\na\n\n", []string{"", "", "a", ""}},
		{"CRLF", "a\r\nb\r\n", []string{"a", "b"}},
		{"LoneCR", "a\rb\n", []string{"a\rb"}},
		{"Long", "a\n" + long + "\nb", []string{"a", long, "b"}},
		{"LongLast", long, []string{long}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			equal(t, collect(t, source.Lines(strings.NewReader(tt.give))), tt.want)
			// One byte per Read: lines are split across reads.
			equal(t, collect(t, source.Lines(iotest.OneByteReader(strings.NewReader(tt.give)))), tt.want)
		})
	}
}

func TestLinesMany(t *testing.T) {
	var in strings.Builder
	for i := range 5000 {
		in.WriteString(strings.Repeat("y", i%7))
		in.WriteString("\n")
	}
	got := collect(t, source.Lines(strings.NewReader(in.String())))
	if len(got) != 5000 || got[4999] != strings.Repeat("y", 4999%7) {
		t.Errorf("got %d lines", len(got))
	}
}

// TestLinesPassOnCompleteLines checks that a line goes downstream before
// Lines reads again, so that interactive input is not held back.
func TestLinesPassOnCompleteLines(t *testing.T) {
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.WriteString(pw, "a\nb\n")
		_, _ = io.WriteString(pw, "c\n")
		_ = pw.Close()
	}()
	// With a pipe, each write is one read: if Lines waited for more than
	// the lines it has, the Take would never see "b" before reading "c".
	equal(t, collect(t, source.Lines(pr).Take(2)), []string{"a", "b"})
	_, _ = io.Copy(io.Discard, pr)
}

func TestLinesError(t *testing.T) {
	r := io.MultiReader(strings.NewReader("a\nb\nc"), iotest.ErrReader(errBoom))
	got, err := source.Lines(r).RunToSlice(context.Background())
	if err != errBoom {
		t.Errorf("err = %v, want %v", err, errBoom)
	}
	// The incomplete last line was read, so it is passed on, as
	// bufio.Scanner would.
	equal(t, got, []string{"a", "b", "c"})
}

func TestChunks(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 1000)
	chunks := collect(t, source.Chunks(bytes.NewReader(data), 3000))
	if len(chunks) != 4 || len(chunks[3]) != 1000 {
		t.Errorf("got %d chunks", len(chunks))
	}
	if !bytes.Equal(bytes.Join(chunks, nil), data) {
		t.Error("chunks do not add up to the input")
	}
	chunks[0][0] = 'x' // a chunk is the caller's
	if chunks[1][0] != '0' {
		t.Error("chunks share memory")
	}

	one := collect(t, source.Chunks(iotest.HalfReader(bytes.NewReader(data[:8])), 8))
	if len(one) != 2 || string(one[0]) != "0123" {
		t.Errorf("short reads: got %q", one)
	}

	r := io.MultiReader(bytes.NewReader(data[:5]), iotest.ErrReader(errBoom))
	got, err := source.Chunks(r, 8).RunToSlice(context.Background())
	if err != errBoom || len(got) != 1 || string(got[0]) != "01234" {
		t.Errorf("got %q, %v; want [01234], %v", got, err, errBoom)
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestChunksNoProgress(t *testing.T) {
	if _, err := source.Chunks(emptyReader{}, 8).RunToSlice(context.Background()); err != io.ErrNoProgress {
		t.Errorf("err = %v, want io.ErrNoProgress", err)
	}
}

func TestRunToWriter(t *testing.T) {
	ctx := context.Background()
	var b strings.Builder
	if err := source.RunToWriter(ctx, source.Of("a", "b"), &b, "\n"); err != nil {
		t.Fatal(err)
	}
	if err := source.RunToWriter(ctx, source.Of([]byte("c"), []byte("d")), &b, ""); err != nil {
		t.Fatal(err)
	}
	type name string
	if err := source.RunToWriter(ctx, source.Of[name]("e"), &b, ", "); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "a\nb\ncde, " {
		t.Errorf("wrote %q", got)
	}

	// Many values: the buffer is flushed as it fills.
	var big bytes.Buffer
	words := source.Map(source.Range(0, 100_000, 1), func(int) string { return "word" })
	if err := source.RunToWriter(ctx, words, &big, "\n"); err != nil || big.Len() != 500_000 {
		t.Errorf("wrote %d bytes, %v", big.Len(), err)
	}
}

type failingWriter struct{ writes int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	return 0, errBoom
}

func TestRunToWriterErrors(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int64
	w := &failingWriter{}
	if err := source.RunToWriter(ctx, source.Map(counted(&calls), func(int) string { return "x" }), w, ""); err != errBoom {
		t.Errorf("err = %v, want the write error", err)
	}
	if w.writes != 1 {
		t.Errorf("%d writes after the first failed", w.writes-1)
	}
	var b strings.Builder
	err := source.RunToWriter(ctx, source.Concat(source.Of("a"), source.Failed[string](errBoom)), &b, "\n")
	if !errors.Is(err, errBoom) || b.String() != "a\n" {
		t.Errorf("wrote %q, %v; want \"a\\n\", %v", b.String(), err, errBoom)
	}
}
