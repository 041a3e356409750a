package store

import (
	"context"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

var locationSpec = stored(&spec[models.Location, *models.Location]{
	kind:        models.KindLocation,
	slug:        func(l *models.Location) *string { return &l.Slug },
	slugBase:    func(l *models.Location) string { return l.Name },
	afterCreate: locationNames.created,
	afterWrite:  locationNames.written,
})

// locationNames finds locations by name and slug.
var locationNames = named(&nameIndex[models.Location, *models.Location]{
	kind:  models.KindLocation,
	names: func(l *models.Location) (string, string, []string) { return l.Name, l.Slug, nil },
})

// LocationFilter selects locations for ListLocations.
type LocationFilter struct {
	Countries []string
	Q         string // a prefix of a word of the name or slug (see ActorFilter.Q)
	Sort      string // name (default), -name, updated, -updated; relevance (the default with Q)
	Limit     int
	Cursor    string
}

var locationSorts = []sortKey{
	{name: "name", column: "locations.name", kind: keyString},
	{name: "-name", column: "locations.name", desc: true, kind: keyString},
	{name: "updated", column: "locations.updated_at", kind: keyTime},
	{name: "-updated", column: "locations.updated_at", desc: true, kind: keyTime},
}

// CreateLocation inserts a new location; a missing slug is derived from the name.
func (s *Store) CreateLocation(ctx context.Context, l *models.Location) error {
	return locationSpec.create(ctx, s.db, l)
}

// GetLocation loads a location by id or slug; a missing one is a 404 naming the slugs
// the client may have meant.
func (s *Store) GetLocation(ctx context.Context, ref string) (*models.Location, error) {
	l, err := locationSpec.get(ctx, s.db, ref)
	return l, notFoundSuggesting(s.db.WithContext(ctx), models.KindLocation, ref, err)
}

// ReplaceLocation overwrites a location (PUT).
func (s *Store) ReplaceLocation(ctx context.Context, ref string, l *models.Location, ifVersion int) error {
	return locationSpec.replace(ctx, s.db, ref, l, ifVersion)
}

// DeleteLocation removes a location no event refers to.
func (s *Store) DeleteLocation(ctx context.Context, ref string, ifVersion int) error {
	return locationSpec.remove(ctx, s.db, ref, ifVersion)
}

// ListLocations returns one page of locations.
func (s *Store) ListLocations(ctx context.Context, f LocationFilter) (Page[models.Location], error) {
	return locationNames.list(s.db.WithContext(ctx), f.Q, listParams{f.Sort, f.Cursor, f.Limit}, locationSorts,
		func(q *gorm.DB) *gorm.DB {
			if len(f.Countries) > 0 {
				q = q.Where("locations.country IN ?", f.Countries)
			}
			return q
		},
		func(r models.Location, sk sortKey) any {
			if sk.kind == keyTime {
				return r.UpdatedAt
			}
			return r.Name
		})
}
