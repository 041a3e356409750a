package store

import (
	"context"
	"fmt"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

var statementSpec = stored(&spec[models.Statement, *models.Statement]{
	kind:    models.KindStatement,
	resolve: resolveStatement,
	refs: func(st *models.Statement) []*models.Ref {
		return append(append([]*models.Ref{st.Speaker, st.SpeaksFor, st.Event}, st.Sources...), evidenceRefs(st.Evidence)...)
	},
	normalize:      normalizeStatement,
	insertRows:     insertStatementRows,
	insertChildren: insertStatementChildren,
	loadChildren:   loadStatementChildren,
	afterCreate: func(tx *gorm.DB, sts []*models.Statement) error {
		// An event is also found by what was said about it.
		var events []models.ID
		for _, st := range sts {
			if st.Event != nil {
				events = append(events, st.Event.ID)
			}
		}
		return refreshEventSearch(tx, events...)
	},
	afterWrite: afterStatementWrite,
})

func insertStatementRows(tx *gorm.DB, sts []*models.Statement) error {
	return insertWithSearch(tx, "statements", sts, func(st *models.Statement) string {
		return searchText(st.Text, st.Attribution)
	})
}

// afterStatementWrite refreshes the statement's own search text and that of the events
// it was and is about.
func afterStatementWrite(tx *gorm.DB, old, cur *models.Statement) error {
	var events []models.ID
	for _, st := range []*models.Statement{old, cur} {
		if st != nil && st.Event != nil {
			events = append(events, st.Event.ID)
		}
	}
	if cur != nil {
		if err := refreshStatementSearch(tx, cur); err != nil {
			return err
		}
	}
	return refreshEventSearch(tx, events...)
}

func resolveStatement(r *resolver, st, _ *models.Statement) error {
	if err := r.ref(models.KindActor, "speaker_id", st.Speaker); err != nil {
		return err
	}
	if err := r.ref(models.KindActor, "speaks_for_id", st.SpeaksFor); err != nil {
		return err
	}
	if err := r.ref(models.KindEvent, "event_id", st.Event); err != nil {
		return err
	}
	seen := map[models.ID]bool{}
	for i, src := range st.Sources {
		f := fmt.Sprintf("source_ids[%d]", i)
		if err := r.ref(models.KindSource, f, src); err != nil {
			return err
		}
		if src.Resolved() && seen[src.ID] {
			r.v.Add(f, "cites the same source twice")
		}
		seen[src.ID] = true
	}
	return resolveEvidence(r, st.Evidence, st.Sources)
}

// insertStatementChildren writes the tags and sources of statements.
func insertStatementChildren(tx *gorm.DB, sts []*models.Statement) error {
	var (
		tags []models.StatementTag
		srcs []models.StatementSource
	)
	for _, st := range sts {
		for _, t := range st.Tags {
			tags = append(tags, models.StatementTag{StatementID: st.ID, Tag: t})
		}
		for i, s := range st.Sources {
			srcs = append(srcs, models.StatementSource{StatementID: st.ID, SourceID: s.ID, Position: i})
		}
	}
	return insertAll(tx, tags, srcs, statementEvidenceRows(sts))
}

func normalizeStatement(st *models.Statement) {
	st.Tags, st.Sources = normalizeTags(st.Tags), nonNil(st.Sources)
	st.SpeakerTitle = "" // read-only: derived from the speaker's positions when read
	st.Evidence = models.NormalizeEvidence(st.Evidence, models.StatementClaims)
}

func loadStatementChildren(tx *gorm.DB, sts []*models.Statement) error {
	if len(sts) == 0 {
		return nil
	}
	ids := make([]models.ID, len(sts))
	byID := make(map[models.ID]*models.Statement, len(sts))
	for i, st := range sts {
		ids[i] = st.ID
		byID[st.ID] = st
		st.Tags, st.Sources, st.Evidence = []string{}, []*models.Ref{}, nil
	}
	var tags []models.StatementTag
	if err := tx.Where("statement_id IN ?", ids).Order("statement_id, tag").Find(&tags).Error; err != nil {
		return err
	}
	for _, t := range tags {
		st := byID[t.StatementID]
		st.Tags = append(st.Tags, t.Tag)
	}
	rows, err := tx.Raw(statementSourceRows, ids, ids).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			k, pos       int
			id, src      models.ID
			claim, quote string
		)
		if err := rows.Scan(&k, &id, &src, &pos, &claim, &quote); err != nil {
			return err
		}
		st := byID[id]
		if st == nil {
			continue
		}
		if k == 0 {
			st.Sources = append(st.Sources, models.RefTo(src))
		} else {
			addEvidenceRow(&st.Evidence, src, claim, pos, quote)
		}
	}
	for _, st := range sts {
		st.Evidence = models.NormalizeEvidence(st.Evidence, models.StatementClaims)
	}
	return rows.Err()
}

