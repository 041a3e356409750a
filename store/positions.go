package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// This file keeps an actor's positions and relations (models/positions.go): child rows
// of the actor, written, replaced, deleted, revised and bundled with it by the generic
// spec code, and the titles events show for their participants on their dates.

// insertActorChildren writes the positions and relations of actors, in the order given.
func insertActorChildren(tx *gorm.DB, as []*models.Actor) error {
	var (
		ps   []models.Position
		rels []models.ActorRelation
	)
	for _, a := range as {
		for i := range a.Positions {
			a.Positions[i].ActorID, a.Positions[i].Order = a.ID, i
		}
		for i := range a.Relations {
			a.Relations[i].ActorID, a.Relations[i].Order = a.ID, i
		}
		ps = append(ps, a.Positions...)
		rels = append(rels, a.Relations...)
	}
	return insertAll(tx, ps, rels)
}

// loadActorChildren fills the positions and relations of a page of actors: two reads.
func loadActorChildren(tx *gorm.DB, as []*models.Actor) error {
	if len(as) == 0 {
		return nil
	}
	ids := make([]models.ID, len(as))
	byID := make(map[models.ID]*models.Actor, len(as))
	for i, a := range as {
		ids[i] = a.ID
		byID[a.ID] = a
		a.Positions, a.Relations = nil, nil
	}
	ps, err := positionsOf(tx, ids)
	if err != nil {
		return err
	}
	for id, p := range ps {
		byID[id].Positions = p
	}
	var rels []models.ActorRelation
	for chunk := range slices.Chunk(ids, insertBatch) {
		if err := tx.Where("actor_id IN ?", chunk).Order("actor_id, position").Find(&rels).Error; err != nil {
			return err
		}
		for _, r := range rels {
			if a := byID[r.ActorID]; a != nil {
				a.Relations = append(a.Relations, r)
			}
		}
		rels = rels[:0]
	}
	return nil
}

// positionsOf reads the positions of the actors ids, by actor, each in its order.
func positionsOf(tx *gorm.DB, ids []models.ID) (map[models.ID][]models.Position, error) {
	out := map[models.ID][]models.Position{}
	for chunk := range slices.Chunk(ids, insertBatch) {
		var ps []models.Position
		if err := tx.Where("actor_id IN ?", chunk).Order("actor_id, position").Find(&ps).Error; err != nil {
			return nil, err
		}
		for _, p := range ps {
			out[p.ActorID] = append(out[p.ActorID], p)
		}
	}
	return out, nil
}

// normalizeActor stores no list as an empty one: both read back as absent.
func normalizeActor(a *models.Actor) {
	if len(a.Positions) == 0 {
		a.Positions = nil
	}
	if len(a.Relations) == 0 {
		a.Relations = nil
	}
}

// actorChildRefs lists the references of an actor's positions and relations.
func actorChildRefs(a *models.Actor) []*models.Ref {
	var out []*models.Ref
	for i := range a.Positions {
		out = append(out, a.Positions[i].Organization)
	}
	for i := range a.Relations {
		out = append(out, &a.Relations[i].Related)
	}
	return out
}

// resolveActorChildren resolves the organisations of a's positions and the actors of its
// relations, and refuses, once resolved, one that names a itself or a relation given
// twice. old is the stored actor on an update: only then can a new target close a cycle.
func resolveActorChildren(r *resolver, a, old *models.Actor) error {
	for i := range a.Positions {
		f := fmt.Sprintf("positions[%d].organization_id", i)
		if err := r.ref(models.KindActor, f, a.Positions[i].Organization); err != nil {
			return err
		}
		if o := a.Positions[i].Organization; o != nil && o.Resolved() && o.ID == a.ID {
			r.v.Add(f, "an actor cannot hold a position in itself")
		}
	}
	seen := map[string]bool{}
	for i := range a.Relations {
		rel := &a.Relations[i]
		f := fmt.Sprintf("relations[%d].actor_id", i)
		if err := r.ref(models.KindActor, f, &rel.Related); err != nil {
			return err
		}
		if !rel.Related.Resolved() {
			continue
		}
		if rel.Related.ID == a.ID {
			r.v.Add(f, "an actor cannot relate to itself")
		}
		k := string(rel.Type) + "/" + rel.Related.ID.String()
		if seen[k] {
			r.v.Add(fmt.Sprintf("relations[%d]", i), "the same relation is given twice")
		}
		seen[k] = true
	}
	if old == nil || r.mode != resolveLookup || r.v.Err() != nil {
		return nil
	}
	return checkActorCycle(r.tx, a, old, r.v)
}

