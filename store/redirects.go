package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// A merge leaves a redirect (migration 00016) from the loser's id and slug to the
// survivor. Three readers use them: the API answers 308 for an old URL (Redirected), the
// one reference resolver (resolve.go) and the import's look-ups land a reference to an
// old id or slug on the survivor, and an import skips a record of a merged entity rather
// than bring it back. Chains are collapsed when a redirect is written, so each read is
// one index look-up. A redirected slug stays reserved: no new entity of the kind takes it.

// redirectTo is the survivor an id or slug of kind k was merged into; ok is false when
// none was, or the survivor is gone since (deleted).
func redirectTo(tx *gorm.DB, k *models.Kind, ref models.Ref) (to models.ID, ok bool, err error) {
	if !k.Slug || (ref.ID.IsZero() && ref.Slug == "") {
		return models.ID{}, false, nil
	}
	q := tx.Table("redirects r").Joins("JOIN "+k.Table+" t ON t.id = r.to_id").Where("r.kind = ?", k.Name)
	if ref.Resolved() {
		q = q.Where("r.from_id = ?", ref.ID)
	} else {
		q = q.Where("r.from_slug = ?", ref.Slug)
	}
	var ids []models.ID
	if err := q.Limit(1).Pluck("r.to_id", &ids).Error; err != nil {
		return models.ID{}, false, err
	}
	if len(ids) == 0 {
		return models.ID{}, false, nil
	}
	return ids[0], true, nil
}

// Redirected says where an old id or slug of kind k now lives: the survivor's id and
// slug, ok false when ref names no merged entity (or the survivor is gone since).
func (s *Store) Redirected(ctx context.Context, k *models.Kind, ref string) (id models.ID, slug string, ok bool, err error) {
	r, perr := models.ParseRef(ref)
	if perr != nil {
		return models.ID{}, "", false, nil
	}
	db := s.db.WithContext(ctx)
	to, ok, err := redirectTo(db, k, r)
	if err != nil || !ok {
		return models.ID{}, "", false, dbError(err, "redirects")
	}
	var slugs []string
	if err := db.Table(k.Table).Where("id = ?", to).Limit(1).Pluck("slug", &slugs).Error; err != nil {
		return models.ID{}, "", false, dbError(err, k.Name)
	}
	if len(slugs) == 0 {
		return models.ID{}, "", false, nil
	}
	return to, slugs[0], true, nil
}

// addRedirect records that from (with its slug) of kind k is now to, since at, and
// points every redirect that led to from at to, so that chains stay one step long.
func addRedirect(tx *gorm.DB, k *models.Kind, from models.ID, slug string, to models.ID, at time.Time) error {
	if err := tx.Exec("UPDATE redirects SET to_id = ? WHERE kind = ? AND to_id = ?", to, k.Name, from).Error; err != nil {
		return err
	}
	return tx.Create(&models.Redirect{Kind: k.Name, FromID: from, FromSlug: slug, ToID: to, CreatedAt: at}).Error
}

// slugRedirected reports whether slug is an old slug of kind k, which stays reserved.
func slugRedirected(tx *gorm.DB, k *models.Kind, slug string) (bool, error) {
	var n int64
	err := tx.Table("redirects").Where("kind = ? AND from_slug = ?", k.Name, slug).Count(&n).Error
	return n > 0, err
}

// redirectsIn are the redirects of kind k from any of ids or slugs: an import window's
// look-up of the records and references it could not find.
func redirectsIn(tx *gorm.DB, k *models.Kind, ids []models.ID, slugs []string) ([]models.Redirect, error) {
	var out []models.Redirect
	if !k.Slug || (len(ids) == 0 && len(slugs) == 0) {
		return out, nil
	}
	err := whereIDsOrSlugs(tx.Where("kind = ?", k.Name), "from_id", "from_slug", ids, slugs).Find(&out).Error
	return out, err
}

// rememberRedirects puts redirects into an import window's cache, so that a reference to
// an old id or slug resolves to the survivor.
func rememberRedirects(c refCache, k *models.Kind, rs []models.Redirect) {
	for _, r := range rs {
		c[refKey(k.Table, models.Ref{ID: r.FromID})] = r.ToID
		if r.FromSlug != "" {
			c[refKey(k.Table, models.Ref{Slug: r.FromSlug})] = r.ToID
		}
	}
}

