package formats_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/parley-api/parley/models"
)

func TestExportJSON(t *testing.T) {
	t.Parallel()
	events := expAll(t)
	out := expExport(t, "json", "", events)
	var got []json.RawMessage
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(events) {
		t.Fatalf("%d items, want %d", len(got), len(events))
	}
	for i := range events {
		want, _ := json.Marshal(&events[i])
		if !bytes.Equal(got[i], want) {
			t.Errorf("item %d differs from the API's JSON of %s", i, events[i].Slug)
		}
	}
	var decoded []models.Event
	if err := json.Unmarshal(out, &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded[0].Slug != events[0].Slug || decoded[len(decoded)-1].Summary != events[len(events)-1].Summary {
		t.Errorf("round trip lost data")
	}
}
