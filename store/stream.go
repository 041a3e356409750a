package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// StreamBatch is how many rows a streaming read loads at a time: the memory a stream
// holds whatever the total.
const StreamBatch = 500

// StreamEvents calls fn for every event f selects, in f's sort order, with everything
// f.Include asks for. It stops at the first error fn returns and when ctx is cancelled (a
// client that disconnects).
//
// The events come a page at a time (ListEvents, so every filter and sort means what it
// means on /events) through a pipeline: one goroutine reads the pages, the next loads
// their child rows and embeds their actors (and those they represent), locations and
// sources, the next their statements with their speakers, while fn writes the page
// before. On PostgreSQL each stage runs its
// statements on a connection of its own, so the database works on three pages at once
// and the encoding overlaps all of it; memory holds a few pages whatever the total. A
// request on a read replica reads in its one transaction, which takes one statement at
// a time: there, and on SQLite, one goroutine runs the stages one after the other. The
// participants' actors, the speakers, the locations and the sources, which a few
// thousand rows serve across millions of events, are remembered for the rest of the stream (up to
// streamCacheSize of each) rather than read again for every page.
func (s *Store) StreamEvents(ctx context.Context, f EventFilter, fn func(*models.Event) error) error {
	inc := f.Include
	f.Limit, f.Cursor, f.Include = streamPage, "", Include{Bare: true}
	db := s.db.WithContext(ctx)
	c := &embedCache{pg: s.dialect == Postgres, actors: map[models.ID]*models.Actor{}, speakers: map[models.ID]*models.Actor{},
		locations: map[models.ID]*models.Location{}, sources: map[models.ID]*models.Source{}}
	stages := []pageStage{
		func(es []*models.Event) error { return c.children(db, es, inc) },
		func(es []*models.Event) error {
			if !inc.Statements {
				return nil
			}
			if err := loadEventStatements(db, es, c.pg); err != nil {
				return dbError(err, "statements")
			}
			return embedSpeakers(es, func(ids []models.ID) (map[models.ID]*models.Actor, error) { return cached(db, c.speakers, ids) })
		},
	}
	if !c.pg || routeOf(ctx) != nil {
		// One goroutine, one statement at a time.
		all := stages
		stages = []pageStage{func(es []*models.Event) error {
			for _, st := range all {
				if err := st(es); err != nil {
					return err
				}
			}
			return nil
		}}
	}
	p := newPipeline()
	pages := p.source(func(out chan<- []models.Event) error { return s.listPages(ctx, f, p.quit, out) })
	for _, st := range stages {
		pages = p.stage(pages, st)
	}
	err := func() error {
		for page := range pages {
			for i := range page {
				if err := fn(&page[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	if err != nil {
		p.halt()
		for range pages { // the stages stop at their next page
		}
	}
	if perr := p.wait(); err == nil {
		err = perr
	}
	return err
}

// streamCacheSize bounds each of the caches a stream keeps of actors, locations and
// sources: past it a cache starts again empty, so that memory stays bounded on a
// database with millions of them. A variable for the tests.
var streamCacheSize = 20000

// streamPage is how many events a stream reads per page (ListEvents' most). A variable
// for the tests.
var streamPage = StreamBatch

// pageStage completes a page of events in place.
type pageStage func([]*models.Event) error

// pipeline runs a stream's goroutines: a source of pages and the stages after it, each
// handing a page to the next through a channel of one. The first error halts them all.
type pipeline struct {
	quit chan struct{}
	once sync.Once
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

func newPipeline() *pipeline { return &pipeline{quit: make(chan struct{})} }

// halt stops every goroutine at its next page.
func (p *pipeline) halt() { p.once.Do(func() { close(p.quit) }) }

// fail records the first error and halts.
func (p *pipeline) fail(err error) {
	if err == nil {
		return
	}
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.mu.Unlock()
	p.halt()
}

// wait waits for every goroutine and returns the first error.
func (p *pipeline) wait() error {
	p.wg.Wait()
	return p.err
}

// source runs read on a goroutine of its own; it sends pages on its channel until
// p.quit is closed.
func (p *pipeline) source(read func(out chan<- []models.Event) error) <-chan []models.Event {
	out := make(chan []models.Event, 1)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer close(out)
		p.fail(read(out))
	}()
	return out
}

// stage runs st on every page from in, on a goroutine of its own, and passes the page on.
func (p *pipeline) stage(in <-chan []models.Event, st pageStage) <-chan []models.Event {
	out := make(chan []models.Event, 1)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer close(out)
		for page := range in {
			select {
			case <-p.quit:
				continue // drain, so that the source sees quit rather than block on its send
			default:
			}
			ptrs := make([]*models.Event, len(page))
			for i := range page {
				ptrs[i] = &page[i]
			}
			if err := st(ptrs); err != nil {
				p.fail(err)
				continue
			}
			select {
			case out <- page:
			case <-p.quit:
			}
		}
	}()
	return out
}

// listPages reads the pages of f one after the other and sends each on out until the
// last, an error, or quit.
func (s *Store) listPages(ctx context.Context, f EventFilter, quit <-chan struct{}, out chan<- []models.Event) error {
	for {
		if err := ctx.Err(); err != nil {
			return dbError(err, "export")
		}
		p, err := s.ListEvents(ctx, f)
		if err != nil {
			return err
		}
		select {
		case out <- p.Items:
		case <-quit:
			return nil
		}
		if p.NextCursor == "" {
			return nil
		}
		f.Cursor = p.NextCursor
	}
}

// embedCache is what a stream remembers of the entities its events embed. The speakers
// have a cache of their own: the statements' stage runs beside the children's.
type embedCache struct {
	pg        bool // PostgreSQL: the child rows are read by loadEventChildrenPG and pgStatements
	actors    map[models.ID]*models.Actor
	speakers  map[models.ID]*models.Actor
	locations map[models.ID]*models.Location
	sources   map[models.ID]*models.Source
}

// cached returns the rows of ids from m, reading the missing ones.
func cached[T any, P interface {
	*T
	GetMeta() *models.Meta
}](db *gorm.DB, m map[models.ID]P, ids []models.ID) (map[models.ID]P, error) {
	var missing []models.ID
	for _, id := range ids {
		if _, ok := m[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return m, nil
	}
	if len(m)+len(missing) > streamCacheSize {
		clear(m)
		missing = uniq(ids)
	}
	got, err := loadByID[T, P](db, uniq(missing))
	if err != nil {
		return m, err
	}
	maps.Copy(m, got)
	return m, nil
}

// children loads a page's child rows (unless inc leaves them out) and embeds the
// actors, locations and sources inc asks for, from the caches.
func (c *embedCache) children(db *gorm.DB, es []*models.Event, inc Include) error {
	if len(es) == 0 {
		return nil
	}
	if !inc.Bare || inc.Participants {
		load := loadEventChildren
		if c.pg {
			load = loadEventChildrenPG
		}
		if err := load(db, es); err != nil {
			return dbError(err, "events")
		}
	}
	return embedRefs(es, inc, embedLoaders{
		actors:    func(ids []models.ID) (map[models.ID]*models.Actor, error) { return cached(db, c.actors, ids) },
		locations: func(ids []models.ID) (map[models.ID]*models.Location, error) { return cached(db, c.locations, ids) },
		sources:   func(ids []models.ID) (map[models.ID]*models.Source, error) { return cached(db, c.sources, ids) },
		positions: func(ids []models.ID) (map[models.ID][]models.Position, error) { return positionsOf(db, ids) },
	})
}

// StreamBundle calls fn with every entity of the database, kind by kind in the order of
// models.Kinds, each in id order a batch at a time: entities that name others of their
// kind after those (affiliations before the actors that point at them, series before
// their rounds), and relations, as records of their own, after every entity of their
// kind. Reading it back with Import into an empty database reproduces every row, id,
// version and timestamp.
func (s *Store) StreamBundle(ctx context.Context, fn func(kind string, v any) error) error {
	db := s.db.WithContext(ctx)
	for _, k := range models.Kinds {
		if err := storeOf(k).streamBundle(db, fn); err != nil {
			return dbError(err, "bundle")
		}
	}
	return dbError(streamRedirects(db, fn), "bundle")
}

// streamBundle hands every entity of the kind to fn, with its children.
func (sp *spec[T, P]) streamBundle(db *gorm.DB, fn func(kind string, v any) error) error {
	load := func(tx *gorm.DB, rows []T) error {
		if sp.loadChildren == nil {
			return nil
		}
		ptrs := make([]P, len(rows))
		for i := range rows {
			ptrs[i] = &rows[i]
		}
		return sp.loadChildren(tx, ptrs)
	}
	emit := func(e *T) error {
		if sp.relations != nil {
			*sp.relations(e) = nil
		}
		return fn(sp.kind.Name, e)
	}
	var err error
	if sp.kind.SelfRef == "" {
		err = streamTable(db, sp.kind.Table, load, emit)
	} else {
		err = streamByLevel(db, sp.kind, func(ids []models.ID) error {
			var rows []T
			if err := db.Table(sp.kind.Table).Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
				return err
			}
			if err := load(db, rows); err != nil {
				return err
			}
			return each(rows, emit)
		})
	}
	if err != nil || sp.relations == nil {
		return err
	}
	return streamRelations(db, func(r *models.Relation) error {
		return fn(models.RelationRecordType, &models.RelationRecord{EventID: r.EventID, Type: r.Type, RelatedID: r.Related.ID})
	})
}

func each[T any](rows []T, fn func(*T) error) error {
	for i := range rows {
		if err := fn(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// streamTable reads table in id order, StreamBatch rows at a time.
func streamTable[T any](db *gorm.DB, table string, load func(*gorm.DB, []T) error, fn func(*T) error) error {
	var last string
	for {
		var rows []T
		q := db.Table(table).Order("id").Limit(StreamBatch)
		if last != "" {
			q = q.Where("id > ?", last)
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		if load != nil {
			if err := load(db, rows); err != nil {
				return err
			}
		}
		if err := each(rows, fn); err != nil {
			return err
		}
		last = any(&rows[len(rows)-1]).(interface{ GetMeta() *models.Meta }).GetMeta().ID.String()
		if len(rows) < StreamBatch {
			return nil
		}
	}
}

// streamByLevel hands out the ids of k's table level by level of its self-references
// (k.SelfRef and k.ChildSelfRefs): rows that name none first (in id order, a batch at a
// time), then the rows that name only those, and so on, each row one level below the
// deepest it names. Only the rows that name others are held in memory.
func streamByLevel(db *gorm.DB, k *models.Kind, fn func([]models.ID) error) error {
	table := k.Table
	free := k.SelfRef + " IS NULL"
	links := "SELECT id, " + k.SelfRef + " AS ref FROM " + table + " WHERE " + k.SelfRef + " IS NOT NULL"
	for _, c := range k.ChildSelfRefs {
		free += " AND NOT EXISTS (SELECT 1 FROM " + c.Table + " c WHERE c." + k.ChildKey + " = " + table + ".id AND c." + c.Column + " IS NOT NULL)"
		links += " UNION SELECT " + k.ChildKey + ", " + c.Column + " FROM " + c.Table + " WHERE " + c.Column + " IS NOT NULL"
	}
	var last string
	for {
		var ids []models.ID
		q := db.Table(table).Where(free).Order("id").Limit(StreamBatch)
		if last != "" {
			q = q.Where("id > ?", last)
		}
		if err := q.Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) > 0 {
			if err := fn(ids); err != nil {
				return err
			}
			last = ids[len(ids)-1].String()
		}
		if len(ids) < StreamBatch {
			break
		}
	}
	var rows []struct {
		ID  models.ID
		Ref models.ID
	}
	if err := db.Raw(links + " ORDER BY id").Scan(&rows).Error; err != nil {
		return err
	}
	named := map[models.ID][]models.ID{}
	var order []models.ID
	for _, l := range rows {
		if _, ok := named[l.ID]; !ok {
			order = append(order, l.ID)
		}
		named[l.ID] = append(named[l.ID], l.Ref)
	}
	// depth is one more than the deepest row id names (0 for a row that names none);
	// a cycle, which writes refuse, is cut where the walk meets it again.
	depths := make(map[models.ID]int, len(named))
	var depth func(id models.ID) int
	depth = func(id models.ID) int {
		if d, ok := depths[id]; ok {
			return max(d, 0)
		}
		refs, ok := named[id]
		if !ok {
			return 0
		}
		depths[id] = -1
		d := 0
		for _, r := range refs {
			if r != id {
				d = max(d, depth(r)+1)
			}
		}
		depths[id] = d
		return d
	}
	levels := map[int][]models.ID{}
	maxLevel := 0
	for _, id := range order {
		d := depth(id)
		levels[d] = append(levels[d], id)
		maxLevel = max(maxLevel, d)
	}
	for d := 1; d <= maxLevel; d++ {
		for chunk := range slices.Chunk(levels[d], StreamBatch) {
			if err := fn(chunk); err != nil {
				return err
			}
		}
	}
	return nil
}

func streamRelations(db *gorm.DB, fn func(*models.Relation) error) error {
	type key struct{ event, typ, related string }
	var last *key
	for {
		var rows []models.Relation
		q := db.Order("event_id, type, related_id").Limit(StreamBatch)
		if last != nil {
			q = q.Where("(event_id, type, related_id) > (?, ?, ?)", last.event, last.typ, last.related)
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		if err := each(rows, fn); err != nil {
			return err
		}
		if len(rows) < StreamBatch {
			return nil
		}
		r := rows[len(rows)-1]
		last = &key{r.EventID.String(), string(r.Type), r.Related.ID.String()}
	}
}

// statementChildren reads the tags (0), sources (1) and evidence (2, one row per claim,
// t the claim, q the quote) of a set of statements in one statement, each in the order
// the statement keeps them.
const statementChildren = `SELECT 0 AS k, statement_id, tag AS t, NULL AS src, 0 AS pos, '' AS q FROM statement_tags WHERE statement_id IN ?
UNION ALL SELECT 1, statement_id, '', source_id, position, '' FROM statement_sources WHERE statement_id IN ?
UNION ALL SELECT 2, statement_id, claim, source_id, position, quote FROM statement_evidence WHERE statement_id IN ?
ORDER BY k, statement_id, pos, t`

// statementColumns lists the columns a models.Statement reads: not the search text and
// its tsvector, which a SELECT * would fetch for nothing.
var statementColumns = sync.OnceValue(func() string {
	s, err := schema.Parse(&models.Statement{}, &schemas, schema.NamingStrategy{})
	if err != nil {
		panic(fmt.Sprintf("store: the columns of statements: %v", err))
	}
	var cols []string
	for _, f := range s.Fields {
		if f.DBName != "" && f.Readable {
			cols = append(cols, f.DBName)
		}
	}
	return strings.Join(cols, ", ")
})

// loadEventStatements embeds the statements about each event, in date order, with their
// tags and sources: two statements for the page.
func loadEventStatements(db *gorm.DB, es []*models.Event, pg bool) error {
	for _, e := range es {
		e.StatementsData = []models.Statement{}
	}
	// Each statement with its event's place in es.
	var sts []pageStatement
	if pg {
		ids := make([]models.ID, len(es))
		for i, e := range es {
			ids[i] = e.ID
		}
		if err := db.Raw(pgStatements(), idList(ids)).Scan(&sts).Error; err != nil {
			return err
		}
	} else {
		ids := make([]models.ID, len(es))
		at := make(map[models.ID]int, len(es))
		for i, e := range es {
			ids[i], at[e.ID] = e.ID, i+1
		}
		var rows []models.Statement
		if err := db.Select(statementColumns()).Where("event_id IN ?", ids).Order("date_start, id").Find(&rows).Error; err != nil {
			return err
		}
		sts = make([]pageStatement, len(rows))
		for i, st := range rows {
			sts[i] = pageStatement{O: at[st.Event.ID], Statement: st}
		}
	}
	if len(sts) == 0 {
		return nil
	}
	if err := loadPageStatementChildren(db, sts, pg); err != nil {
		return err
	}
	for _, st := range sts {
		if st.O >= 1 && st.O <= len(es) {
			e := es[st.O-1]
			e.StatementsData = append(e.StatementsData, st.Statement)
		}
	}
	return nil
}

// pageStatement is a statement and its event's place in a page (from 1).
type pageStatement struct {
	O int `gorm:"column:o"`
	models.Statement
}

// loadPageStatementChildren fills the tags and sources of a page's statements.
func loadPageStatementChildren(db *gorm.DB, sts []pageStatement, pg bool) error {
	ids := make([]models.ID, len(sts))
	at := make(map[models.ID]int, len(sts))
	for i := range sts {
		st := &sts[i].Statement
		ids[i], at[st.ID] = st.ID, i+1
		st.Tags, st.Sources, st.Evidence = []string{}, []*models.Ref{}, nil
	}
	var rows *sql.Rows
	var err error
	if pg {
		list := idList(ids)
		rows, err = db.Raw(pgStatementChildren, list, list, list).Rows()
	} else {
		rows, err = db.Raw(statementChildren, ids, ids, ids).Rows()
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			k, o, pos int
			sid       models.ID
			tag, q    string
			src       sql.Null[models.ID]
		)
		if pg {
			err = rows.Scan(&k, &o, &tag, &src, &pos, &q)
		} else {
			err = rows.Scan(&k, &sid, &tag, &src, &pos, &q)
			o = at[sid]
		}
		if err != nil {
			return err
		}
		if o < 1 || o > len(sts) {
			continue
		}
		st := &sts[o-1].Statement
		switch k {
		case 0:
			st.Tags = append(st.Tags, tag)
		case 1:
			st.Sources = append(st.Sources, models.RefTo(src.V))
		default:
			addEvidenceRow(&st.Evidence, src.V, tag, pos, q)
		}
	}
	for i := range sts {
		st := &sts[i].Statement
		st.Evidence = models.NormalizeEvidence(st.Evidence, models.StatementClaims)
	}
	return rows.Err()
}

// On PostgreSQL a page's child rows are read by probing each table's index once per
// event: the ids go as one text parameter, unnested, and each table is read in a
// LATERAL sub-query behind an OFFSET 0 fence, which the planner cannot turn into a
// join. With an IN list of 500 ids it chose to scan small child tables whole for every
// page (event_tags, event_relations: a hash of the list, then every row), which made an
// export quadratic: at 100,000 events the children took two thirds of its time.
//
// Each sub-query orders its own rows and the statement as a whole is not sorted (a sort
// of the whole page's rows cost more than the probes): the reader needs only each
// event's rows of each table in order, and those come from one run of one sub-query, in
// the order it gives them.
const pgPage = `unnest(string_to_array(?, ',')::uuid[]) WITH ORDINALITY AS x(id, o)`

// pgEventChildren is eventChildren by probes, each row tagged with its event's place in
// the page (o, from 1) rather than the event's id. It takes the id list five times.
var pgEventChildren = strings.ReplaceAll(`SELECT 0 AS k, x.o, c.actor_id AS a, c.represents_id AS b, c.role AS t, c.position AS pos, '' AS q
FROM PAGE CROSS JOIN LATERAL (SELECT * FROM event_participants p WHERE p.event_id = x.id ORDER BY p.position, p.role, p.actor_id OFFSET 0) c
UNION ALL SELECT 1, x.o, NULL, NULL, c.tag, 0, ''
FROM PAGE CROSS JOIN LATERAL (SELECT * FROM event_tags t WHERE t.event_id = x.id ORDER BY t.tag OFFSET 0) c
UNION ALL SELECT 2, x.o, c.source_id, NULL, '', c.position, ''
FROM PAGE CROSS JOIN LATERAL (SELECT * FROM event_sources s WHERE s.event_id = x.id ORDER BY s.position OFFSET 0) c
UNION ALL SELECT 3, x.o, c.related_id, NULL, c.type, 0, ''
FROM PAGE CROSS JOIN LATERAL (SELECT * FROM event_relations r WHERE r.event_id = x.id ORDER BY r.type, r.related_id OFFSET 0) c
UNION ALL SELECT 4, x.o, c.source_id, NULL, c.claim, c.position, c.quote
FROM PAGE CROSS JOIN LATERAL (SELECT * FROM event_evidence v WHERE v.event_id = x.id ORDER BY v.position, v.claim OFFSET 0) c`,
	"PAGE", pgPage)

// pgStatementChildren is statementChildren by probes, each row tagged with its
// statement's place in the list (o, from 1). It takes the id list three times.
var pgStatementChildren = strings.ReplaceAll(`SELECT 0 AS k, x.o, c.tag AS t, NULL::uuid AS src, 0 AS pos, '' AS q
FROM PAGE CROSS JOIN LATERAL (SELECT * FROM statement_tags t WHERE t.statement_id = x.id ORDER BY t.tag OFFSET 0) c
UNION ALL SELECT 1, x.o, '', c.source_id, c.position, ''
FROM PAGE CROSS JOIN LATERAL (SELECT * FROM statement_sources s WHERE s.statement_id = x.id ORDER BY s.position OFFSET 0) c
UNION ALL SELECT 2, x.o, c.claim, c.source_id, c.position, c.quote
FROM PAGE CROSS JOIN LATERAL (SELECT * FROM statement_evidence v WHERE v.statement_id = x.id ORDER BY v.position, v.claim OFFSET 0) c`,
	"PAGE", pgPage)

// pgStatements reads the statements about a page's events by probes, each event's in
// date order, tagged with the event's place in the page (o, from 1).
var pgStatements = sync.OnceValue(func() string {
	cols := strings.Split(statementColumns(), ", ")
	for i, c := range cols {
		cols[i] = "st." + c
	}
	return "SELECT x.o, " + strings.Join(cols, ", ") + " FROM " + pgPage +
		" CROSS JOIN LATERAL (SELECT * FROM statements s WHERE s.event_id = x.id ORDER BY s.date_start, s.id OFFSET 0) st"
})

// idList is ids as the text parameter pgPage unnests.
func idList(ids []models.ID) string {
	var b strings.Builder
	b.Grow(len(ids) * 37)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(id.String())
	}
	return b.String()
}

// loadEventChildrenPG is loadEventChildren on PostgreSQL, by pgEventChildren.
func loadEventChildrenPG(tx *gorm.DB, es []*models.Event) error {
	if len(es) == 0 {
		return nil
	}
	ids := make([]models.ID, len(es))
	for i, e := range es {
		ids[i] = e.ID
		e.Participants, e.Tags, e.Sources, e.Relations = []models.Participant{}, []string{}, []*models.Ref{}, []models.Relation{}
		e.Evidence = nil
	}
	list := idList(ids)
	rows, err := tx.Raw(pgEventChildren, list, list, list, list, list).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			k, o, pos int
			a, b      sql.Null[models.ID]
			t, q      string
		)
		if err := rows.Scan(&k, &o, &a, &b, &t, &pos, &q); err != nil {
			return err
		}
		if o < 1 || o > len(es) {
			continue
		}
		addChildRow(es[o-1], k, a, b, t, pos, q)
	}
	normalizeEvidence(es)
	return rows.Err()
}