// actorTargets are the actors a names: its affiliation, its positions' organisations and
// its relations' actors, each with the field that names it first.
func actorTargets(a *models.Actor) (ids []models.ID, fields map[models.ID]string) {
	fields = map[models.ID]string{}
	add := func(field string, r *models.Ref) {
		if r == nil || !r.Resolved() {
			return
		}
		if _, ok := fields[r.ID]; !ok {
			fields[r.ID] = field
			ids = append(ids, r.ID)
		}
	}
	add("affiliation_id", a.Affiliation)
	for i := range a.Positions {
		add(fmt.Sprintf("positions[%d].organization_id", i), a.Positions[i].Organization)
	}
	for i := range a.Relations {
		add(fmt.Sprintf("relations[%d].actor_id", i), &a.Relations[i].Related)
	}
	return ids, fields
}

// checkActorCycle refuses an update by which a comes to name (through its affiliation,
// positions or relations, and those of the actors they name) an actor that names a
// back: such a cycle has no first actor, so no bundle could list them in an order that
// restores them. Relations are stored once and read both ways (GET
// /actors/{id}/relations), so "Trump parent_in_law_of Kushner" need not be stated
// beside "Kushner child_in_law_of Trump". The walk reads at most maxAncestors actors,
// level by level, and on PostgreSQL holds their rows FOR KEY SHARE, as
// hierarchy.checkCycle does and for the same reason: two writes that would only together
// close a cycle cannot both commit.
func checkActorCycle(tx *gorm.DB, a, old *models.Actor, v *models.Validation) error {
	ids, fields := actorTargets(a)
	before, _ := actorTargets(old)
	for _, id := range ids {
		if slices.Contains(before, id) {
			continue
		}
		if err := walkActors(tx, a.ID, id, fields[id], v); err != nil || v.Err() != nil {
			return err
		}
	}
	return nil
}

// actorLinks reads the actors that the actors of frontier name, by any of the kind's
// self-referring columns.
func actorLinks(tx *gorm.DB, frontier []models.ID) ([]models.ID, error) {
	k := models.KindActor
	if tx.Dialector.Name() == "postgres" {
		var locked []models.ID
		if err := tx.Table(k.Table).Clauses(clause.Locking{Strength: "KEY SHARE"}).Where("id IN ?", frontier).Pluck("id", &locked).Error; err != nil {
			return nil, err
		}
	}
	q := "SELECT " + k.SelfRef + " AS t FROM " + k.Table + " WHERE id IN @ids AND " + k.SelfRef + " IS NOT NULL"
	for _, c := range k.ChildSelfRefs {
		q += " UNION SELECT " + c.Column + " FROM " + c.Table + " WHERE " + k.ChildKey + " IN @ids AND " + c.Column + " IS NOT NULL"
	}
	var next []models.ID
	err := tx.Raw(q, map[string]any{"ids": frontier}).Scan(&next).Error
	return next, err
}

// walkActors reports into v (under field) when self is target or among the actors
// target names, directly or not.
func walkActors(tx *gorm.DB, self, target models.ID, field string, v *models.Validation) error {
	seen := map[models.ID]bool{target: true}
	frontier := []models.ID{target}
	for len(frontier) > 0 {
		if slices.Contains(frontier, self) {
			v.Add(field, "would make the actor name itself through the actors it names (a cycle no bundle could restore); a relation is read both ways, so state it once")
			return nil
		}
		if len(seen) > maxAncestors {
			v.Add(field, "names actors that name more than %d others; parley refuses deeper chains", maxAncestors)
			return nil
		}
		next, err := actorLinks(tx, frontier)
		if err != nil {
			return err
		}
		frontier = frontier[:0]
		for _, id := range next {
			if !seen[id] {
				seen[id] = true
				frontier = append(frontier, id)
			}
		}
	}
	return nil
}

