package store

import (
	"context"
	"strings"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

var sourceSpec = stored(&spec[models.Source, *models.Source]{
	kind: models.KindSource,
	slug: func(s *models.Source) *string { return &s.Slug },
	slugBase: func(s *models.Source) string {
		return strings.TrimSpace(s.Outlet + " " + s.Title)
	},
	resolve:     resolveSource,
	refs:        func(s *models.Source) []*models.Ref { return []*models.Ref{s.OutletID, s.Via} },
	selfRefs:    func(s *models.Source) []*models.Ref { return []*models.Ref{s.Via} },
	normalize:   func(s *models.Source) { s.Credit = "" },
	insertRows:  insertSourceRows,
	afterCreate: sourceNames.created,
	afterWrite:  sourceNames.written,
})

// insertSourceRows inserts new sources, first naming the outlet of those that give only
// outlet_id: an import checks a window's records before it writes the outlets among
// them, so the name is read here, once they are in, with one query for the batch.
func insertSourceRows(tx *gorm.DB, srcs []*models.Source) error {
	var ids []models.ID
	for _, s := range srcs {
		if strings.TrimSpace(s.Outlet) == "" && s.OutletID != nil && s.OutletID.Resolved() {
			ids = append(ids, s.OutletID.ID)
		}
	}
	if len(ids) > 0 {
		names, err := loadByID[models.Outlet](tx, uniq(ids))
		if err != nil {
			return err
		}
		for _, s := range srcs {
			if s.OutletID == nil || strings.TrimSpace(s.Outlet) != "" {
				continue
			}
			if o := names[s.OutletID.ID]; o != nil {
				s.Outlet = o.Name
			}
		}
	}
	return tx.Table(models.KindSource.Table).CreateInBatches(srcs, insertBatch).Error
}

// resolveSource resolves a source's outlet and the source it is known through, fills
// the outlet's name when the source gives only its id, and refuses a via that would
// close a cycle (a source known through itself, at any remove).
func resolveSource(r *resolver, s, old *models.Source) error {
	if err := r.ref(models.KindOutlet, "outlet_id", s.OutletID); err != nil {
		return err
	}
	if err := r.ref(models.KindSource, "via_id", s.Via); err != nil {
		return err
	}
	if r.mode != resolveLookup {
		return nil
	}
	if s.OutletID != nil && s.OutletID.Resolved() && strings.TrimSpace(s.Outlet) == "" {
		var names []string
		if err := r.tx.Table(models.KindOutlet.Table).Where("id = ?", s.OutletID.ID).Limit(1).Pluck("name", &names).Error; err != nil {
			return err
		}
		if len(names) == 1 {
			s.Outlet = names[0]
		}
	}
	if s.Via != nil && s.Via.Resolved() && s.Via.ID == s.ID {
		r.v.Add("via_id", "a source cannot be known through itself")
		return nil
	}
	if old != nil && changed(old.Via, s.Via) {
		return relays.checkCycle(r.tx, s.ID, s.Via.ID, r.v)
	}
	return nil
}

// sourceNames finds sources by title (the outlet when there is none), slug and outlet.
var sourceNames = named(&nameIndex[models.Source, *models.Source]{
	kind: models.KindSource,
	names: func(s *models.Source) (string, string, []string) {
		name := s.Title
		if strings.TrimSpace(name) == "" {
			name = s.Outlet
		}
		return name, s.Slug, []string{s.Outlet}
	},
})

// SourceFilter selects sources for ListSources.
type SourceFilter struct {
	Outlets []string
	Q       string // a prefix of a word of the title, outlet or slug (see ActorFilter.Q)
	Sort    string // outlet (default), -outlet, updated, -updated; relevance (the default with Q)
	Limit   int
	Cursor  string
}

var sourceSorts = []sortKey{
	{name: "outlet", column: "sources.outlet", kind: keyString},
	{name: "-outlet", column: "sources.outlet", desc: true, kind: keyString},
	{name: "updated", column: "sources.updated_at", kind: keyTime},
	{name: "-updated", column: "sources.updated_at", desc: true, kind: keyTime},
}

// CreateSource inserts a new source; a missing slug is derived from outlet and title.
func (s *Store) CreateSource(ctx context.Context, src *models.Source) error {
	return sourceSpec.create(ctx, s.db, src)
}

// GetSource loads a source by id or slug; a missing one is a 404 naming the slugs the
// client may have meant.
func (s *Store) GetSource(ctx context.Context, ref string) (*models.Source, error) {
	src, err := sourceSpec.get(ctx, s.db, ref)
	return src, notFoundSuggesting(s.db.WithContext(ctx), models.KindSource, ref, err)
}

// ReplaceSource overwrites a source (PUT).
func (s *Store) ReplaceSource(ctx context.Context, ref string, src *models.Source, ifVersion int) error {
	return sourceSpec.replace(ctx, s.db, ref, src, ifVersion)
}

// DeleteSource removes a source nothing cites.
func (s *Store) DeleteSource(ctx context.Context, ref string, ifVersion int) error {
	return sourceSpec.remove(ctx, s.db, ref, ifVersion)
}

// ListSources returns one page of sources.
func (s *Store) ListSources(ctx context.Context, f SourceFilter) (Page[models.Source], error) {
	return sourceNames.list(s.db.WithContext(ctx), f.Q, listParams{f.Sort, f.Cursor, f.Limit}, sourceSorts,
		func(q *gorm.DB) *gorm.DB {
			if len(f.Outlets) > 0 {
				q = q.Where("sources.outlet IN ?", f.Outlets)
			}
			return q
		},
		func(r models.Source, sk sortKey) any {
			if sk.kind == keyTime {
				return r.UpdatedAt
			}
			return r.Outlet
		})
}