// streamRedirects hands every redirect to fn, in key order, StreamBatch at a time.
func streamRedirects(db *gorm.DB, fn func(kind string, v any) error) error {
	var after struct {
		kind string
		id   models.ID
	}
	for first := true; ; first = false {
		var rows []models.Redirect
		q := db.Order("kind, from_id").Limit(StreamBatch)
		if !first {
			q = q.Where("kind > ? OR (kind = ? AND from_id > ?)", after.kind, after.kind, after.id)
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		for i := range rows {
			if err := fn(models.RedirectRecordType, &rows[i]); err != nil {
				return err
			}
		}
		if len(rows) < StreamBatch {
			return nil
		}
		after.kind, after.id = rows[len(rows)-1].Kind, rows[len(rows)-1].FromID
	}
}

// restoreRedirect imports a redirect record: unchanged when the same one is stored,
// refused when its old id is an entity that exists, its old slug is in use or its
// target is nowhere, else stored (pointing at wherever its target itself redirects to).
func restoreRedirect(tx *gorm.DB, r *models.Redirect) (restoreOutcome, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	k, _ := models.KindNamed(r.Kind)
	var cur []models.Redirect
	if err := tx.Where("kind = ? AND from_id = ?", r.Kind, r.FromID).Limit(1).Find(&cur).Error; err != nil {
		return 0, err
	}
	if len(cur) > 0 && cur[0].ToID == r.ToID && cur[0].FromSlug == r.FromSlug {
		return restoredUnchanged, nil
	}
	var n int64
	q := tx.Table(k.Table).Where("id = ?", r.FromID)
	if r.FromSlug != "" {
		q = tx.Table(k.Table).Where("id = ? OR slug = ?", r.FromID, r.FromSlug)
	}
	if err := q.Count(&n).Error; err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, models.Errorf(models.ECONFLICT, "redirect from %s %s: an %s with that id or slug exists", r.Kind, r.FromID, r.Kind)
	}
	if to, ok, err := redirectTo(tx, k, models.Ref{ID: r.ToID}); err != nil {
		return 0, err
	} else if ok {
		r.ToID = to
	}
	if err := tx.Table(k.Table).Where("id = ?", r.ToID).Count(&n).Error; err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, &models.Error{Code: models.EUNPROCESSABLE, Message: "validation failed",
			Fields: []models.FieldError{{Field: "to_id", Message: "names no " + r.Kind + " (a bundle lists redirects after every entity)"}}}
	}
	if len(cur) > 0 {
		if err := tx.Exec("DELETE FROM redirects WHERE kind = ? AND from_id = ?", r.Kind, r.FromID).Error; err != nil {
			return 0, err
		}
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now()
	}
	if err := addRedirect(tx, k, r.FromID, r.FromSlug, r.ToID, r.CreatedAt); err != nil {
		return 0, err
	}
	if len(cur) > 0 {
		return restoredUpdated, nil
	}
	return restoredCreated, nil
}

// redirectWindow handles the redirect records of an import window, each on its own
// (they are few: one per merge).
type redirectWindow struct{}

func (redirectWindow) load(context.Context, *gorm.DB, []any) error { return nil }
func (redirectWindow) refs(*resolver, any)                         {}
func (redirectWindow) ownSlug(any) string                          { return "" }
func (redirectWindow) selfRefs(any) ([]models.Ref, *[]models.Relation) {
	return nil, nil
}
func (redirectWindow) decide(context.Context, *gorm.DB, any, models.MetaMembers) (importAction, error) {
	return actSlow, nil
}
func (redirectWindow) flush(context.Context, *gorm.DB, []any) error { return nil }
func (redirectWindow) settle()                                      {}
func (redirectWindow) drop()                                        {}
func (redirectWindow) restore(_ context.Context, tx *gorm.DB, a any, _ models.MetaMembers) (restoreOutcome, error) {
	return restoreRedirect(tx, a.(*models.Redirect))
}

// mergedRecords marks the ids and slugs among keys that are redirects of kind k, so
// that an import skips the records of merged entities (a bundle read before the merge)
// instead of bringing them back.
func mergedRecords(tx *gorm.DB, k *models.Kind, ids []models.ID, slugs []string) (map[string]bool, error) {
	rs, err := redirectsIn(tx, k, ids, slugs)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rs {
		if slices.Contains(ids, r.FromID) {
			out[r.FromID.String()] = true
		}
		if r.FromSlug != "" && slices.Contains(slugs, r.FromSlug) {
			out[r.FromSlug] = true
		}
	}
	return out, nil
}

// takenByRedirect is the 409 for a slug that a merge reserved.
func takenByRedirect(k *models.Kind, slug string) error {
	return &models.Error{Code: models.ECONFLICT, Message: fmt.Sprintf("%s slug %q is taken: it redirects to the %s it was merged into", k.Name, slug, k.Name),
		Fields: []models.FieldError{{Field: "slug", Message: "is an old slug of a merged " + k.Name}}}
}

// appendRedirectedSlugs adds to taken the old slugs of kind k derived from base (base,
// base-2, …), which freeSlug must not hand out again.
func appendRedirectedSlugs(tx *gorm.DB, k *models.Kind, base string, taken []string) ([]string, error) {
	var old []string
	err := tx.Table("redirects").Where("kind = ? AND (from_slug = ? OR from_slug LIKE ?)", k.Name, base, base+"-%").Pluck("from_slug", &old).Error
	return append(taken, old...), err
}

// wasMerged reports whether e, not found by its id (or, without one, its slug), is a
// merged entity: an import skips it.
func (sp *spec[T, P]) wasMerged(tx *gorm.DB, e P) (bool, error) {
	ref := models.Ref{ID: e.GetMeta().ID}
	if ref.ID.IsZero() {
		ref.Slug = sp.slugOf(e)
	}
	_, ok, err := redirectTo(tx, sp.kind, ref)
	return ok, err
}
