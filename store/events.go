package store

import (
	"context"
	"database/sql"
	"fmt"
	"gorm.io/gorm/schema"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

var eventSpec = stored(&spec[models.Event, *models.Event]{
	kind:           models.KindEvent,
	slug:           func(e *models.Event) *string { return &e.Slug },
	slugBase:       func(e *models.Event) string { return e.Title },
	resolve:        resolveEvent,
	normalize:      normalizeEvent,
	insertRows:     insertEventRows,
	insertChildren: insertEventChildren,
	loadChildren:   loadEventChildren,
	afterWrite: func(tx *gorm.DB, old, cur *models.Event) error {
		if cur == nil {
			return nil
		}
		return refreshEventSearch(tx, cur.ID)
	},
	afterCreate: func(tx *gorm.DB, es []*models.Event) error {
		return rollupsIn(tx, eventsIn(entityIDs(es)), allRollups)
	},
	beforeWrite: eventRollups,
	refs:        eventRefs,
	selfRefs:    func(e *models.Event) []*models.Ref { return []*models.Ref{e.Parent} },
	relations:   func(e *models.Event) *[]models.Relation { return &e.Relations },
})

// eventRefs lists every reference of e.
func eventRefs(e *models.Event) []*models.Ref {
	out := append([]*models.Ref{e.Location, e.Parent}, e.Sources...)
	for i := range e.Participants {
		out = append(out, &e.Participants[i].Actor, e.Participants[i].Represents)
	}
	for i := range e.Relations {
		out = append(out, &e.Relations[i].Related)
	}
	return append(out, evidenceRefs(e.Evidence)...)
}

// insertEventRows inserts new events with their search text; a new event has no
// statements yet, so its words are its own.
func insertEventRows(tx *gorm.DB, es []*models.Event) error {
	return insertWithSearch(tx, "events", es, func(e *models.Event) string {
		return searchText(append([]string{e.Title, e.Summary}, e.Tags...)...)
	})
}

func resolveEvent(r *resolver, e, old *models.Event) error {
	v := r.v
	if err := r.ref(models.KindLocation, "location_id", e.Location); err != nil {
		return err
	}
	if err := r.ref(models.KindEvent, "parent_id", e.Parent); err != nil {
		return err
	}
	for i := range e.Participants {
		p := &e.Participants[i]
		f := fmt.Sprintf("participants[%d]", i)
		if err := r.ref(models.KindActor, f+".actor_id", &p.Actor); err != nil {
			return err
		}
		if err := r.ref(models.KindActor, f+".represents_id", p.Represents); err != nil {
			return err
		}
	}
	for i, src := range e.Sources {
		if err := r.ref(models.KindSource, fmt.Sprintf("source_ids[%d]", i), src); err != nil {
			return err
		}
	}
	for i := range e.Relations {
		rel := &e.Relations[i]
		f := fmt.Sprintf("relations[%d].event_id", i)
		if err := r.ref(models.KindEvent, f, &rel.Related); err != nil {
			return err
		}
		if rel.Related.ID == e.ID {
			v.Add(f, "an event cannot relate to itself")
		}
	}
	// After resolution, slugs and ids that name the same thing compare equal.
	seenP := map[string]bool{}
	for i, p := range e.Participants {
		if p.Represents != nil && p.Represents.Resolved() && p.Represents.ID == p.Actor.ID {
			v.Add(fmt.Sprintf("participants[%d].represents_id", i), "a participant cannot represent itself")
		}
		k := p.Actor.ID.String() + "/" + string(p.Role)
		if p.Actor.Resolved() && seenP[k] {
			v.Add(fmt.Sprintf("participants[%d]", i), "the same actor appears twice with role %s", p.Role)
		}
		seenP[k] = true
	}
	seenS := map[models.ID]bool{}
	for i, src := range e.Sources {
		if src.Resolved() && seenS[src.ID] {
			v.Add(fmt.Sprintf("source_ids[%d]", i), "cites the same source twice")
		}
		seenS[src.ID] = true
	}
	seenR := map[string]bool{}
	for i, rel := range e.Relations {
		k := string(rel.Type) + "/" + rel.Related.ID.String()
		if rel.Related.Resolved() && seenR[k] {
			v.Add(fmt.Sprintf("relations[%d]", i), "duplicate relation")
		}
		seenR[k] = true
	}
	checkRepresentation(e.Participants, v)
	if err := resolveEvidence(r, e.Evidence, e.Sources); err != nil {
		return err
	}
	// Only an update can close a cycle: nothing refers to an event before it exists.
	// An unchanged parent keeps the chain as it was.
	if old != nil && changed(old.Parent, e.Parent) {
		return series.checkCycle(r.tx, e.ID, e.Parent.ID, v)
	}
	return nil
}

// insertEventChildren writes the participants, tags, sources and relations of events,
// a few multi-row INSERTs for any number of events.
func insertEventChildren(tx *gorm.DB, es []*models.Event) error {
	var (
		ps   []models.Participant
		tags []models.EventTag
		srcs []models.EventSource
		rels []models.Relation
	)
	for _, e := range es {
		for i := range e.Participants {
			p := &e.Participants[i]
			p.EventID, p.Position, p.EventStart, p.EventEnd = e.ID, i, e.Date.Start, e.Date.End
		}
		ps = append(ps, e.Participants...)
		for _, t := range e.Tags {
			tags = append(tags, models.EventTag{EventID: e.ID, Tag: t})
		}
		for i, s := range e.Sources {
			srcs = append(srcs, models.EventSource{EventID: e.ID, SourceID: s.ID, Position: i})
		}
		for i := range e.Relations {
			e.Relations[i].EventID = e.ID
		}
		rels = append(rels, e.Relations...)
	}
	return insertAll(tx, ps, tags, srcs, rels, eventEvidenceRows(es))
}

func normalizeEvent(e *models.Event) {
	e.Tags = normalizeTags(e.Tags)
	e.Participants, e.Sources, e.Relations = nonNil(e.Participants), nonNil(e.Sources), nonNil(e.Relations)
	for i := range e.Participants {
		// Read-only: derived from the actor's positions when read, never stored.
		e.Participants[i].Title, e.Participants[i].TitleOrganization = "", nil
	}
	e.Evidence = models.NormalizeEvidence(e.Evidence, models.EventClaims)
}

// insertAll inserts each non-empty slice of rows in multi-row INSERTs.
func insertAll(tx *gorm.DB, tables ...any) error {
	for _, rows := range tables {
		if reflect.ValueOf(rows).Len() == 0 {
			continue
		}
		if err := tx.CreateInBatches(rows, insertBatch).Error; err != nil {
			return err
		}
	}
	return nil
}

// normalizeTags sorts tags: they are a set, and a stable order keeps revisions and
// exports comparable.
func normalizeTags(tags []string) []string {
	out := slices.Clone(tags)
	sort.Strings(out)
	return slices.Compact(nonNil(out))
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// eventChildren reads the five child tables of a set of events in one statement, each
// row tagged with its table (k): participants (0), tags (1), sources (2), relations (3),
// evidence (4, one row per claim, q the quote), each in the order the event keeps them. One round trip instead of four, scanned
// without GORM's reflection: a page of events spent a third of its CPU there.
const eventChildren = `SELECT 0 AS k, event_id, actor_id AS a, represents_id AS b, role AS t, position AS pos, '' AS q FROM event_participants WHERE event_id IN ?
UNION ALL SELECT 1, event_id, NULL, NULL, tag, 0, '' FROM event_tags WHERE event_id IN ?
UNION ALL SELECT 2, event_id, source_id, NULL, '', position, '' FROM event_sources WHERE event_id IN ?
UNION ALL SELECT 3, event_id, related_id, NULL, type, 0, '' FROM event_relations WHERE event_id IN ?
UNION ALL SELECT 4, event_id, source_id, NULL, claim, position, quote FROM event_evidence WHERE event_id IN ?
ORDER BY k, event_id, pos, t, a`

// loadEventChildren fills participants, tags, sources and relations of a page of events
// with one query (eventChildren).
func loadEventChildren(tx *gorm.DB, es []*models.Event) error {
	if len(es) == 0 {
		return nil
	}
	ids := make([]models.ID, len(es))
	byID := make(map[models.ID]*models.Event, len(es))
	for i, e := range es {
		ids[i] = e.ID
		byID[e.ID] = e
		e.Participants, e.Tags, e.Sources, e.Relations = []models.Participant{}, []string{}, []*models.Ref{}, []models.Relation{}
		e.Evidence = nil
	}
	rows, err := tx.Raw(eventChildren, ids, ids, ids, ids, ids).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			k, pos int
			event  models.ID
			a, b   sql.Null[models.ID]
			t, q   string
		)
		if err := rows.Scan(&k, &event, &a, &b, &t, &pos, &q); err != nil {
			return err
		}
		e := byID[event]
		if e == nil {
			continue
		}
		addChildRow(e, k, a, b, t, pos, q)
	}
	normalizeEvidence(es)
	return rows.Err()
}