// statementSourceRows reads the sources (k 0) and the evidence (k 1, one row per claim)
// of a set of statements in one statement, each in the order the statement keeps them.
const statementSourceRows = `SELECT 0 AS k, statement_id, source_id, position, '' AS claim, '' AS quote FROM statement_sources WHERE statement_id IN ?
UNION ALL SELECT 1, statement_id, source_id, position, claim, quote FROM statement_evidence WHERE statement_id IN ?
ORDER BY k, statement_id, position, claim`

// StatementInclude names the related entities to embed in statements.
type StatementInclude struct {
	Speaker bool // and the organisation an unnamed speaker speaks for
	Event   bool // with its own child rows (participants, tags, sources, relations)
	Sources bool
}

// embedStatements fills the speakers, events and sources inc asks for, with the loaders
// events embed with: one read of each kind for the whole page (two for events, whose
// child rows come along).
func embedStatements(sts []*models.Statement, inc StatementInclude, ld embedLoaders) error {
	if len(sts) == 0 {
		return nil
	}
	if inc.Speaker {
		if err := embedStatementActors(sts, ld.actors); err != nil {
			return err
		}
		if err := embedSpeakerTitles(sts, ld.positions); err != nil {
			return err
		}
	}
	if inc.Event {
		var ids []models.ID
		for _, st := range sts {
			if st.Event != nil {
				ids = append(ids, st.Event.ID)
			}
		}
		byID, err := ld.events(ids)
		if err != nil {
			return dbError(err, "events")
		}
		for _, st := range sts {
			if st.Event != nil {
				st.EventData = byID[st.Event.ID]
			}
		}
	}
	if inc.Sources {
		return embedSources(sts, func(st *models.Statement) ([]*models.Ref, *[]models.Source) { return st.Sources, &st.SourcesData }, ld.sources)
	}
	return nil
}

