package formats_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
)

func TestExportNDJSON(t *testing.T) {
	t.Parallel()
	events := expAll(t)
	out := expExport(t, "ndjson", "", events)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		if n >= len(events) {
			t.Fatalf("more lines than events")
		}
		want, _ := json.Marshal(&events[n])
		if !bytes.Equal(sc.Bytes(), want) {
			t.Errorf("line %d is not the API's JSON of %s:\n%s\n%s", n, events[n].Slug, sc.Bytes(), want)
		}
		var got struct {
			ID           string                `json:"id"`
			Slug         string                `json:"slug"`
			Title        string                `json:"title"`
			Summary      string                `json:"summary"`
			Date         struct{ EDTF string } `json:"date"`
			Participants []struct {
				ActorID string `json:"actor_id"`
				Actor   *struct {
					Name string `json:"name"`
				} `json:"actor"`
			} `json:"participants"`
			Location   *struct{ Name string }  `json:"location"`
			Sources    []struct{ URL string }  `json:"sources"`
			Statements []struct{ Text string } `json:"statements"`
		}
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		e := &events[n]
		if got.ID != e.ID.String() || got.Slug != e.Slug || got.Title != e.Title || got.Summary != e.Summary ||
			got.Date.EDTF != e.Date.EDTF || len(got.Participants) != len(e.Participants) ||
			len(got.Statements) != len(e.StatementsData) || len(got.Sources) != len(e.SourcesData) ||
			(got.Location == nil) != (e.LocationData == nil) {
			t.Errorf("line %d: %+v", n, got)
		}
		for i, p := range e.Participants {
			if p.ActorData != nil && (got.Participants[i].Actor == nil || got.Participants[i].Actor.Name != p.ActorData.Name) {
				t.Errorf("line %d participant %d: actor not embedded", n, i)
			}
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(events) {
		t.Errorf("%d lines, want %d", n, len(events))
	}
	if !bytes.HasSuffix(out, []byte("}\n")) {
		t.Errorf("does not end with a newline")
	}
}
