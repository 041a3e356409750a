package store

import (
	"context"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// importAction is what the importer does with one record of a window.
type importAction int

const (
	// actNew: checked and new; it is inserted with the window's other new records.
	actNew importAction = iota
	// actUnchanged: equal to what is stored; nothing to write.
	actUnchanged
	// actSlow: imported on its own (an update, or a record the window cannot judge).
	actSlow
)

// windowKind is how one window of an import handles the records of one type.
type windowKind interface {
	// load reads the stored rows the window's records of this type name.
	load(ctx context.Context, tx *gorm.DB, es []any) error
	// refs hands e's references to r (a collecting resolver).
	refs(r *resolver, e any)
	// ownSlug is e's slug, "" when it has none.
	ownSlug(e any) string
	// selfRefs are the references e makes into its own kind's table (a relation: both
	// its events), which a later line may bring: hard ones it needs in before it, and
	// relations, which may follow it.
	selfRefs(e any) (hard []models.Ref, rels *[]models.Relation)
	// decide checks e, in line order; an error is the line's rejection (or fatal).
	// stated is what e's record states of its meta.
	decide(ctx context.Context, tx *gorm.DB, e any, stated models.MetaMembers) (importAction, error)
	// flush inserts new records decide accepted.
	flush(ctx context.Context, tx *gorm.DB, es []any) error
	// settle records that the flushed records are now stored.
	settle()
	// drop forgets the records of a flush that was rolled back, and takes back what
	// decide filled in (an id, timestamps), so that importing them on their own starts
	// from the record as read.
	drop()
	// restore imports e on its own.
	restore(ctx context.Context, tx *gorm.DB, e any, stated models.MetaMembers) (restoreOutcome, error)
}

// newWindowKind handles the records of type kind (a kind's name, or a relation) in a
// window whose reference cache is cache; nil for an unknown type.
func newWindowKind(kind string, cache refCache) windowKind {
	if kind == models.RedirectRecordType {
		return redirectWindow{}
	}
	if kind == models.RelationRecordType {
		return &relationWindow{cache: cache, stored: map[relationKey]bool{}, pending: map[relationKey]bool{}, written: map[relationKey]bool{}}
	}
	if k, ok := models.KindNamed(kind); ok {
		return storeOf(k).newWindow(cache)
	}
	return nil
}

// importOrder is the order in which new rows of one window are inserted: each type
// refers only to the ones before it (or to itself); relations come last.
func importOrder() []string { return append(models.KindNames(), models.ExtraRecordTypes...) }

func (sp *spec[T, P]) entityKind() *models.Kind { return sp.kind }

func (sp *spec[T, P]) newWindow(cache refCache) windowKind {
	return &specWindow[T, P]{sp: sp, cache: cache, stored: map[string]P{}, pending: map[string]P{}, written: map[string]bool{}}
}

// specWindow handles the entities of one spec in a window. Keys are ids and slugs as
// strings, which never collide: a slug is never UUID-shaped.
type specWindow[T any, P interface {
	*T
	models.Entity
}] struct {
	sp    *spec[T, P]
	cache refCache
	// stored holds the rows as stored, by key: loaded, or inserted by a flush.
	stored map[string]P
	// pending holds new entities waiting for the flush, by key.
	pending map[string]P
	// written marks keys the line-by-line path wrote: stored is stale for them.
	written map[string]bool
	// undo puts back the pending entities as their records gave them.
	undo []func()
	// merged marks the ids and slugs of the window's records that a merge redirected:
	// such a record is skipped, not brought back.
	merged map[string]bool
}

// keys are the id and slug e is found by.
func (w *specWindow[T, P]) keys(e P) []string {
	var ks []string
	if id := e.GetMeta().ID; !id.IsZero() {
		ks = append(ks, id.String())
	}
	if s := w.sp.slugOf(e); s != "" {
		ks = append(ks, s)
	}
	return ks
}

func (w *specWindow[T, P]) load(ctx context.Context, tx *gorm.DB, es []any) error {
	var ids []models.ID
	var slugs []string
	for _, a := range es {
		e := a.(P)
		if id := e.GetMeta().ID; !id.IsZero() {
			ids = append(ids, id)
		}
		if s := w.sp.slugOf(e); s != "" {
			slugs = append(slugs, s)
		}
	}
	var rows []P
	if len(ids) == 0 && len(slugs) == 0 {
		return nil
	}
	if err := whereIDsOrSlugs(tx.Table(w.sp.kind.Table), "id", "slug", ids, slugs).Find(&rows).Error; err != nil {
		return err
	}
	merged, err := mergedRecords(tx, w.sp.kind, ids, slugs)
	if err != nil {
		return err
	}
	w.merged = merged
	if w.sp.loadChildren != nil {
		if err := w.sp.loadChildren(tx, rows); err != nil {
			return err
		}
	}
	for _, r := range rows {
		for _, k := range w.keys(r) {
			w.stored[k] = r
		}
		w.cache.remember(w.sp.kind.Table, r.GetMeta().ID, w.sp.slugOf(r))
	}
	return nil
}

func (w *specWindow[T, P]) refs(r *resolver, a any) {
	if w.sp.resolve != nil {
		_ = w.sp.resolve(r, a.(P), nil)
	}
}

func (w *specWindow[T, P]) ownSlug(a any) string { return w.sp.slugOf(a.(P)) }

func (w *specWindow[T, P]) selfRefs(a any) (hard []models.Ref, rels *[]models.Relation) {
	e := a.(P)
	if w.sp.selfRefs != nil {
		for _, r := range w.sp.selfRefs(e) {
			if r != nil {
				hard = append(hard, *r)
			}
		}
	}
	if w.sp.relations != nil {
		rels = w.sp.relations(e)
	}
	return hard, rels
}

func (w *specWindow[T, P]) decide(ctx context.Context, tx *gorm.DB, a any, stated models.MetaMembers) (importAction, error) {
	sp, e := w.sp, a.(P)
	m, slug := e.GetMeta(), sp.slugOf(e)
	var cur P
	for _, k := range w.keys(e) {
		if w.written[k] {
			return actSlow, nil
		}
	}
	switch {
	case !m.ID.IsZero():
		cur = w.found(m.ID.String())
		if cur == nil && slug != "" && w.found(slug) != nil {
			return actSlow, nil // a new id with a taken slug: the line path says why
		}
	case slug != "":
		cur = w.found(slug)
	}
	if cur == nil && (w.merged[m.ID.String()] || (m.ID.IsZero() && w.merged[slug])) {
		return actUnchanged, nil // a merged entity: its references land on the survivor
	}
	if cur == nil && sp.hasSlug() && slug == "" {
		return actSlow, nil // the line path derives a free slug
	}
	undo := sp.snapshot(e)
	if cur == nil {
		fillNewMeta(m, stated)
		if err := sp.check(tx, w.cache, e, nil); err != nil {
			undo()
			return actNew, err
		}
		for _, k := range w.keys(e) {
			w.pending[k] = e
		}
		w.undo = append(w.undo, func() {
			undo()
			sp.unresolve(e)
		})
		w.cache.remember(sp.kind.Table, m.ID, slug)
		return actNew, nil
	}
	same, err := sp.merge(tx, w.cache, cur, e, stated)
	if err != nil {
		return actUnchanged, err
	}
	if same {
		return actUnchanged, nil
	}
	// The line path resolves the record afresh: references given as slugs must not keep
	// the ids this window resolved them to (a concurrent import may have stored those
	// slugs under other ids since).
	undo()
	sp.unresolve(e)
	return actSlow, nil
}

// unresolve forgets the ids that references given as slugs were resolved to, which a
// rolled-back batch may have taken with it.
func (sp *spec[T, P]) unresolve(e P) {
	if sp.refs == nil {
		return
	}
	for _, r := range sp.refs(e) {
		if r != nil && r.Slug != "" {
			r.ID = models.ID{}
		}
	}
}

// found is the entity stored or about to be under key.
func (w *specWindow[T, P]) found(key string) P {
	if e := w.pending[key]; e != nil {
		return e
	}
	return w.stored[key]
}

func (w *specWindow[T, P]) flush(ctx context.Context, tx *gorm.DB, es []any) error {
	ps := make([]P, len(es))
	for i, a := range es {
		ps[i] = a.(P)
	}
	return w.sp.insertNew(ctx, tx, ps)
}

func (w *specWindow[T, P]) settle() {
	for k, e := range w.pending {
		w.stored[k] = e
	}
	clear(w.pending)
	w.undo = nil
}

func (w *specWindow[T, P]) drop() {
	for _, e := range w.pending {
		w.cache.forget(w.sp.kind.Table, e.GetMeta().ID, w.sp.slugOf(e))
	}
	clear(w.pending)
	// Without this, a slug-only record keeps the id decide gave it, and on its own it
	// would be looked up by that id, found nowhere, and refused for its slug, which a
	// concurrent import of the same records had just taken.
	for _, undo := range w.undo {
		undo()
	}
	w.undo = nil
}

func (w *specWindow[T, P]) restore(ctx context.Context, tx *gorm.DB, a any, stated models.MetaMembers) (restoreOutcome, error) {
	e := a.(P)
	o, err := w.sp.restore(ctx, tx, w.cache, e, stated)
	// restore only fills in keys (an id, a slug), so the keys after it cover those before.
	for _, k := range w.keys(e) {
		w.written[k] = true
	}
	return o, err
}

// relationKey identifies a relation between two events.
type relationKey struct {
	event, related models.ID
	typ            models.RelationType
}

// relationWindow handles the relation records of a window.
type relationWindow struct {
	cache                    refCache
	stored, pending, written map[relationKey]bool
}

func keyOf(r *models.RelationRecord) relationKey {
	return relationKey{r.EventID, r.RelatedID, r.Type}
}

func (w *relationWindow) load(_ context.Context, tx *gorm.DB, es []any) error {
	ids := make([]models.ID, len(es))
	for i, a := range es {
		ids[i] = a.(*models.RelationRecord).EventID
	}
	var rows []models.Relation
	if err := tx.Where("event_id IN ?", ids).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		w.stored[relationKey{r.EventID, r.Related.ID, r.Type}] = true
	}
	return nil
}

