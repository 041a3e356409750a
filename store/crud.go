package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type authorKey struct{}

// WithAuthor records who makes the changes done with ctx; revisions name them.
func WithAuthor(ctx context.Context, author string) context.Context {
	return context.WithValue(ctx, authorKey{}, author)
}

func authorOf(ctx context.Context) string {
	if a, ok := ctx.Value(authorKey{}).(string); ok && a != "" {
		return a
	}
	return "anonymous"
}

// spec is how the store keeps one kind of entity: the kind (its table, child tables and
// names, from models.Kinds) and the hooks for its references and child rows. Everything
// here is code, never request input. Each spec registers itself with stored.
type spec[T any, P interface {
	*T
	models.Entity
}] struct {
	kind *models.Kind
	// slug returns the slug field, nil for entities without one.
	slug func(P) *string
	// slugBase is the text a missing slug is derived from.
	slugBase func(P) string
	// resolve hands each reference of e to r (which resolves it, or only collects it for
	// an import window) and adds e's checks that need resolved ids to r.v. old is the
	// stored state on an update and nil on a create, so that checks which only a change
	// can break (a parent cycle) run only then.
	resolve func(r *resolver, e, old P) error
	// refs lists every reference of e, so that an import can take back the ids it
	// resolved slugs to.
	refs func(e P) []*models.Ref
	// selfRefs are e's references to other entities of its kind (kind.SelfRef and
	// kind.ChildSelfRefs), which an import lets wait for a later line; nil if none.
	selfRefs func(e P) []*models.Ref
	// relations is e's list of relations to others of its kind, which a bundle carries
	// as records of their own after every entity of the kind; nil when it has none.
	relations func(e P) *[]models.Relation
	// insertRows inserts new main rows; nil inserts the entities as they are.
	insertRows func(tx *gorm.DB, es []P) error
	// normalize puts e's lists in the form they are stored in (sorted tags, empty
	// rather than missing lists), so that comparing with a stored entity is fair; every
	// write applies it first.
	normalize func(e P)
	// insertChildren writes the child rows of normalised entities.
	insertChildren func(tx *gorm.DB, es []P) error
	// loadChildren fills the child rows of a page of entities.
	loadChildren func(tx *gorm.DB, es []P) error
	// afterCreate keeps derived data in step once new entities are inserted.
	afterCreate func(tx *gorm.DB, es []P) error
	// afterWrite runs last in an update (old and cur) or a delete (cur nil), to keep
	// derived data such as search text in step.
	afterWrite func(tx *gorm.DB, old, cur P) error
	// beforeWrite runs first in an update (old, with its children, and next) or a delete
	// (next nil), while the stored rows are still old's, for derived data that must take
	// out what old contributed (the roll-ups); the function it returns runs last.
	beforeWrite func(tx *gorm.DB, old, next P) (after func() error, err error)
}

func (sp *spec[T, P]) hasSlug() bool { return sp.slug != nil }

// find loads one entity by id or slug, without children.
func (sp *spec[T, P]) find(tx *gorm.DB, ref string, lock bool) (P, error) {
	q := tx.Table(sp.kind.Table)
	if lock && tx.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if id, err := models.ParseID(ref); err == nil {
		q = q.Where("id = ?", id)
	} else if sp.hasSlug() && models.ValidateSlug(ref) == nil {
		q = q.Where("slug = ?", ref)
	} else {
		return nil, models.NotFound(sp.kind.Name, ref)
	}
	var out T
	err := q.Take(&out).Error
	if err == gorm.ErrRecordNotFound {
		return nil, models.NotFound(sp.kind.Name, ref)
	}
	if err != nil {
		return nil, dbError(err, sp.kind.Name)
	}
	return &out, nil
}

// get loads one entity with its children.
func (sp *spec[T, P]) get(ctx context.Context, db *gorm.DB, ref string) (P, error) {
	e, err := sp.find(db.WithContext(ctx), ref, false)
	if err != nil {
		return nil, err
	}
	if sp.loadChildren != nil {
		if err := sp.loadChildren(db.WithContext(ctx), []P{e}); err != nil {
			return nil, dbError(err, sp.kind.Name)
		}
	}
	return e, nil
}