// normalizeEvidence puts the claims of the evidence loaded by addChildRow (in the
// order of their names) in their stored order.
func normalizeEvidence(es []*models.Event) {
	for _, e := range es {
		e.Evidence = models.NormalizeEvidence(e.Evidence, models.EventClaims)
	}
}

// addChildRow adds one row of the event children query to e: k is the table (0
// participants, 1 tags, 2 sources, 3 relations, 4 evidence), a the actor, source or
// related event, b whom a participant represents, t the role, tag, relation type or
// claim, q an evidence item's quote. Evidence rows come in position order, one per claim.
func addChildRow(e *models.Event, k int, a, b sql.Null[models.ID], t string, pos int, q string) {
	switch k {
	case 0:
		p := models.Participant{EventID: e.ID, Actor: models.Ref{ID: a.V}, Role: models.Role(t), Position: pos,
			EventStart: e.Date.Start, EventEnd: e.Date.End}
		if b.Valid {
			p.Represents = models.RefTo(b.V)
		}
		e.Participants = append(e.Participants, p)
	case 1:
		e.Tags = append(e.Tags, t)
	case 2:
		e.Sources = append(e.Sources, models.RefTo(a.V))
	case 3:
		e.Relations = append(e.Relations, models.Relation{EventID: e.ID, Type: models.RelationType(t), Related: models.Ref{ID: a.V}})
	case 4:
		addEvidenceRow(&e.Evidence, a.V, t, pos, q)
	}
}

