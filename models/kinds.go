package models

import "slices"

// Entity is what every kind of entity has: its meta (id, version, timestamps) and its
// own checks.
type Entity interface {
	GetMeta() *Meta
	Validate() error
}

// Kind is what parley knows of one kind of entity, written once. The store's generic
// CRUD, revisions, bundle order, import batching and statistics of written tables, the
// routes, idempotent creates and the API document's tags all derive their lists from
// Kinds, so that adding a kind means adding it here, not finding every switch.
type Kind struct {
	// Name is the singular: revisions' entity_type, a bundle record's type, messages.
	Name string
	// Plural names the collection: its path under /api/v1 and its OpenAPI tag.
	Plural string
	// About describes the collection in the API document.
	About string
	// Table holds the kind's rows.
	Table string
	// Children are the models of the tables whose rows belong to one entity (keyed by
	// ChildKey): written, replaced and deleted with it.
	Children []any
	ChildKey string
	// Slug says whether an entity is addressed by slug as well as by id.
	Slug bool
	// SelfRef is the column by which an entity names another of its kind (an actor's
	// affiliation, an event's parent), "" when none: a bundle lists the named one first,
	// and an import lets a line wait for a later one it names.
	SelfRef string
	// ChildSelfRefs are the columns of its children's tables that name another entity of
	// the kind (an actor's positions name organisations, its relations other actors):
	// bundles list the named entity first, imports let a line wait for it, and a write
	// that would close a cycle through them is refused. A merge moves them like SelfRef.
	ChildSelfRefs []ChildColumn
	// Refs are the other kinds an entity names; they come before it in Kinds, and so in
	// a bundle and in an import window.
	Refs []*Kind
	// New returns an empty entity of the kind, for decoders.
	New func() Entity
}

// ChildColumn is a column of a child table (its model's TableName) with the column of
// that table holding the owner's id (the kind's ChildKey).
type ChildColumn struct {
	Table, Column string
}

// The kinds of entity, each described once.
var (
	KindActor = &Kind{
		Name: "actor", Plural: "actors", Table: "actors", Slug: true, SelfRef: "affiliation_id",
		About:    "States, organisations and people, with whom they are affiliated to, their positions over time and their relations to one another.",
		Children: []any{&Position{}, &ActorRelation{}}, ChildKey: "actor_id",
		ChildSelfRefs: []ChildColumn{{Table: "actor_positions", Column: "organization_id"},
			{Table: "actor_relations", Column: "related_id"}},
		New: func() Entity { return &Actor{} },
	}
	KindLocation = &Kind{
		Name: "location", Plural: "locations", Table: "locations", Slug: true,
		About: "Places where events happen, with coordinates.",
		New:   func() Entity { return &Location{} },
	}
	KindOutlet = &Kind{
		Name: "outlet", Plural: "outlets", Table: "outlets", Slug: true,
		About: "Publishers whose reports sources are: country, language and state ownership where known.",
		New:   func() Entity { return &Outlet{} },
	}
	KindSource = &Kind{
		Name: "source", Plural: "sources", Table: "sources", Slug: true, SelfRef: "via_id",
		About: "Reports that events and statements cite, with their outlet and the source they are known through (via).",
		Refs:  []*Kind{KindOutlet},
		New:   func() Entity { return &Source{} },
	}
	KindEvent = &Kind{
		Name: "event", Plural: "events", Table: "events", Slug: true, SelfRef: "parent_id",
		About:    "Meetings, talks, calls, visits and statements: who took part, in which role, where, when, and which sources say so.",
		Children: []any{&Participant{}, &EventTag{}, &EventSource{}, &Relation{}, &EventEvidence{}}, ChildKey: "event_id",
		Refs: []*Kind{KindActor, KindLocation, KindSource},
		New:  func() Entity { return &Event{} },
	}
	KindStatement = &Kind{
		Name: "statement", Plural: "statements", Table: "statements",
		About:    "What was said, by whom, at which event, as quoted by which sources.",
		Children: []any{&StatementTag{}, &StatementSource{}, &StatementEvidence{}}, ChildKey: "statement_id",
		Refs: []*Kind{KindActor, KindEvent, KindSource},
		New:  func() Entity { return &Statement{} },
	}
)

// Kinds lists every kind in dependency order: each names only kinds before it (or its
// own). Bundles list their records, and imports insert them, in this order.
var Kinds = []*Kind{KindActor, KindLocation, KindOutlet, KindSource, KindEvent, KindStatement}

// RelationRecordType is the bundle record type of an event relation, carried on its own
// after every event so that relations may point forward and backward freely.
const RelationRecordType = "relation"

// RedirectRecordType is the bundle record type of a redirect left by a merge, carried
// after everything else so that the entity it points at is in before it.
const RedirectRecordType = "redirect"

// ExtraRecordTypes are the bundle record types that are not kinds, in bundle order.
var ExtraRecordTypes = []string{RelationRecordType, RedirectRecordType}

// KindNamed returns the kind with the given singular name.
func KindNamed(name string) (*Kind, bool) {
	i := slices.IndexFunc(Kinds, func(k *Kind) bool { return k.Name == name })
	if i < 0 {
		return nil, false
	}
	return Kinds[i], true
}

// KindNames lists the singular names, in Kinds order.
func KindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = k.Name
	}
	return out
}
