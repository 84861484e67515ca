package source

import (
	"bufio"
	"bytes"
	"context"
	"io"
)

// ioBuffer is the size of the buffers Lines reads into and RunToWriter
// writes from.
const ioBuffer = 64 << 10

// Lines returns a Source of the lines read from r, without their line
// endings: a line ends with "\n" or "\r\n", and the last line of the input
// need not end at all (as with [bufio.ScanLines]). Lines may be of any
// length. A read error other than [io.EOF] ends the run with that error,
// after the lines read before it, the incomplete one included.
//
// The lines already in memory are passed on as a batch, and a line is
// passed on as soon as it is complete, before the next read: reading
// os.Stdin line by line works as expected. Reads cannot be interrupted by
// the run's context, which is checked between them: to stop a read that
// waits, close the reader or set a deadline on it. Lines reads ahead, so a
// run that stops early may have read more of r than the lines it passed on.
//
// Lines panics if r is nil.
func Lines(r io.Reader) Source[string] {
	if r == nil {
		panic("source: Lines called with nil r; pass the reader to read lines from")
	}
	return Source[string]{run: func(ctx context.Context, want int, out sink[string]) error {
		br := bufio.NewReaderSize(r, ioBuffer)
		var (
			lines []string
			long  []byte // the start of a line longer than br's buffer
		)
		for !stop(want) {
			if err := ctx.Err(); err != nil {
				return err
			}
			n := batchSize(want)
			var rerr error
			for len(lines) < n {
				line, err := br.ReadSlice('\n')
				if err == bufio.ErrBufferFull {
					long = append(long, line...)
					continue
				}
				if len(long) > 0 {
					line = append(long, line...)
					long = long[:0]
				}
				if len(line) > 0 {
					lines = append(lines, string(trimEOL(line)))
				}
				if rerr = err; err != nil || !lineBuffered(br) {
					break
				}
			}
			if len(lines) > 0 {
				want = out.push(lines)
				clear(lines) // let the strings go
				lines = lines[:0]
			}
			if rerr == io.EOF {
				return nil
			} else if rerr != nil {
				return rerr
			}
		}
		return nil
	}}
}

// trimEOL removes a trailing "\n" or "\r\n".
func trimEOL(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte{'\n'})
	return bytes.TrimSuffix(line, []byte{'\r'})
}

// lineBuffered reports whether br holds a whole line, which can then be
// read without waiting.
func lineBuffered(br *bufio.Reader) bool {
	b, _ := br.Peek(br.Buffered())
	return bytes.IndexByte(b, '\n') >= 0
}

// maxEmptyReads is how many reads in a row may return nothing before Chunks
// gives up with [io.ErrNoProgress], as [bufio.Reader] does.
const maxEmptyReads = 100

// Chunks returns a Source of the bytes read from r, as chunks of at most
// size bytes: each chunk holds what one Read returned, so chunks are
// shorter than size when the reader has less ready. Each chunk is a new
// slice, which may be kept. A read error other than [io.EOF] ends the run
// with that error, after the bytes read before it.
//
// Reads cannot be interrupted by the run's context, which is checked
// between them: to stop a read that waits, close the reader or set a
// deadline on it.
//
// Chunks panics if r is nil or size is not positive.
func Chunks(r io.Reader, size int) Source[[]byte] {
	if r == nil {
		panic("source: Chunks called with nil r; pass the reader to read from")
	}
	mustPositive("Chunks", "size", size)
	return Source[[]byte]{run: func(ctx context.Context, want int, out sink[[]byte]) error {
		buf := make([]byte, size)
		for empty := 0; !stop(want); {
			if err := ctx.Err(); err != nil {
				return err
			}
			n, err := r.Read(buf)
			if n > 0 {
				empty = 0
				want = out.one(bytes.Clone(buf[:n]))
			} else if err == nil {
				if empty++; empty == maxEmptyReads {
					return io.ErrNoProgress
				}
			}
			if err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
		}
		return nil
	}}
}

// RunToWriter runs the pipeline and writes each value to w followed by end,
// which may be empty: "\n" writes lines, "" writes the values as they are.
// Writes are buffered, and each batch that reaches RunToWriter is written
// before the next is waited for, so the output of a pipeline fed line by
// line appears line by line. RunToWriter does not close w.
//
// The first write error stops the run and is returned; otherwise the
// pipeline's error, if any, is returned, after the values before it have
// been written. A pipeline that reads os.Stdin, transforms each line and
// writes it to os.Stdout takes three lines:
//
//	lines := source.Lines(os.Stdin)
//	upper := source.Map(lines, strings.ToUpper)
//	err := source.RunToWriter(ctx, upper, os.Stdout, "\n")
func RunToWriter[T ~string | ~[]byte](ctx context.Context, s Source[T], w io.Writer, end string) error {
	mustCtx("RunToWriter", ctx)
	if w == nil {
		panic("source: RunToWriter called with nil w; pass the writer to write to")
	}
	var (
		buf  []byte
		werr error
	)
	write := func() bool {
		_, werr = w.Write(buf)
		buf = buf[:0]
		return werr == nil
	}
	err := s.runIn(ctx, pushOnly(func(batch []T) int {
		for _, v := range batch {
			buf = append(buf, v...)
			buf = append(buf, end...)
			if len(buf) >= ioBuffer && !write() {
				return 0
			}
		}
		if len(buf) > 0 && !write() {
			return 0
		}
		return unbounded
	}))
	if werr != nil {
		return werr
	}
	return err
}