// Include names the related entities to embed in events.
type Include struct {
	Participants bool // each participant's actor
	Location     bool
	Sources      bool
	Statements   bool
	// Bare leaves out the events' own child rows (participants, tags, sources,
	// relations), for a reader that shows none of them; Participants overrides it.
	Bare bool
}

// EventFilter holds the /events query. Actor, location, source and parent references are
// ids or slugs.
type EventFilter struct {
	Actors   []string
	MatchAll bool // all actors must take part (default: any)
	// Represented lets an actor match through the participants who represent it
	// (represents_id), not only by taking part itself: Russia at a summit where Putin
	// represents it. One step only: an envoy for a minister is not the minister's state.
	// With Roles, the role is that of the matching row (the representative's).
	Represented bool
	Roles       []models.Role
	Countries   []string
	Locations   []string
	Types       []models.EventType
	Statuses    []models.EventStatus
	Tags        []string // all must be present
	From, To    *models.Date
	Sources     []string
	// Supports narrows to events where a source (one of Sources, or any when none) has
	// evidence for one of these claims (models.EventClaims).
	Supports []string
	Parent   string
	Q        string // full-text query over title, summary, tags and statements
	Sort     string // -date (default), date, updated, -updated, relevance (with Q)
	Limit    int
	Cursor   string
	Include  Include
	// actorIDs, when set, are Actors already resolved (by ActorEvents, which had to find
	// its actor to answer 404): not looked up again.
	actorIDs []models.ID
	// Measures narrows by GDELT's numbers (Goldstein, QuadClass, tone, counts).
	Measures MeasureFilter
}

