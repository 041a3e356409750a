package formats_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/parley-api/parley/formats"
	"github.com/parley-api/parley/models"
)

// FuzzBundleReader feeds the import decoder arbitrary bytes: it must never panic, must
// end, and every line must come back either as an entity of a known type or as a
// decoding error that names the line (never both, never neither).
func FuzzBundleReader(f *testing.F) {
	f.Add([]byte(`{"type":"actor","data":{"name":"Norway","kind":"state","country":"NO"}}` + "\n"))
	f.Add([]byte(`{"type":"event","data":{"title":"T","type":"meeting","status":"held","date":"2026","participants":[{"actor_id":"norway","role":"host"}]}}`))
	f.Add([]byte(`{"type":"relation","data":{"event_id":"019b0000-0000-7000-8000-000000000001","type":"follows","related_id":"019b0000-0000-7000-8000-000000000002"}}`))
	f.Add([]byte("{\"type\":\"statement\",\"data\":{\"text\":\"\\u0000\",\"speaker_id\":\"x\",\"date\":\"2026~\"}}\n\n  \nnot json\n"))
	f.Add([]byte(`{"type":"actor","data":{"name":"A","name":"B"}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		rd := formats.NewBundleReader(bytes.NewReader(in))
		lines := bytes.Count(in, []byte("\n")) + 1
		for n := 0; ; n++ {
			if n > lines {
				t.Fatalf("more records than lines")
			}
			r, err := rd.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				return // a read error (a line over the limit) ends the bundle
			}
			if r.Line < 1 || r.Line > lines {
				t.Fatalf("record on line %d of %d", r.Line, lines)
			}
			if (r.Err == nil) == (r.Entity == nil) {
				t.Fatalf("line %d: entity %v and error %v", r.Line, r.Entity, r.Err)
			}
			if r.Err == nil {
				switch r.Entity.(type) {
				case *models.Actor, *models.Location, *models.Source, *models.Event, *models.Statement, *models.RelationRecord:
				default:
					t.Fatalf("line %d: entity of type %T", r.Line, r.Entity)
				}
			}
		}
	})
}
