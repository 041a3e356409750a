package formats

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/parley-api/parley/models"
)

// BundleContentType is the media type of bundles: one JSON record per line.
const BundleContentType = "application/x-ndjson"

// BundleRecord is one line of a bundle: {"type": …, "data": …}. A type is a kind's
// name (models.Kinds) or relation; data is the entity as the API returns it (a
// relation: {"event_id", "type", "related_id"}).
type BundleRecord struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data" swaggertype:"object"`
}

// BundleWriter writes bundle records, buffered; call Flush at the end.
type BundleWriter struct{ w *bufio.Writer }

// NewBundleWriter starts a bundle on w.
func NewBundleWriter(w io.Writer) *BundleWriter {
	return &BundleWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

// Write adds one record.
func (b *BundleWriter) Write(kind string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	line, err := json.Marshal(BundleRecord{Type: kind, Data: data})
	if err != nil {
		return err
	}
	if _, err := b.w.Write(line); err != nil {
		return err
	}
	return b.w.WriteByte('\n')
}

// BundleTypes lists the record types a bundle may hold: the kinds, then relation and
// redirect.
func BundleTypes() string {
	return strings.Join(append(models.KindNames(), models.ExtraRecordTypes...), ", ")
}

// Flush writes what is buffered.
func (b *BundleWriter) Flush() error { return b.w.Flush() }

// MaxBundleLine caps one line of a bundle (one entity).
const MaxBundleLine = 4 << 20

// BundleReader reads bundle records one line at a time, strictly: unknown members,
// duplicate members and invalid UTF-8 make the line's error, not a silent skip.
type BundleReader struct {
	sc   *bufio.Scanner
	line int
}

// NewBundleReader reads a bundle from r.
func NewBundleReader(r io.Reader) *BundleReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxBundleLine)
	return &BundleReader{sc: sc}
}

// DecodedRecord is one bundle line decoded into its entity, or the line's problem.
type DecodedRecord struct {
	Line   int
	Type   string
	Entity any // what a kind's New makes, or a *models.RelationRecord
	// Stated says which meta members the line named (nil for a relation).
	Stated *models.MetaMembers
	Err    error
}

// Next returns the next non-blank line decoded; io.EOF after the last. A read error
// (a line over MaxBundleLine, a broken connection) is returned as the error.
func (b *BundleReader) Next() (DecodedRecord, error) {
	for b.sc.Scan() {
		b.line++
		raw := b.sc.Bytes()
		if len(trimSpace(raw)) == 0 {
			continue
		}
		return decodeBundleLine(b.line, raw), nil
	}
	if err := b.sc.Err(); err != nil {
		return DecodedRecord{}, fmt.Errorf("bundle line %d: %w", b.line+1, err)
	}
	return DecodedRecord{}, io.EOF
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func decodeBundleLine(line int, raw []byte) DecodedRecord {
	var rec BundleRecord
	if err := models.UnmarshalStrict(raw, &rec); err != nil {
		return DecodedRecord{Line: line, Err: err}
	}
	out := DecodedRecord{Line: line, Type: rec.Type}
	var v any
	if k, ok := models.KindNamed(rec.Type); ok {
		v = k.New()
	} else if rec.Type == models.RelationRecordType {
		v = &models.RelationRecord{}
	} else if rec.Type == models.RedirectRecordType {
		v = &models.Redirect{}
	} else {
		out.Err = models.Errorf(models.EUNPROCESSABLE, "unknown record type %q (want one of %s)", rec.Type, BundleTypes())
		return out
	}
	if len(rec.Data) == 0 {
		out.Err = models.Errorf(models.EINVALID, "the record has no data")
		return out
	}
	if err := models.UnmarshalStrict(rec.Data, v); err != nil {
		out.Err = err
		return out
	}
	out.Entity = v
	if m, ok := v.(interface{ GetMeta() *models.Meta }); ok {
		st := models.StatedMeta(rec.Data, m.GetMeta())
		out.Stated = &st
	}
	return out
}
