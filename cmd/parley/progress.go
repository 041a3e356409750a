package main

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// progress reports rows, rate and (when the total size is known) the ETA on stderr,
// twice a second, only when stderr is a terminal: pipes and CI stay quiet.
type progress struct {
	label      string
	rows       atomic.Int64
	bytes      atomic.Int64
	total      int64
	start      time.Time
	done, stop chan struct{}
}

func startProgress(label string, totalBytes int64) *progress {
	p := &progress{label: label, total: totalBytes, start: time.Now(), done: make(chan struct{}), stop: make(chan struct{})}
	if !term.IsTerminal(int(os.Stderr.Fd())) {
		close(p.done)
		return p
	}
	go func() {
		defer close(p.done)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				p.print()
				fmt.Fprintln(os.Stderr)
				return
			case <-t.C:
				p.print()
			}
		}
	}()
	return p
}

func (p *progress) print() {
	rows, el := p.rows.Load(), time.Since(p.start).Seconds()
	line := fmt.Sprintf("\r%s: %d rows, %.0f rows/s", p.label, rows, float64(rows)/max(el, 1e-3))
	if b := p.bytes.Load(); p.total > 0 && b > 0 {
		eta := time.Duration(el*float64(p.total-b)/float64(b)) * time.Second
		line += fmt.Sprintf(", %.0f%%, ETA %s", 100*float64(b)/float64(p.total), eta.Round(time.Second))
	}
	fmt.Fprint(os.Stderr, line+"   ")
}

// row counts one row.
func (p *progress) row() { p.rows.Add(1) }

// finish stops the display.
func (p *progress) finish() {
	select {
	case <-p.done:
		return
	default:
	}
	close(p.stop)
	<-p.done
}

// reader counts the bytes read through r.
func (p *progress) reader(r io.Reader) io.Reader { return &countingReader{r: r, p: p} }

type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.bytes.Add(int64(n))
	return n, err
}