// embedTitles sets each participant's title on its event's date (models.TitleOn) from
// the positions of every participant of es, read at once.
func embedTitles(es []*models.Event, positions func(ids []models.ID) (map[models.ID][]models.Position, error)) error {
	var ids []models.ID
	for _, e := range es {
		for _, p := range e.Participants {
			ids = append(ids, p.Actor.ID)
		}
	}
	titleOn, err := titlesOf(ids, positions)
	if err != nil {
		return err
	}
	for _, e := range es {
		for i := range e.Participants {
			p := &e.Participants[i]
			if pos, ok := titleOn(p.Actor.ID, e.Date); ok {
				p.Title, p.TitleOrganization = pos.Title, pos.Organization
			}
		}
	}
	return nil
}

// titlesOf reads the positions of the actors ids names (repeats allowed), once, and
// returns the lookup of an actor's position on a date (models.TitleOn): what
// participants' and speakers' titles share.
func titlesOf(ids []models.ID, positions func(ids []models.ID) (map[models.ID][]models.Position, error)) (func(models.ID, models.Date) (models.Position, bool), error) {
	byActor := map[models.ID][]models.Position{}
	if len(ids) > 0 {
		var err error
		if byActor, err = positions(uniq(ids)); err != nil {
			return nil, dbError(err, "actors")
		}
	}
	return func(actor models.ID, d models.Date) (models.Position, bool) { return models.TitleOn(byActor[actor], d) }, nil
}

// MaxInverseRelations bounds the relations other actors state towards one actor that
// ActorRelations reads; past it the answer says it is truncated.
const MaxInverseRelations = 1000

// LinkedActor is a relation of an actor read from its side: stated on it ("Kushner
// child_in_law_of Trump", read on Kushner), or stated on the other actor and read here
// by its inverse (read on Trump: parent_in_law_of Kushner, stated_type child_in_law_of).
type LinkedActor struct {
	Type  models.ActorRelationType `json:"type"`
	Actor models.Ref               `json:"actor_id"`
	Start models.Date              `json:"start,omitempty,omitzero"`
	End   models.Date              `json:"end,omitempty,omitzero"`
	// Direction is "stated" (on this actor) or "inverse" (stated on the other).
	Direction string `json:"direction" enums:"stated,inverse"`
	// StatedType is the type as the other actor states it, for an inverse relation.
	StatedType models.ActorRelationType `json:"stated_type,omitempty"`
	// ActorData is the other actor.
	ActorData *models.Actor `json:"actor,omitempty"`
}

// ActorRelations lists an actor's relations both ways.
type ActorRelations struct {
	Items []LinkedActor `json:"items"`
	// Truncated says that more than MaxInverseRelations inverse relations exist and only
	// the first of them (by the stating actor's id) are listed.
	Truncated bool `json:"truncated"`
}

// ActorRelations reads the relations of the actor ref names, both those stated on it and
// those other actors state towards it (named by their inverse), with the other actors
// embedded: three reads. Stated ones come first, in their order; then the inverse ones.
func (s *Store) ActorRelations(ctx context.Context, ref string) (*ActorRelations, error) {
	db := s.db.WithContext(ctx)
	a, err := findActor(db, ref)
	if err != nil {
		return nil, err
	}
	var stated, inverse []models.ActorRelation
	if err := db.Where("actor_id = ?", a.ID).Order("position").Find(&stated).Error; err != nil {
		return nil, dbError(err, "actors")
	}
	if err := db.Where("related_id = ?", a.ID).Order("actor_id, position").Limit(MaxInverseRelations + 1).Find(&inverse).Error; err != nil {
		return nil, dbError(err, "actors")
	}
	out := &ActorRelations{Items: []LinkedActor{}}
	if len(inverse) > MaxInverseRelations {
		inverse, out.Truncated = inverse[:MaxInverseRelations], true
	}
	var ids []models.ID
	for _, r := range stated {
		out.Items = append(out.Items, LinkedActor{Type: r.Type, Actor: r.Related, Start: r.Start, End: r.End, Direction: "stated"})
		ids = append(ids, r.Related.ID)
	}
	for _, r := range inverse {
		out.Items = append(out.Items, LinkedActor{Type: r.Type.Inverse(), Actor: models.Ref{ID: r.ActorID}, Start: r.Start, End: r.End,
			Direction: "inverse", StatedType: r.Type})
		ids = append(ids, r.ActorID)
	}
	byID, err := loadByID[models.Actor](db, ids)
	if err != nil {
		return nil, dbError(err, "actors")
	}
	for i := range out.Items {
		out.Items[i].ActorData = byID[out.Items[i].Actor.ID]
	}
	return out, nil
}
