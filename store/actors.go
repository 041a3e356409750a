package store

import (
	"context"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

var actorSpec = stored(&spec[models.Actor, *models.Actor]{
	kind:     models.KindActor,
	slug:     func(a *models.Actor) *string { return &a.Slug },
	slugBase: func(a *models.Actor) string { return a.Name },
	resolve: func(r *resolver, a, old *models.Actor) error {
		if err := r.ref(models.KindActor, "affiliation_id", a.Affiliation); err != nil {
			return err
		}
		selfAffiliated := a.Affiliation != nil && a.Affiliation.Resolved() && a.Affiliation.ID == a.ID
		if selfAffiliated {
			r.v.Add("affiliation_id", "an actor cannot be its own affiliation")
		} else if old != nil && changed(old.Affiliation, a.Affiliation) {
			if err := affiliations.checkCycle(r.tx, a.ID, a.Affiliation.ID, r.v); err != nil {
				return err
			}
		}
		return resolveActorChildren(r, a, old)
	},
	refs:           func(a *models.Actor) []*models.Ref { return append([]*models.Ref{a.Affiliation}, actorChildRefs(a)...) },
	normalize:      normalizeActor,
	insertChildren: insertActorChildren,
	loadChildren:   loadActorChildren,
	// An actor's country is its events' participant country in the roll-ups. (An actor
	// still taking part in events cannot be deleted.)
	beforeWrite: func(tx *gorm.DB, old, next *models.Actor) (func() error, error) {
		if next == nil || next.Country == old.Country {
			return func() error { return nil }, nil
		}
		if _, err := rollupsOut(tx, eventsOf(old.ID), countryRollups); err != nil {
			return nil, err
		}
		return func() error { return rollupsIn(tx, eventsOf(old.ID), countryRollups) }, nil
	},
	selfRefs: func(a *models.Actor) []*models.Ref {
		return append([]*models.Ref{a.Affiliation}, actorChildRefs(a)...)
	},
	afterCreate: actorNames.created,
	afterWrite:  actorNames.written,
})

// actorNames finds actors by name, slug and aliases.
var actorNames = named(&nameIndex[models.Actor, *models.Actor]{
	kind:  models.KindActor,
	names: func(a *models.Actor) (string, string, []string) { return a.Name, a.Slug, a.Aliases },
})

// ActorFilter selects actors for ListActors.
type ActorFilter struct {
	Kinds     []models.ActorKind
	Countries []string
	// Q finds actors by a prefix of a word of their name, aliases or slug, ignoring case
	// and diacritics (see store/names.go).
	Q      string
	Sort   string // name (default), -name, updated, -updated; relevance (the default with Q)
	Limit  int
	Cursor string
}

var actorSorts = []sortKey{
	{name: "name", column: "actors.name", kind: keyString},
	{name: "-name", column: "actors.name", desc: true, kind: keyString},
	{name: "updated", column: "actors.updated_at", kind: keyTime},
	{name: "-updated", column: "actors.updated_at", desc: true, kind: keyTime},
}

// CreateActor inserts a new actor; a missing slug is derived from the name.
func (s *Store) CreateActor(ctx context.Context, a *models.Actor) error {
	return actorSpec.create(ctx, s.db, a)
}

// GetActor loads an actor by id or slug; a missing one is a 404 naming the slugs the
// client may have meant.
func (s *Store) GetActor(ctx context.Context, ref string) (*models.Actor, error) {
	a, err := actorSpec.get(ctx, s.db, ref)
	return a, notFoundSuggesting(s.db.WithContext(ctx), models.KindActor, ref, err)
}

// findActor loads the actor a path names, without children; a missing one is a 404
// naming the slugs the client may have meant.
func findActor(db *gorm.DB, ref string) (*models.Actor, error) {
	a, err := actorSpec.find(db, ref, false)
	return a, notFoundSuggesting(db, models.KindActor, ref, err)
}

// ReplaceActor overwrites an actor (PUT); ifVersion > 0 demands that version.
func (s *Store) ReplaceActor(ctx context.Context, ref string, a *models.Actor, ifVersion int) error {
	return actorSpec.replace(ctx, s.db, ref, a, ifVersion)
}

// DeleteActor removes an actor no event, statement or actor refers to.
func (s *Store) DeleteActor(ctx context.Context, ref string, ifVersion int) error {
	return actorSpec.remove(ctx, s.db, ref, ifVersion)
}

// ListActors returns one page of actors.
func (s *Store) ListActors(ctx context.Context, f ActorFilter) (Page[models.Actor], error) {
	page, err := actorNames.list(s.db.WithContext(ctx), f.Q, listParams{f.Sort, f.Cursor, f.Limit}, actorSorts,
		func(q *gorm.DB) *gorm.DB {
			if len(f.Kinds) > 0 {
				q = q.Where("actors.kind IN ?", f.Kinds)
			}
			if len(f.Countries) > 0 {
				q = q.Where("actors.country IN ?", f.Countries)
			}
			return q
		},
		func(r models.Actor, sk sortKey) any {
			if sk.kind == keyTime {
				return r.UpdatedAt
			}
			return r.Name
		})
	if err != nil {
		return page, err
	}
	ptrs := make([]*models.Actor, len(page.Items))
	for i := range page.Items {
		ptrs[i] = &page.Items[i]
	}
	return page, dbError(loadActorChildren(s.db.WithContext(ctx), ptrs), "actors")
}

// ActorsByID loads the actors with the given ids (missing ones are left out).
func (s *Store) ActorsByID(ctx context.Context, ids []models.ID) ([]models.Actor, error) {
	var out []models.Actor
	if len(ids) == 0 {
		return out, nil
	}
	err := s.db.WithContext(ctx).Where("id IN ?", ids).Order("slug").Find(&out).Error
	return out, dbError(err, "actors")
}
