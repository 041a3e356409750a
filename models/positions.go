package models

import (
	"fmt"
	"slices"
	"time"
)

// Offices over time and typed relations between actors (issue 14, part 4). A person's
// title is not one string for ever: Ushakov is an aide to the President of Russia on
// 22 January 2026 whatever he becomes later, so an actor keeps its positions with their
// dates, and an event shows each participant's title on the event's date. Relations
// between actors (Kushner child_in_law_of Trump) are typed from an allow-list.

// Bounds of an actor's child lists, so that one body stays small and a page of events
// reads a bounded number of positions per participant.
const (
	MaxPositions      = 50
	MaxActorRelations = 100
)

// Position is an office an actor holds or held: its title, the organisation or state it
// is held in, and when, at the precision a source gives. An end left out means the
// position is held still (or its end is unknown); a start left out, that its start is
// unknown.
type Position struct {
	ActorID      ID     `json:"-" gorm:"primaryKey"`
	Order        int    `json:"-" gorm:"column:position;primaryKey"`
	Title        string `json:"title" gorm:"not null"`
	Organization *Ref   `json:"organization_id,omitempty" gorm:"column:organization_id"`
	Start        Date   `json:"start,omitempty,omitzero" gorm:"embedded;embeddedPrefix:start_"`
	End          Date   `json:"end,omitempty,omitzero" gorm:"embedded;embeddedPrefix:end_"`
	Note         string `json:"note,omitempty" gorm:"not null"`
}

// TableName is the positions table.
func (Position) TableName() string { return "actor_positions" }

// Covers reports whether the position may be held at some instant of d: its [start, end]
// overlaps d, an unstated end reaching to the future and an unstated start to the past.
func (p Position) Covers(d Date) bool {
	from, to := time.Time{}, maxInstant
	if !p.Start.IsZero() {
		from = p.Start.Start
	}
	if !p.End.IsZero() {
		to = p.End.End
	}
	return from.Before(d.End) && d.Start.Before(to)
}

// TitleOn picks, among positions, the one held on d: of those that cover d, the one
// that starts last (the most specific: a new office supersedes one whose end is not
// recorded), the first listed on a tie. ok is false when none covers d: parley then
// shows no title rather than guess from the actor's current one.
func TitleOn(positions []Position, d Date) (p Position, ok bool) {
	for _, c := range positions {
		if !c.Covers(d) {
			continue
		}
		if !ok || c.Start.Start.After(p.Start.Start) {
			p, ok = c, true
		}
	}
	return p, ok
}

// ActorRelationType types a relation from one actor to another, read "A <type> B".
type ActorRelationType string

// The actor relation types: Kushner child_in_law_of Trump; Ushakov adviser_to Putin.
const (
	ActorSpouseOf      ActorRelationType = "spouse_of"
	ActorParentOf      ActorRelationType = "parent_of"
	ActorChildOf       ActorRelationType = "child_of"
	ActorSiblingOf     ActorRelationType = "sibling_of"
	ActorChildInLawOf  ActorRelationType = "child_in_law_of"
	ActorParentInLawOf ActorRelationType = "parent_in_law_of"
	ActorAdviserTo     ActorRelationType = "adviser_to"
	ActorAdvisedBy     ActorRelationType = "advised_by"
	ActorMemberOf      ActorRelationType = "member_of"
	ActorHasMember     ActorRelationType = "has_member"
	ActorEmployedBy    ActorRelationType = "employed_by"
	ActorEmploys       ActorRelationType = "employs"
	ActorRepresents    ActorRelationType = "represents"
	ActorRepresentedBy ActorRelationType = "represented_by"
)

// ActorRelationTypes lists the types a body may give, each with its inverse: B's side
// of "A <type> B". A symmetric type is its own inverse.
var ActorRelationTypes = []ActorRelationType{ActorSpouseOf, ActorParentOf, ActorChildOf, ActorSiblingOf,
	ActorChildInLawOf, ActorParentInLawOf, ActorAdviserTo, ActorAdvisedBy, ActorMemberOf, ActorHasMember,
	ActorEmployedBy, ActorEmploys, ActorRepresents, ActorRepresentedBy}

var actorRelationInverse = map[ActorRelationType]ActorRelationType{
	ActorSpouseOf: ActorSpouseOf, ActorSiblingOf: ActorSiblingOf,
	ActorParentOf: ActorChildOf, ActorChildOf: ActorParentOf,
	ActorChildInLawOf: ActorParentInLawOf, ActorParentInLawOf: ActorChildInLawOf,
	ActorAdviserTo: ActorAdvisedBy, ActorAdvisedBy: ActorAdviserTo,
	ActorMemberOf: ActorHasMember, ActorHasMember: ActorMemberOf,
	ActorEmployedBy: ActorEmploys, ActorEmploys: ActorEmployedBy,
	ActorRepresents: ActorRepresentedBy, ActorRepresentedBy: ActorRepresents,
}

// Valid reports whether t is a known actor relation type.
func (t ActorRelationType) Valid() bool { return slices.Contains(ActorRelationTypes, t) }

// Inverse is the type read from the other actor's side: child_in_law_of for
// parent_in_law_of.
func (t ActorRelationType) Inverse() ActorRelationType { return actorRelationInverse[t] }

// ActorRelation is a typed relation from an actor to another, with the dates it held
// when known (an end left out: it holds still, or its end is unknown).
type ActorRelation struct {
	ActorID ID                `json:"-" gorm:"primaryKey"`
	Order   int               `json:"-" gorm:"column:position;primaryKey"`
	Type    ActorRelationType `json:"type" gorm:"not null"`
	Related Ref               `json:"actor_id" gorm:"column:related_id;not null"`
	Start   Date              `json:"start,omitempty,omitzero" gorm:"embedded;embeddedPrefix:start_"`
	End     Date              `json:"end,omitempty,omitzero" gorm:"embedded;embeddedPrefix:end_"`
}

// TableName is the actor relations table.
func (ActorRelation) TableName() string { return "actor_relations" }

// checkSpan refuses an end that lies wholly before the start.
func checkSpan(v *Validation, field string, start, end Date) {
	if !start.IsZero() && !end.IsZero() && !end.End.After(start.Start) {
		v.Add(field+".end", "is before start (%s)", start.EDTF)
	}
}

// validatePositions checks an actor's positions and relations (their references are
// resolved and checked by the store).
func (a *Actor) validatePositions(v *Validation) {
	if len(a.Positions) > MaxPositions {
		v.Add("positions", "at most %d positions per actor", MaxPositions)
	}
	for i, p := range a.Positions {
		f := fmt.Sprintf("positions[%d]", i)
		checkText(v, f+".title", p.Title, true, MaxShortLen)
		checkText(v, f+".note", p.Note, false, MaxShortLen)
		checkSpan(v, f, p.Start, p.End)
		if p.Organization != nil && p.Organization.Resolved() && p.Organization.ID == a.ID {
			v.Add(f+".organization_id", "an actor cannot hold a position in itself")
		}
	}
	if len(a.Relations) > MaxActorRelations {
		v.Add("relations", "at most %d relations per actor", MaxActorRelations)
	}
	for i, r := range a.Relations {
		f := fmt.Sprintf("relations[%d]", i)
		if !r.Type.Valid() {
			v.Add(f+".type", "must be one of %v", ActorRelationTypes)
		}
		checkRef(v, f+".actor_id", &r.Related, true)
		checkSpan(v, f, r.Start, r.End)
		if r.Related.Resolved() && r.Related.ID == a.ID {
			v.Add(f+".actor_id", "an actor cannot relate to itself")
		}
	}
}
