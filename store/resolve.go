package store

import (
	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// refCache holds references known to exist in a transaction, by table and id or slug:
// found, or written by the import that owns it. An import window keeps one, so that it
// resolves each actor, location, source or event once, not once per line; the importer
// forgets the entries of rows it rolls back.
type refCache map[string]models.ID

func refKey(table string, ref models.Ref) string { return table + "\x00" + ref.String() }

// remember records that table holds id under slug (which may be empty).
func (c refCache) remember(table string, id models.ID, slug string) {
	if c == nil {
		return
	}
	c[table+"\x00"+id.String()] = id
	if slug != "" {
		c[table+"\x00"+slug] = id
	}
}

// forget drops what remember recorded.
func (c refCache) forget(table string, id models.ID, slug string) {
	if c == nil {
		return
	}
	delete(c, table+"\x00"+id.String())
	if slug != "" {
		delete(c, table+"\x00"+slug)
	}
}

// has reports whether the cache knows key (see refKey).
func (c refCache) has(key string) bool {
	_, ok := c[key]
	return ok
}

// resolveMode is what a resolver does with each reference.
type resolveMode int

const (
	// resolveLookup finds each reference (in the cache, else with one query), gives it
	// its id and reports a missing one.
	resolveLookup resolveMode = iota
	// resolveCollect only hands each reference to the collector: the importer learns what
	// a window refers to, then looks it all up at once.
	resolveCollect
)

// resolver checks the references of one entity inside a transaction. Specs' resolve
// hooks call ref for each reference; the mode decides what that does.
type resolver struct {
	tx      *gorm.DB
	v       *models.Validation
	mode    resolveMode
	cache   refCache
	collect func(k *models.Kind, ref models.Ref)
}

// lookupResolver resolves references against tx, reporting missing ones into v. cache
// may be nil (a write of its own) or an import window's.
func lookupResolver(tx *gorm.DB, v *models.Validation, cache refCache) *resolver {
	if cache == nil {
		cache = refCache{}
	}
	return &resolver{tx: tx, v: v, mode: resolveLookup, cache: cache}
}

// collectingResolver hands every reference to fn and resolves nothing.
func collectingResolver(tx *gorm.DB, fn func(k *models.Kind, ref models.Ref)) *resolver {
	return &resolver{tx: tx, v: models.NewValidation(models.EUNPROCESSABLE), mode: resolveCollect, collect: fn}
}

// ref resolves a reference to an entity of kind k, reporting a missing target under
// field. An old id or slug that a merge redirected resolves to the survivor.
func (r *resolver) ref(k *models.Kind, field string, ref *models.Ref) error {
	if ref == nil || (ref.ID.IsZero() && ref.Slug == "") {
		return nil
	}
	if r.mode == resolveCollect {
		r.collect(k, *ref)
		return nil
	}
	key := refKey(k.Table, *ref)
	if id, ok := r.cache[key]; ok {
		ref.ID = id
		return nil
	}
	var ids []models.ID
	q := r.tx.Table(k.Table)
	if ref.Resolved() {
		q = q.Where("id = ?", ref.ID)
	} else {
		q = q.Where("slug = ?", ref.Slug)
	}
	if err := q.Limit(1).Pluck("id", &ids).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		// An old id or slug of a merged entity names its survivor.
		to, ok, err := redirectTo(r.tx, k, *ref)
		if err != nil {
			return err
		}
		if !ok {
			r.v.Add(field, "no %s with id or slug %q", k.Name, ref.String())
			return nil
		}
		ids = []models.ID{to}
	}
	ref.ID = ids[0]
	r.cache[key] = ids[0]
	return nil
}

// whereIDsOrSlugs narrows q to the rows whose idCol is one of ids or whose slugCol is
// one of slugs, with one IN list for each that is given (neither matches nothing).
func whereIDsOrSlugs(q *gorm.DB, idCol, slugCol string, ids []models.ID, slugs []string) *gorm.DB {
	switch {
	case len(ids) > 0 && len(slugs) > 0:
		return q.Where(idCol+" IN ? OR "+slugCol+" IN ?", ids, slugs)
	case len(ids) > 0:
		return q.Where(idCol+" IN ?", ids)
	case len(slugs) > 0:
		return q.Where(slugCol+" IN ?", slugs)
	}
	return q.Where("1 = 0")
}
