package formats

import (
	"io"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/parley-api/parley/models"
)

// exportGeoJSON writes a FeatureCollection of the located events.
type exportGeoJSON struct{ exportBase }

func (x *exportGeoJSON) Begin(w io.Writer) error {
	if err := x.begin(w); err != nil {
		return err
	}
	_, err := x.w.WriteString(`{"type":"FeatureCollection","features":[`)
	return err
}

func (x *exportGeoJSON) Event(e *models.Event) error {
	if err := x.check(e); err != nil {
		return err
	}
	l := e.LocationData
	if l == nil || l.Latitude == nil || l.Longitude == nil {
		return nil // not on the map
	}
	f := geojson.NewFeature(orb.Point{*l.Longitude, *l.Latitude}) // GeoJSON is [lon, lat]
	f.ID = exportID(e.ID)
	names := []string{}
	var seen []string
	for _, p := range e.Participants {
		id := exportActorID(p)
		if slices.Contains(seen, id) {
			continue
		}
		seen = append(seen, id)
		names = append(names, exportParticipantName(p))
	}
	start, end := exportBounds(e.Date)
	f.Properties = geojson.Properties{
		"id":               exportID(e.ID),
		"slug":             e.Slug,
		"title":            e.Title,
		"type":             string(e.Type),
		"status":           string(e.Status),
		"date":             e.Date.EDTF,
		"date_display":     DisplayDate(e.Date),
		"date_start":       start,
		"date_end":         end,
		"location":         l.Name,
		"location_country": l.Country,
		"participants":     names,
	}
	// The feature's own MarshalJSON, not json.Marshal, which would re-validate its output.
	data, err := f.MarshalJSON()
	if err != nil {
		return err
	}
	return x.itemJSON(data)
}

func (x *exportGeoJSON) End() error { return x.end(x.closeArray("]}\n")) }
