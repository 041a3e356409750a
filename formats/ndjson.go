package formats

import (
	"io"

	"github.com/parley-api/parley/models"
)

// ndjsonLineCap is the largest line buffer an ndjson exporter keeps between events: an
// event with thousands of statements does not pin its buffer for the rest of the stream.
const ndjsonLineCap = 1 << 20

// exportNDJSON writes one event JSON per line.
type exportNDJSON struct {
	exportBase
	line []byte // reused for every event
}

func (x *exportNDJSON) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	x.line = make([]byte, 0, 8<<10)
	return nil
}

func (x *exportNDJSON) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	line, err := appendEventJSON(x.line[:0], e)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	_, err = x.w.Write(line) // one Write of the whole line, after encoding succeeded
	if cap(line) <= ndjsonLineCap {
		x.line = line
	}
	return err
}

func (x *exportNDJSON) End() error { return x.end("") }