// embedStatementActors fills the speaker and the organisation an unnamed speaker speaks
// for of each statement, with one read of actors.
func embedStatementActors(sts []*models.Statement, actors func(ids []models.ID) (map[models.ID]*models.Actor, error)) error {
	var ids []models.ID
	for _, st := range sts {
		for _, r := range []*models.Ref{st.Speaker, st.SpeaksFor} {
			if r != nil {
				ids = append(ids, r.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	byID, err := actors(uniq(ids))
	if err != nil {
		return dbError(err, "actors")
	}
	for _, st := range sts {
		if st.Speaker != nil {
			st.SpeakerData = byID[st.Speaker.ID]
		}
		if st.SpeaksFor != nil {
			st.SpeaksForData = byID[st.SpeaksFor.ID]
		}
	}
	return nil
}

// embedSpeakerTitles sets each named speaker's title on the statement's date from the
// positions of every speaker of sts, read at once.
func embedSpeakerTitles(sts []*models.Statement, positions func(ids []models.ID) (map[models.ID][]models.Position, error)) error {
	var ids []models.ID
	for _, st := range sts {
		if st.Speaker != nil {
			ids = append(ids, st.Speaker.ID)
		}
	}
	titleOn, err := titlesOf(ids, positions)
	if err != nil {
		return err
	}
	for _, st := range sts {
		if st.Speaker == nil {
			continue
		}
		if pos, ok := titleOn(st.Speaker.ID, st.Date); ok {
			st.SpeakerTitle = pos.Title
		}
	}
	return nil
}

// StatementFilter holds the /statements query; speaker, speaks_for and event are ids or
// slugs. Speakers matches only what those actors said themselves; SpeaksFor matches what
// unnamed people speaking for those organisations said ("a TASS source").
type StatementFilter struct {
	Speakers  []string
	SpeaksFor []string
	Event     string
	From, To  *models.Date
	Tags      []string
	Quote     *bool
	// Sources matches statements citing one of these sources; Supports narrows to those
	// where a source (one of Sources, or any when none) has evidence for one of these
	// claims (models.StatementClaims).
	Sources  []string
	Supports []string
	Q        string // full-text query over text and attribution
	Sort     string // date (default), -date, updated, -updated, relevance (with Q)
	Limit    int
	Cursor   string
	Include  StatementInclude
}

var statementSorts = []sortKey{
	{name: "date", column: "statements.date_start", kind: keyTime},
	{name: "-date", column: "statements.date_start", desc: true, kind: keyTime},
	{name: "updated", column: "statements.updated_at", kind: keyTime},
	{name: "-updated", column: "statements.updated_at", desc: true, kind: keyTime},
}

// CreateStatement inserts a statement with its tags and sources.
func (s *Store) CreateStatement(ctx context.Context, st *models.Statement) error {
	return statementSpec.create(ctx, s.db, st)
}

// GetStatement loads a statement by id.
func (s *Store) GetStatement(ctx context.Context, ref string) (*models.Statement, error) {
	return statementSpec.get(ctx, s.db, ref)
}

// ReplaceStatement overwrites a statement (PUT).
func (s *Store) ReplaceStatement(ctx context.Context, ref string, st *models.Statement, ifVersion int) error {
	return statementSpec.replace(ctx, s.db, ref, st, ifVersion)
}

// DeleteStatement removes a statement.
func (s *Store) DeleteStatement(ctx context.Context, ref string, ifVersion int) error {
	return statementSpec.remove(ctx, s.db, ref, ifVersion)
}

// ListStatements returns one page of statements matching f.
func (s *Store) ListStatements(ctx context.Context, f StatementFilter) (Page[models.Statement], error) {
	db := s.db.WithContext(ctx)
	if err := checkFilterCounts(map[string]int{"speaker": len(f.Speakers), "speaks_for": len(f.SpeaksFor), "tag": len(f.Tags),
		"source": len(f.Sources), "supports": len(f.Supports)}); err != nil {
		return Page[models.Statement]{}, err
	}
	sources, err := lookupRefs(db, models.KindSource, "source", f.Sources)
	if err != nil {
		return Page[models.Statement]{}, err
	}
	speakers, err := lookupRefs(db, models.KindActor, "speaker", f.Speakers)
	if err != nil {
		return Page[models.Statement]{}, err
	}
	speaksFor, err := lookupRefs(db, models.KindActor, "speaks_for", f.SpeaksFor)
	if err != nil {
		return Page[models.Statement]{}, err
	}
	var event []models.ID
	if f.Event != "" {
		if event, err = lookupRefs(db, models.KindEvent, "event", []string{f.Event}); err != nil {
			return Page[models.Statement]{}, err
		}
	}
	where := func(q *gorm.DB) *gorm.DB {
		if len(speakers) > 0 {
			q = q.Where("statements.speaker_id IN ?", speakers)
		}
		if len(speaksFor) > 0 {
			q = q.Where("statements.speaks_for_id IN ?", speaksFor)
		}
		if len(event) > 0 {
			q = q.Where("statements.event_id = ?", event[0])
		}
		if f.From != nil {
			q = q.Where("statements.date_end > ?", f.From.Start)
		}
		if f.To != nil {
			q = q.Where("statements.date_start < ?", f.To.End)
		}
		if tags := uniq(f.Tags); len(tags) > 0 {
			q = q.Where(allOf("statements.id", "statement_tags", "statement_id", "tag", len(tags)), tags)
		}
		if f.Quote != nil {
			q = q.Where("statements.quote = ?", *f.Quote)
		}
		if len(sources) > 0 {
			q = q.Where("EXISTS (SELECT 1 FROM statement_sources ss WHERE ss.statement_id = statements.id AND ss.source_id IN ?)", sources)
		}
		if len(f.Supports) > 0 {
			cond, args := supportsCondition("statement_evidence", "statement_id", "statements", sources, uniq(f.Supports))
			q = q.Where(cond, args...)
		}
		return q
	}
	var page Page[models.Statement]
	if f.Sort == "relevance" {
		sq, err := relevanceQuery(f.Q)
		if err != nil {
			return page, err
		}
		ranked, err := list(rankedTable(db, "statements", sq), listParams{f.Sort, f.Cursor, f.Limit}, relevanceSorts("statements"), where,
			func(st rankedStatement, _ sortKey) any { return st.Rank },
			func(st rankedStatement) models.ID { return st.ID })
		if err != nil {
			return page, err
		}
		page.NextCursor = ranked.NextCursor
		page.Items = make([]models.Statement, len(ranked.Items))
		for i, r := range ranked.Items {
			page.Items[i] = r.Statement
		}
	} else {
		if f.Q != "" {
			sq, err := parseSearch(f.Q)
			if err != nil {
				return page, err
			}
			cond, args := matchCondition(db, "statements", sq)
			inner := where
			where = func(q *gorm.DB) *gorm.DB { return inner(q).Where(cond, args...) }
		}
		page, err = list(db.Table("statements"), listParams{f.Sort, f.Cursor, f.Limit}, statementSorts, where,
			func(st models.Statement, sk sortKey) any {
				if sk.column == "statements.updated_at" {
					return st.UpdatedAt
				}
				return st.Date.Start
			},
			func(st models.Statement) models.ID { return st.ID })
		if err != nil {
			return page, err
		}
	}
	ptrs := make([]*models.Statement, len(page.Items))
	for i := range page.Items {
		ptrs[i] = &page.Items[i]
	}
	if err := loadStatementChildren(db, ptrs); err != nil {
		return page, dbError(err, "statements")
	}
	return page, embedStatements(ptrs, f.Include, loadersOf(db))
}

// rankedStatement is a statement with its search rank, for relevance order.
type rankedStatement struct {
	models.Statement
	Rank float64 `gorm:"column:rank"`
}

// ActorStatements lists what an actor said (404 if the actor does not exist).
func (s *Store) ActorStatements(ctx context.Context, ref string, f StatementFilter) (Page[models.Statement], error) {
	a, err := findActor(s.db.WithContext(ctx), ref)
	if err != nil {
		return Page[models.Statement]{}, err
	}
	f.Speakers = []string{a.ID.String()}
	return s.ListStatements(ctx, f)
}