// prepare fills a missing slug, then checks e and that its slug is free; any problem is
// a 422 or 409. old is the stored state on an update, nil on a create.
func (sp *spec[T, P]) prepare(tx *gorm.DB, cache refCache, e, old P) error {
	derived := false
	if sp.hasSlug() {
		slug := sp.slug(e)
		if *slug == "" {
			if tx.Dialector.Name() == "postgres" {
				// Serialise slug derivation per table, so that two concurrent creates of
				// "Witkoff" get "witkoff" and "witkoff-2" rather than a conflict.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", sp.kind.Table+".slug").Error; err != nil {
					return dbError(err, sp.kind.Name)
				}
			}
			s, err := sp.freeSlug(tx, sp.slugBase(e), e.GetMeta().ID)
			if err != nil {
				return err
			}
			*slug, derived = s, true
		}
	}
	if err := sp.check(tx, cache, e, old); err != nil {
		return err
	}
	// A derived slug was just found free; a kept one was already unique.
	if sp.hasSlug() && !derived && (old == nil || *sp.slug(old) != *sp.slug(e)) {
		var n int64
		if err := tx.Table(sp.kind.Table).Where("slug = ? AND id <> ?", *sp.slug(e), e.GetMeta().ID).Count(&n).Error; err != nil {
			return dbError(err, sp.kind.Name)
		}
		if n > 0 {
			return &models.Error{Code: models.ECONFLICT, Message: fmt.Sprintf("%s slug %q is taken", sp.kind.Name, *sp.slug(e)),
				Fields: []models.FieldError{{Field: "slug", Message: "is already used by another " + sp.kind.Name}}}
		}
		if taken, err := slugRedirected(tx, sp.kind, *sp.slug(e)); err != nil {
			return dbError(err, sp.kind.Name)
		} else if taken {
			return takenByRedirect(sp.kind, *sp.slug(e))
		}
	}
	return nil
}

// check validates e and resolves its references (a 422 listing every problem), with
// the references cache knows (nil: none).
func (sp *spec[T, P]) check(tx *gorm.DB, cache refCache, e, old P) error {
	v := models.NewValidation(models.EUNPROCESSABLE)
	if err := e.Validate(); err != nil {
		v.Merge("", err)
	}
	if sp.resolve != nil {
		if err := sp.resolve(lookupResolver(tx, v, cache), e, old); err != nil {
			return dbError(err, sp.kind.Name)
		}
	}
	return v.Err()
}

// freeSlug derives a slug from base that no other row uses: base, base-2, base-3, …
func (sp *spec[T, P]) freeSlug(tx *gorm.DB, base string, self models.ID) (string, error) {
	base = models.Slugify(base)
	if base == "" {
		base = sp.kind.Name
	}
	var taken []string
	err := tx.Table(sp.kind.Table).Where("(slug = ? OR slug LIKE ?) AND id <> ?", base, base+"-%", self).
		Pluck("slug", &taken).Error
	if err != nil {
		return "", dbError(err, sp.kind.Name)
	}
	if taken, err = appendRedirectedSlugs(tx, sp.kind, base, taken); err != nil {
		return "", dbError(err, sp.kind.Name)
	}
	used := map[string]bool{}
	for _, t := range taken {
		used[t] = true
	}
	if !used[base] {
		return base, nil
	}
	for i := 2; ; i++ {
		if s := fmt.Sprintf("%s-%d", base, i); !used[s] {
			return s, nil
		}
	}
}

// create inserts e (version 1) with its children and a revision, all in one transaction.
func (sp *spec[T, P]) create(ctx context.Context, db *gorm.DB, e P) error {
	m := e.GetMeta()
	if m.ID.IsZero() {
		m.ID = models.NewID()
	}
	t := now()
	m.Version, m.CreatedAt, m.UpdatedAt = 1, t, t
	derive := sp.hasSlug() && *sp.slug(e) == ""
	return dbError(transact(ctx, db, func(tx *gorm.DB) error {
		if derive {
			// A retry derives the slug again: the one found free before may be taken now.
			*sp.slug(e) = ""
		}
		var n int64
		if err := tx.Table(sp.kind.Table).Where("id = ?", m.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &models.Error{Code: models.ECONFLICT, Message: fmt.Sprintf("%s %s already exists", sp.kind.Name, m.ID),
				Fields: []models.FieldError{{Field: "id", Message: "is already used"}}}
		}
		if err := sp.prepare(tx, nil, e, nil); err != nil {
			return err
		}
		return sp.insertNew(ctx, tx, []P{e})
	}), sp.kind.Name)
}

