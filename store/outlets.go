package store

import (
	"context"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

var outletSpec = stored(&spec[models.Outlet, *models.Outlet]{
	kind:        models.KindOutlet,
	slug:        func(o *models.Outlet) *string { return &o.Slug },
	slugBase:    func(o *models.Outlet) string { return o.Name },
	afterCreate: outletNames.created,
	afterWrite:  outletNames.written,
})

// outletNames finds outlets by name, slug and aliases.
var outletNames = named(&nameIndex[models.Outlet, *models.Outlet]{
	kind:  models.KindOutlet,
	names: func(o *models.Outlet) (string, string, []string) { return o.Name, o.Slug, o.Aliases },
})

// OutletFilter selects outlets for ListOutlets.
type OutletFilter struct {
	Countries []string
	Q         string // a prefix of a word of the name, an alias or the slug (see ActorFilter.Q)
	Sort      string // name (default), -name, updated, -updated; relevance (the default with Q)
	Limit     int
	Cursor    string
}

var outletSorts = []sortKey{
	{name: "name", column: "outlets.name", kind: keyString},
	{name: "-name", column: "outlets.name", desc: true, kind: keyString},
	{name: "updated", column: "outlets.updated_at", kind: keyTime},
	{name: "-updated", column: "outlets.updated_at", desc: true, kind: keyTime},
}

// CreateOutlet inserts a new outlet; a missing slug is derived from the name.
func (s *Store) CreateOutlet(ctx context.Context, o *models.Outlet) error {
	return outletSpec.create(ctx, s.db, o)
}

// GetOutlet loads an outlet by id or slug; a missing one is a 404 naming the slugs the
// client may have meant.
func (s *Store) GetOutlet(ctx context.Context, ref string) (*models.Outlet, error) {
	o, err := outletSpec.get(ctx, s.db, ref)
	return o, notFoundSuggesting(s.db.WithContext(ctx), models.KindOutlet, ref, err)
}

// ReplaceOutlet overwrites an outlet (PUT).
func (s *Store) ReplaceOutlet(ctx context.Context, ref string, o *models.Outlet, ifVersion int) error {
	return outletSpec.replace(ctx, s.db, ref, o, ifVersion)
}

// DeleteOutlet removes an outlet no source names.
func (s *Store) DeleteOutlet(ctx context.Context, ref string, ifVersion int) error {
	return outletSpec.remove(ctx, s.db, ref, ifVersion)
}

// ListOutlets returns one page of outlets.
func (s *Store) ListOutlets(ctx context.Context, f OutletFilter) (Page[models.Outlet], error) {
	return outletNames.list(s.db.WithContext(ctx), f.Q, listParams{f.Sort, f.Cursor, f.Limit}, outletSorts,
		func(q *gorm.DB) *gorm.DB {
			if len(f.Countries) > 0 {
				q = q.Where("outlets.country IN ?", f.Countries)
			}
			return q
		},
		func(r models.Outlet, sk sortKey) any {
			if sk.kind == keyTime {
				return r.UpdatedAt
			}
			return r.Name
		})
}

// embedVias completes sources loaded by id with the sources they are known through,
// reading those not loaded yet a level at a time (at most models.MaxViaChain levels),
// and sets each one's ViaData and Credit: "NBC News, via Meduza".
func embedVias(byID map[models.ID]*models.Source, load func([]models.ID) (map[models.ID]*models.Source, error)) error {
	all := make(map[models.ID]*models.Source, len(byID))
	for id, s := range byID {
		all[id] = s
	}
	for level := 0; level < models.MaxViaChain; level++ {
		var missing []models.ID
		for _, s := range all {
			if s.Via != nil && all[s.Via.ID] == nil {
				missing = append(missing, s.Via.ID)
			}
		}
		if len(missing) == 0 {
			break
		}
		got, err := load(missing)
		if err != nil {
			return err
		}
		if len(got) == 0 {
			break
		}
		for id, s := range got {
			all[id] = s
		}
	}
	// Copies, so that a cache shared by a stream keeps its rows as stored.
	copies := make(map[models.ID]*models.Source, len(all))
	for id, s := range all {
		c := *s
		copies[id] = &c
	}
	for _, c := range copies {
		c.ViaData = nil
		if c.Via != nil {
			c.ViaData = copies[c.Via.ID]
		}
	}
	for id, c := range copies {
		c.Credit = models.Credit(c)
		if _, ok := byID[id]; ok {
			byID[id] = c
		}
	}
	return nil
}
