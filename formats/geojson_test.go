package formats_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parley-api/parley/models"
)

func TestExportGeoJSON(t *testing.T) {
	t.Parallel()
	events := expAll(t)
	out := expExport(t, "geojson", "", events)
	fc, err := geojson.UnmarshalFeatureCollection(out)
	if err != nil {
		t.Fatal(err)
	}
	var located []*models.Event
	for i := range events {
		if l := events[i].LocationData; l != nil && l.Latitude != nil {
			located = append(located, &events[i])
		}
	}
	if len(fc.Features) != len(located) || len(located) != len(events)-2 {
		t.Fatalf("%d features for %d located events of %d", len(fc.Features), len(located), len(events))
	}
	for i, f := range fc.Features {
		e := located[i]
		pt, ok := f.Geometry.(orb.Point)
		if !ok {
			t.Fatalf("feature %d: geometry %T", i, f.Geometry)
		}
		if pt.Lon() != *e.LocationData.Longitude || pt.Lat() != *e.LocationData.Latitude {
			t.Errorf("%s: point %v, want lon %v lat %v", e.Slug, pt, *e.LocationData.Longitude, *e.LocationData.Latitude)
		}
		if f.ID != e.ID.String() || f.Properties.MustString("slug") != e.Slug || f.Properties.MustString("title") != e.Title ||
			f.Properties.MustString("date") != e.Date.EDTF || f.Properties.MustString("status") != string(e.Status) ||
			f.Properties.MustString("location") != e.LocationData.Name || f.Properties.MustString("id") != e.ID.String() {
			t.Errorf("%s: properties %v", e.Slug, f.Properties)
		}
	}
	// The raw order: [longitude, latitude]; Anchorage is west of Greenwich.
	var raw struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry struct {
				Type        string    `json:"type"`
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	first := raw.Features[0]
	if raw.Type != "FeatureCollection" || first.Type != "Feature" || first.Geometry.Type != "Point" ||
		!slices.Equal(first.Geometry.Coordinates, []float64{-149.9003, 61.2181}) {
		t.Errorf("first feature %+v", first)
	}
	if got := first.Properties["participants"]; fmt.Sprint(got) != "[Vladimir Putin Donald Trump]" {
		t.Errorf("participants %v", got)
	}
	if got := first.Properties["date_display"]; got != "August 2025" {
		t.Errorf("date_display %v", got)
	}
}