// insertBatch is how many rows one INSERT carries: few round trips, and far below
// PostgreSQL's 65,535 parameters even for the widest table.
const insertBatch = 500

// insertNew inserts prepared new entities with their child rows, derived data and
// create revisions, in a fixed number of statements per insertBatch entities.
func (sp *spec[T, P]) insertNew(ctx context.Context, tx *gorm.DB, es []P) error {
	if len(es) == 0 {
		return nil
	}
	if sp.normalize != nil {
		for _, e := range es {
			sp.normalize(e)
		}
	}
	var err error
	if sp.insertRows != nil {
		err = sp.insertRows(tx, es)
	} else {
		err = tx.Table(sp.kind.Table).CreateInBatches(es, insertBatch).Error
	}
	if err != nil {
		return err
	}
	if sp.insertChildren != nil {
		if err := sp.insertChildren(tx, es); err != nil {
			return err
		}
	}
	if sp.afterCreate != nil {
		if err := sp.afterCreate(tx, es); err != nil {
			return err
		}
	}
	return writeRevisions(ctx, tx, sp.kind.Name, models.ActionCreate, es)
}

// writeRevisions stores a revision of each entity, with their whole state, in
// multi-row INSERTs.
func writeRevisions[P models.Entity](ctx context.Context, tx *gorm.DB, kind string, action models.Action, es []P) error {
	if len(es) == 0 {
		return nil
	}
	revs := make([]models.Revision, len(es))
	for i, e := range es {
		r, err := newRevision(ctx, kind, e.GetMeta(), action, e)
		if err != nil {
			return err
		}
		revs[i] = r
	}
	return tx.CreateInBatches(revs, insertBatch).Error
}

// update overwrites the stored row of e (whose meta is already set) and its child rows,
// then writes derived data and the revision.
func (sp *spec[T, P]) update(ctx context.Context, tx *gorm.DB, old, e P) error {
	if sp.normalize != nil {
		sp.normalize(e)
	}
	m := e.GetMeta()
	after, err := sp.before(tx, old, e)
	if err != nil {
		return err
	}
	if err := tx.Table(sp.kind.Table).Select("*").Where("id = ?", m.ID).Updates(e).Error; err != nil {
		return err
	}
	for _, t := range childTables(sp.kind) {
		if err := tx.Exec("DELETE FROM "+t+" WHERE "+sp.kind.ChildKey+" = ?", m.ID).Error; err != nil {
			return err
		}
	}
	if sp.insertChildren != nil {
		if err := sp.insertChildren(tx, []P{e}); err != nil {
			return err
		}
	}
	if sp.afterWrite != nil {
		if err := sp.afterWrite(tx, old, e); err != nil {
			return err
		}
	}
	if err := after(); err != nil {
		return err
	}
	return writeRevision(ctx, tx, sp.kind.Name, m, models.ActionUpdate, e)
}

// before runs the beforeWrite hook, if any, and returns what must run after the write.
func (sp *spec[T, P]) before(tx *gorm.DB, old, next P) (func() error, error) {
	if sp.beforeWrite == nil {
		return func() error { return nil }, nil
	}
	return sp.beforeWrite(tx, old, next)
}