var eventSorts = []sortKey{
	{name: "-date", column: "events.date_start", desc: true, kind: keyTime},
	{name: "date", column: "events.date_start", kind: keyTime},
	{name: "updated", column: "events.updated_at", kind: keyTime},
	{name: "-updated", column: "events.updated_at", desc: true, kind: keyTime},
}

// EventSorts lists the sort orders ListEvents accepts, for documentation.
func EventSorts() []string {
	out := make([]string, len(eventSorts))
	for i, k := range eventSorts {
		out[i] = k.name
	}
	return out
}

// CreateEvent inserts an event with its participants, tags, sources and relations.
func (s *Store) CreateEvent(ctx context.Context, e *models.Event) error {
	return eventSpec.create(ctx, s.db, e)
}

// GetEvent loads an event by id or slug, embedding what inc asks for.
func (s *Store) GetEvent(ctx context.Context, ref string, inc Include) (*models.Event, error) {
	e, err := eventSpec.get(ctx, s.db, ref)
	if err != nil {
		return nil, err
	}
	if err := s.embed(ctx, []*models.Event{e}, inc); err != nil {
		return nil, err
	}
	if !inc.Participants {
		// One event shows its participants' titles on its date, embedded or not.
		if err := embedTitles([]*models.Event{e}, loadersOf(s.db.WithContext(ctx)).positions); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// ReplaceEvent overwrites an event and its child rows (PUT).
func (s *Store) ReplaceEvent(ctx context.Context, ref string, e *models.Event, ifVersion int) error {
	return eventSpec.replace(ctx, s.db, ref, e, ifVersion)
}

// DeleteEvent removes an event with its participants, tags, source links and relations;
// statements about it or rounds under it make it a conflict.
func (s *Store) DeleteEvent(ctx context.Context, ref string, ifVersion int) error {
	return eventSpec.remove(ctx, s.db, ref, ifVersion)
}

// ListEvents returns one page of events matching f.
func (s *Store) ListEvents(ctx context.Context, f EventFilter) (Page[models.Event], error) {
	db := s.db.WithContext(ctx)
	conds, err := s.eventConditions(db, &f)
	if err != nil {
		return Page[models.Event]{}, err
	}
	where := conds.where
	var page Page[models.Event]
	switch {
	case f.Sort == "relevance":
		sq, err := relevanceQuery(f.Q)
		if err != nil {
			return page, err
		}
		ranked, err := list(rankedTable(db, "events", sq), listParams{f.Sort, f.Cursor, f.Limit}, relevanceSorts("events"), where,
			func(e rankedEvent, _ sortKey) any { return e.Rank },
			func(e rankedEvent) models.ID { return e.ID })
		if err != nil {
			return page, err
		}
		page.NextCursor = ranked.NextCursor
		page.Items = make([]models.Event, len(ranked.Items))
		for i, r := range ranked.Items {
			page.Items[i] = r.Event
		}
	default:
		base, sorts := db.Table("events").Select(eventColumns()), eventSorts
		if conds.fewMatches {
			// The matches first, behind an OFFSET 0 fence the planner does not see through,
			// then the page sorted from them (see searchProbe).
			base = db.Table("(SELECT * FROM events WHERE "+conds.searchCond+" OFFSET 0) AS events", conds.searchArgs...).
				Select(eventColumns())
		}
		if conds.actorScan() {
			base, sorts, where = db.Table("events").Select(eventColumns()).
				Joins("JOIN event_participants k ON k.event_id = events.id AND k.actor_id = ?", conds.driver),
				actorScanSorts, conds.actorScanWhere
		}
		page, err = list(base, listParams{f.Sort, f.Cursor, f.Limit}, sorts, where,
			func(e models.Event, sk sortKey) any {
				if sk.column == "events.updated_at" {
					return e.UpdatedAt
				}
				return e.Date.Start
			},
			func(e models.Event) models.ID { return e.ID })
		if err != nil {
			return page, err
		}
	}
	ptrs := make([]*models.Event, len(page.Items))
	for i := range page.Items {
		ptrs[i] = &page.Items[i]
	}
	if !f.Include.Bare || f.Include.Participants {
		if err := loadEventChildren(db, ptrs); err != nil {
			return page, dbError(err, "events")
		}
	}
	return page, s.embed(ctx, ptrs, f.Include)
}

// rankedEvent is an event with its search rank, for relevance order.
type rankedEvent struct {
	models.Event
	Rank float64 `gorm:"column:rank"`
}

// embed loads the related entities include asks for, one query per kind.
func (s *Store) embed(ctx context.Context, es []*models.Event, inc Include) error {
	if len(es) == 0 {
		return nil
	}
	db := s.db.WithContext(ctx)
	if err := embedRefs(es, inc, loadersOf(db)); err != nil {
		return err
	}
	if inc.Statements {
		ids := make([]models.ID, len(es))
		for i, e := range es {
			ids[i] = e.ID
			e.StatementsData = []models.Statement{}
		}
		var sts []models.Statement
		if err := db.Where("event_id IN ?", ids).Order("date_start, id").Find(&sts).Error; err != nil {
			return dbError(err, "statements")
		}
		ptrs := make([]*models.Statement, len(sts))
		for i := range sts {
			ptrs[i] = &sts[i]
		}
		if err := loadStatementChildren(db, ptrs); err != nil {
			return dbError(err, "statements")
		}
		byID := map[models.ID]*models.Event{}
		for _, e := range es {
			byID[e.ID] = e
		}
		for _, st := range sts {
			e := byID[st.Event.ID]
			e.StatementsData = append(e.StatementsData, st)
		}
		if err := embedSpeakers(es, loadersOf(db).actors); err != nil {
			return err
		}
	}
	return nil
}

// embedSpeakers fills the speaker (or the organisation of an unnamed speaker) of every
// statement embedded in es, one read of actors
// for the whole page: a quote is shown with its speaker's name (the timeline formats,
// the exports).
func embedSpeakers(es []*models.Event, actors func(ids []models.ID) (map[models.ID]*models.Actor, error)) error {
	var sts []*models.Statement
	for _, e := range es {
		for i := range e.StatementsData {
			sts = append(sts, &e.StatementsData[i])
		}
	}
	return embedStatementActors(sts, actors)
}

// embedLoaders read, by id, the actors, locations and sources events embed, and the
// events statements embed: straight from the database for a page (loadersOf), from a
// stream's caches for an export of events (which embeds no events: its events is nil).
type embedLoaders struct {
	actors    func(ids []models.ID) (map[models.ID]*models.Actor, error)
	locations func(ids []models.ID) (map[models.ID]*models.Location, error)
	sources   func(ids []models.ID) (map[models.ID]*models.Source, error)
	events    func(ids []models.ID) (map[models.ID]*models.Event, error)
	// positions reads the positions of actors, for the participants' titles.
	positions func(ids []models.ID) (map[models.ID][]models.Position, error)
}

// loadersOf reads what events and statements embed from db.
func loadersOf(db *gorm.DB) embedLoaders {
	return embedLoaders{
		actors: func(ids []models.ID) (map[models.ID]*models.Actor, error) { return loadByID[models.Actor](db, ids) },
		locations: func(ids []models.ID) (map[models.ID]*models.Location, error) {
			return loadByID[models.Location](db, ids)
		},
		sources:   func(ids []models.ID) (map[models.ID]*models.Source, error) { return loadByID[models.Source](db, ids) },
		positions: func(ids []models.ID) (map[models.ID][]models.Position, error) { return positionsOf(db, ids) },
		events: func(ids []models.ID) (map[models.ID]*models.Event, error) {
			// Their columns without the search text, then their child rows: two reads.
			byID, err := loadByID[models.Event](db.Select(eventColumns()), ids)
			if err != nil {
				return nil, err
			}
			es := make([]*models.Event, 0, len(byID))
			for _, e := range byID {
				es = append(es, e)
			}
			return byID, loadEventChildren(db, es)
		},
	}
}

// embedRefs fills the participants' actors (and those they represent) with their titles
// on the event's date, the location and the sources inc asks for, one read of each kind
// for the whole page.
func embedRefs(es []*models.Event, inc Include, ld embedLoaders) error {
	var ids []models.ID
	if inc.Participants {
		for _, e := range es {
			for _, p := range e.Participants {
				ids = append(ids, p.Actor.ID)
				if p.Represents != nil {
					ids = append(ids, p.Represents.ID)
				}
			}
		}
		byID, err := ld.actors(ids)
		if err != nil {
			return dbError(err, "actors")
		}
		for _, e := range es {
			for i := range e.Participants {
				p := &e.Participants[i]
				p.ActorData = byID[p.Actor.ID]
				if p.Represents != nil {
					p.RepresentsData = byID[p.Represents.ID]
				}
			}
		}
		if err := embedTitles(es, ld.positions); err != nil {
			return err
		}
	}
	if inc.Location {
		ids = ids[:0]
		for _, e := range es {
			if e.Location != nil {
				ids = append(ids, e.Location.ID)
			}
		}
		byID, err := ld.locations(ids)
		if err != nil {
			return dbError(err, "locations")
		}
		for _, e := range es {
			if e.Location != nil {
				e.LocationData = byID[e.Location.ID]
			}
		}
	}
	if inc.Sources {
		return embedSources(es, func(e *models.Event) ([]*models.Ref, *[]models.Source) { return e.Sources, &e.SourcesData }, ld.sources)
	}
	return nil
}

// embedSources fills the cited sources of each item (an event, a statement) with one
// read: refs gives an item's references and where its embedded sources go.
func embedSources[T any](items []T, refs func(T) ([]*models.Ref, *[]models.Source),
	load func([]models.ID) (map[models.ID]*models.Source, error)) error {
	var ids []models.ID
	for _, it := range items {
		rs, _ := refs(it)
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
	}
	byID, err := load(ids)
	if err != nil {
		return dbError(err, "sources")
	}
	if err := embedVias(byID, load); err != nil {
		return dbError(err, "sources")
	}
	for _, it := range items {
		rs, data := refs(it)
		*data = make([]models.Source, 0, len(rs))
		for _, r := range rs {
			if src := byID[r.ID]; src != nil {
				*data = append(*data, *src)
			}
		}
	}
	return nil
}

// loadByID loads the rows of T with the given ids, keyed by id; no ids, no query.
func loadByID[T any, P interface {
	*T
	GetMeta() *models.Meta
}](db *gorm.DB, ids []models.ID) (map[models.ID]P, error) {
	out := make(map[models.ID]P, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []T
	if err := db.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		p := P(&rows[i])
		out[p.GetMeta().ID] = p
	}
	return out, nil
}

// ActorEvents lists the events an actor took part in (404 if the actor does not exist).
func (s *Store) ActorEvents(ctx context.Context, ref string, f EventFilter) (Page[models.Event], error) {
	a, err := findActor(s.db.WithContext(ctx), ref)
	if err != nil {
		return Page[models.Event]{}, err
	}
	f.Actors, f.MatchAll, f.actorIDs = []string{a.ID.String()}, false, []models.ID{a.ID}
	return s.ListEvents(ctx, f)
}

// eventColumns lists the columns a models.Event reads, qualified: a page fetches those,
// not the search text and its tsvector, which only a WHERE clause needs.
var eventColumns = sync.OnceValue(func() string {
	s, err := schema.Parse(&models.Event{}, &schemas, schema.NamingStrategy{})
	if err != nil {
		panic(fmt.Sprintf("store: the columns of events: %v", err))
	}
	var cols []string
	for _, f := range s.Fields {
		if f.DBName != "" && f.Readable {
			cols = append(cols, "events."+f.DBName)
		}
	}
	return strings.Join(cols, ", ")
})
