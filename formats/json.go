package formats

import (
	"io"

	"github.com/parley-api/parley/models"
)

// exportJSONArray writes the event JSONs as one array.
type exportJSONArray struct {
	exportBase
	item []byte // reused for every event
}

func (x *exportJSONArray) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	_, err := x.w.WriteString("[")
	return err
}

func (x *exportJSONArray) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	data, err := appendEventJSON(x.item[:0], e)
	if err != nil {
		return err
	}
	if cap(data) <= ndjsonLineCap {
		x.item = data
	}
	return x.itemJSON(data)
}

func (x *exportJSONArray) End() error { return x.end(x.closeArray("]\n")) }