// replace overwrites the entity addressed by ref with e (PUT semantics). When
// ifVersion > 0 the stored version must equal it, else EPRECONDITION. When e, checked
// and normalised, equals what is stored, nothing is written: e gets the stored meta, so
// the version (and the ETag) stay, and no revision records a change that did not happen.
func (sp *spec[T, P]) replace(ctx context.Context, db *gorm.DB, ref string, e P, ifVersion int) error {
	return dbError(transact(ctx, db, func(tx *gorm.DB) error {
		cur, err := sp.find(tx, ref, true)
		if err != nil {
			return err
		}
		cm := cur.GetMeta()
		if ifVersion > 0 && cm.Version != ifVersion {
			return models.Errorf(models.EPRECONDITION, "%s %s is at version %d, not %d: read it again", sp.kind.Name, cm.ID, cm.Version, ifVersion)
		}
		m := e.GetMeta()
		if !m.ID.IsZero() && m.ID != cm.ID {
			return &models.Error{Code: models.EUNPROCESSABLE, Message: "validation failed",
				Fields: []models.FieldError{{Field: "id", Message: "does not match the " + sp.kind.Name + " addressed"}}}
		}
		m.ID, m.CreatedAt, m.Version, m.UpdatedAt = cm.ID, cm.CreatedAt, cm.Version+1, now()
		if sp.hasSlug() && *sp.slug(e) == "" {
			*sp.slug(e) = *sp.slug(cur)
		}
		if err := sp.prepare(tx, nil, e, cur); err != nil {
			return err
		}
		same, err := sp.unchanged(tx, cur, e)
		if err != nil || same {
			return err
		}
		return sp.update(ctx, tx, cur, e)
	}), sp.kind.Name)
}

// unchanged reports whether the prepared e equals the stored cur, children included;
// if so e takes cur's meta. It compares the JSON the API would answer with, the same
// test an import uses to count a record as unchanged.
func (sp *spec[T, P]) unchanged(tx *gorm.DB, cur, e P) (bool, error) {
	if sp.loadChildren != nil {
		if err := sp.loadChildren(tx, []P{cur}); err != nil {
			return false, err
		}
	}
	if sp.normalize != nil {
		sp.normalize(e)
	}
	m := e.GetMeta()
	next := *m
	*m = *cur.GetMeta()
	same, err := sameJSON(cur, e)
	if err != nil || !same {
		*m = next
	}
	return same, err
}

// remove deletes the entity addressed by ref. Rows that still refer to it make it a
// conflict that names them (referencedError, read once the transaction is rolled back);
// its own child rows go with it.
func (sp *spec[T, P]) remove(ctx context.Context, db *gorm.DB, ref string, ifVersion int) error {
	var refused P
	err := transact(ctx, db, func(tx *gorm.DB) error {
		cur, err := sp.find(tx, ref, true)
		if err != nil {
			return err
		}
		m := cur.GetMeta()
		if ifVersion > 0 && m.Version != ifVersion {
			return models.Errorf(models.EPRECONDITION, "%s %s is at version %d, not %d: read it again", sp.kind.Name, m.ID, m.Version, ifVersion)
		}
		if sp.loadChildren != nil {
			if err := sp.loadChildren(tx, []P{cur}); err != nil {
				return err
			}
		}
		after, err := sp.before(tx, cur, nil)
		if err != nil {
			return err
		}
		res := tx.Exec("DELETE FROM "+sp.kind.Table+" WHERE id = ?", m.ID)
		if res.Error != nil {
			if models.ErrorCodeOf(dbError(res.Error, sp.kind.Name)) == models.ECONFLICT {
				refused = cur
				return errStillReferenced
			}
			return res.Error
		}
		if sp.afterWrite != nil {
			if err := sp.afterWrite(tx, cur, nil); err != nil {
				return err
			}
		}
		if err := after(); err != nil {
			return err
		}
		m.Version++
		m.UpdatedAt = now()
		return writeRevision(ctx, tx, sp.kind.Name, m, models.ActionDelete, cur)
	})
	if errors.Is(err, errStillReferenced) {
		label := refused.GetMeta().ID.String()
		if sp.hasSlug() && *sp.slug(refused) != "" {
			label = *sp.slug(refused)
		}
		return referencedError(ctx, db, sp.kind, refused.GetMeta().ID, label)
	}
	return dbError(err, sp.kind.Name)
}

// writeRevision stores the entity's whole state after the change (before, for a delete).
func writeRevision(ctx context.Context, tx *gorm.DB, kind string, m *models.Meta, action models.Action, state any) error {
	r, err := newRevision(ctx, kind, m, action, state)
	if err != nil {
		return err
	}
	return tx.Create(&r).Error
}

func newRevision(ctx context.Context, kind string, m *models.Meta, action models.Action, state any) (models.Revision, error) {
	data, err := json.Marshal(state)
	return models.Revision{
		ID: models.NewID(), EntityType: kind, EntityID: m.ID, Version: m.Version,
		Action: action, Author: authorOf(ctx), CreatedAt: m.UpdatedAt, Data: data,
	}, err
}
