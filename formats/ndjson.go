package formats

import (
	"encoding/json"
	"io"

	"github.com/parley-api/parley/models"
)

// exportNDJSON writes one event JSON per line.
type exportNDJSON struct {
	exportBase
	enc *json.Encoder
}

func (x *exportNDJSON) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	x.enc = json.NewEncoder(x.w)
	return nil
}

func (x *exportNDJSON) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	return x.enc.Encode(e) // one Write of the whole line, after marshalling succeeded
}

func (x *exportNDJSON) End() error { return x.end("") }