func (w *relationWindow) refs(r *resolver, a any) { _ = resolveRelation(r, a.(*models.RelationRecord)) }

func (w *relationWindow) ownSlug(any) string { return "" }

func (w *relationWindow) selfRefs(a any) ([]models.Ref, *[]models.Relation) {
	r := a.(*models.RelationRecord)
	return []models.Ref{{ID: r.EventID}, {ID: r.RelatedID}}, nil
}

func (w *relationWindow) decide(_ context.Context, tx *gorm.DB, a any, _ models.MetaMembers) (importAction, error) {
	r := a.(*models.RelationRecord)
	k := keyOf(r)
	if w.written[k] {
		return actSlow, nil
	}
	if err := checkRelation(tx, w.cache, r); err != nil {
		return actNew, err
	}
	if w.stored[k] || w.pending[k] {
		return actUnchanged, nil
	}
	w.pending[k] = true
	return actNew, nil
}

func (w *relationWindow) flush(_ context.Context, tx *gorm.DB, es []any) error {
	rows := make([]models.Relation, len(es))
	for i, a := range es {
		r := a.(*models.RelationRecord)
		rows[i] = models.Relation{EventID: r.EventID, Type: r.Type, Related: models.Ref{ID: r.RelatedID}}
	}
	return insertAll(tx, rows)
}

func (w *relationWindow) settle() {
	for k := range w.pending {
		w.stored[k] = true
	}
	clear(w.pending)
}

func (w *relationWindow) drop() { clear(w.pending) }

func (w *relationWindow) restore(_ context.Context, tx *gorm.DB, a any, _ models.MetaMembers) (restoreOutcome, error) {
	r := a.(*models.RelationRecord)
	w.written[keyOf(r)] = true
	return restoreRelation(tx, w.cache, r)
}
