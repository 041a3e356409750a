package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// ImportRecord is one decoded line of a bundle: an entity (*models.Actor, *models.Location,
// *models.Source, *models.Event, *models.Statement or *models.RelationRecord), or the error that
// decoding the line gave.
type ImportRecord struct {
	Line   int
	Kind   string
	Entity any
	// Stated says which of the entity's id, version, created_at and updated_at the line
	// named (models.StatedMeta), so that a stated zero time is kept; nil takes the members
	// that are not zero, as records built in code (GDELT rows) want.
	Stated *models.MetaMembers
	Err    error
}

// ImportOptions choose how Import commits.
type ImportOptions struct {
	// DryRun validates every line against the database and writes nothing.
	DryRun bool
	// Atomic commits nothing if any line is rejected (the default of the API and CLI).
	Atomic bool
}

// ImportCounts tallies the outcome for one record type.
type ImportCounts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
}

// ImportProblem is a rejected line.
type ImportProblem struct {
	Line   int                 `json:"line"`
	Type   string              `json:"type,omitempty"`
	Detail string              `json:"detail"`
	Errors []models.FieldError `json:"errors,omitempty"`
}

// ImportReport says what an import did, or would have done.
type ImportReport struct {
	Lines     int                      `json:"lines"`
	Counts    map[string]*ImportCounts `json:"counts"`
	Problems  []ImportProblem          `json:"problems"`
	DryRun    bool                     `json:"dry_run"`
	Atomic    bool                     `json:"atomic"`
	Committed bool                     `json:"committed"`
}

// MaxImportProblems caps the problems a report lists; counting goes on.
const MaxImportProblems = 1000

// importWindow is how many records the importer reads ahead: it looks up the stored rows
// they name with one query per record type and inserts the new ones together.
const importWindow = 500

// windowSize is importWindow, but for tests that make a small bundle span windows.
var windowSize = importWindow

// Import upserts the records next yields (io.EOF ends them) in one transaction: an
// entity whose id (or, without one, slug) exists is updated, or left alone when nothing
// differs, so importing the same bundle twice changes nothing; ids, versions and
// timestamps in the records are kept. A rejected line is reported (by number, with its
// problem) and the others go on. The transaction is rolled back on a dry run, when the
// import is atomic and a line was rejected, and when ctx is cancelled.
//
// Records are taken a window at a time: the stored rows they name are read in one query
// per type, unchanged ones are skipped, and new ones are inserted with multi-row INSERTs
// once the window is read. Only updates, records without a slug to look them up by, and
// a window whose batch insert the database refuses go one line at a time, each under a
// savepoint, so that the outcome is the one of importing line by line.
//
// One thing differs from line by line: a record may name one of its own kind on a later
// line, in the same window or any later one (an actor's affiliation, the organisations of
// its positions and the actors of its relations, an event's parent or relations, a
// relation's events). It waits until that line is in, as does whatever
// names a waiting record or repeats its id or slug; up to maxWaiting records wait at
// once. Relations between events never make an event wait for one that waits: each
// event goes in without the relation, which follows its target. What still waits at the
// end is refused: a cycle of affiliations or parents with the lines that make it, and
// the rest as line by line would. See importer.hold.
func (s *Store) Import(ctx context.Context, next func() (ImportRecord, error), opt ImportOptions) (*ImportReport, error) {
	return s.importRecords(ctx, next, opt, nil)
}

// importStages are what a kind of import does in its transaction around the records:
// before them (after the import's own settings), and after the last one, when the
// import is about to commit.
type importStages struct {
	before, after func(tx *gorm.DB) error
	// empty says the database is empty once before has run: the import then keeps its
	// own list of what is stored (importer.inserted).
	empty bool
}

// importRecords is Import, with stages (nil for none) run in its transaction.
func (s *Store) importRecords(ctx context.Context, next func() (ImportRecord, error), opt ImportOptions, stages *importStages) (*ImportReport, error) {
	rep := &ImportReport{Counts: map[string]*ImportCounts{}, Problems: []ImportProblem{}, DryRun: opt.DryRun, Atomic: opt.Atomic}
	errRollback := errors.New("rollback")
	db, conn, err := s.importConn(ctx)
	if err != nil {
		return rep, dbError(err, "import")
	}
	if conn != nil {
		defer conn.Close()
	}
	windows, stop := readAhead(next)
	defer stop()
	err = transactOnce(ctx, db, func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			// An import's statements grow with its windows and its transaction with the
			// bundle: the serving statement timeout is lifted for this transaction only.
			// The serving plan_cache_mode (force_custom_plan, see pgDialector) would plan
			// anew the foreign-key check of every row written, a prepared statement of
			// the server's own: with plans cached, writing an event's participants,
			// sources and tags took a quarter of the time.
			if err := tx.Exec("SET LOCAL statement_timeout = 0; SET LOCAL plan_cache_mode = auto").Error; err != nil {
				return err
			}
		}
		if stages != nil && stages.before != nil {
			if err := stages.before(tx); err != nil {
				return err
			}
		}
		tx, err := startStaging(tx)
		if err != nil {
			return err
		}
		im := &importer{tx: tx, rep: rep, wait: newWaitRoom(), s: s}
		if stages != nil && stages.empty {
			im.inserted = refCache{}
		}
		if conn != nil {
			im.tx = copying(tx, conn)
		}
		for {
			var w readWindow
			var more bool
			select {
			case w, more = <-windows:
			case <-ctx.Done():
				return ctx.Err()
			}
			if !more {
				break
			}
			if w.err != nil {
				return w.err
			}
			if err := im.window(ctx, w.recs); err != nil {
				return err
			}
		}
		if err := im.finish(ctx); err != nil {
			return err
		}
		if err := mergeStaging(tx); err != nil {
			return err
		}
		slices.SortStableFunc(rep.Problems, func(a, b ImportProblem) int { return a.Line - b.Line })
		if opt.DryRun || (opt.Atomic && im.rejected > 0) {
			return errRollback
		}
		if stages != nil && stages.after != nil {
			return stages.after(tx)
		}
		return nil
	})
	switch {
	case errors.Is(err, errRollback):
	case err != nil:
		return rep, dbError(err, "import")
	default:
		rep.Committed = true
		if err := s.analyze(ctx, rep); err != nil {
			return rep, dbError(err, "import")
		}
	}
	return rep, nil
}

// importConn is the database an import's transaction begins on: on PostgreSQL a
// connection of its own (conn, for the caller to close), whose pgx connection the
// import reaches for COPY; on SQLite the store's pool, and conn is nil.
func (s *Store) importConn(ctx context.Context) (*gorm.DB, *sql.Conn, error) {
	if s.dialect != Postgres {
		return s.db, nil, nil
	}
	sqlDB, err := s.sqlDB()
	if err != nil {
		return nil, nil, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	db := s.db.Session(&gorm.Session{NewDB: true, Context: ctx})
	db.Statement.ConnPool = conn
	return db, conn, nil
}

// analyzeAfter is how many rows an import writes before it refreshes the planner's
// statistics itself.
const analyzeAfter = 1000

// importTables are the tables an import of records of type kind writes.
func importTables(kind string) []string {
	if kind == models.RelationRecordType {
		return []string{tableOf(&models.Relation{})}
	}
	if kind == models.RedirectRecordType {
		return []string{tableOf(&models.Redirect{})}
	}
	if k, ok := models.KindNamed(kind); ok {
		return append(kindTables(k), nameTables(k)...)
	}
	return nil
}

// analyze refreshes the planner's statistics of the tables a large import wrote. Without
// them PostgreSQL plans for tables as they were (empty, often) until autovacuum comes
// by, if it runs at all: a bundle export after a fresh import scanned every participant
// row per page of 500 events and took twice as long.
func (s *Store) analyze(ctx context.Context, rep *ImportReport) error {
	written := 0
	tables := []string{"revisions"}
	for _, kind := range importOrder() {
		c := rep.Counts[kind]
		if c == nil || c.Created+c.Updated == 0 {
			continue
		}
		written += c.Created + c.Updated
		more := importTables(kind)
		if kind == models.KindEvent.Name {
			more = append(more, rollupTableNames...) // the event spec's hooks wrote them
		}
		for _, t := range more {
			if !slices.Contains(tables, t) {
				tables = append(tables, t)
			}
		}
	}
	if written < analyzeAfter {
		return nil
	}
	db := s.db.WithContext(ctx)
	if s.dialect == SQLite {
		return db.Exec("ANALYZE").Error
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL statement_timeout = 0").Error; err != nil {
			return err
		}
		return tx.Exec("ANALYZE " + strings.Join(tables, ", ")).Error
	})
}

// readWindow is one window of records as read, or the error that ended reading.
type readWindow struct {
	recs []ImportRecord
	err  error
}

// readAhead reads (and so decodes) the next window while the current one is written,
// so that decoding and the database work in parallel. The channel closes after the last
// window; stop ends reading early.
func readAhead(next func() (ImportRecord, error)) (<-chan readWindow, func()) {
	out := make(chan readWindow, 1)
	done := make(chan struct{})
	size := windowSize
	go func() {
		defer close(out)
		for {
			var w readWindow
			eof := false
			for len(w.recs) < size {
				rec, err := next()
				if err == io.EOF {
					eof = true
					break
				}
				if err != nil {
					w.err = err
					break
				}
				w.recs = append(w.recs, rec)
			}
			select {
			case out <- w:
			case <-done:
				return
			}
			if eof || w.err != nil {
				return
			}
		}
	}()
	return out, func() { close(done) }
}

// importer carries one import's transaction and report, and what the current window
// knows.
type importer struct {
	s        *Store
	tx       *gorm.DB
	rep      *ImportReport
	rejected int
	// cache holds the references known to exist, for the current window.
	cache refCache
	// seq numbers the windows; kinds and run belong to the current one: how it handles
	// each record type, and its new records waiting for the batch insert.
	seq   int
	kinds map[string]windowKind
	run   []*item
	// wait holds the records that wait for a later line (see hold).
	wait waitRoom
	// inserted, for a bulk import, holds the key (as a refCache) of every entity the
	// import inserted: the database was empty and is locked, so these are all the
	// stored ones, and a look-up of any other finds nothing without asking the
	// database. nil for a normal import, and once the bulk import updated an entity
	// (whose old slug would stay here).
	inserted refCache
}

// stored is es (records of kind) less those a bulk import knows are not stored.
func (im *importer) stored(kind string, es []any) []any {
	if im.inserted == nil || slices.Contains(models.ExtraRecordTypes, kind) {
		return es
	}
	var out []any
	for _, e := range es {
		for _, k := range im.ownKeys(ImportRecord{Kind: kind, Entity: e}) {
			if im.inserted.has(k) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// stores notes, for a bulk import, that rec's entity is now stored.
func (im *importer) stores(rec ImportRecord) {
	if im.inserted == nil {
		return
	}
	m := metaOf(rec.Entity)
	if m == nil {
		return
	}
	for _, k := range im.ownKeys(rec) {
		im.inserted[k] = m.ID
	}
}

// item is one record on its way through the importer.
type item struct {
	rec ImportRecord
	// window is the seq of the window that read it (or released it, for a derived one).
	window int
	// derived marks a relation that an event line named before its target was in; it is
	// imported once the target is, and not counted as a line of its own. follows and
	// target are the relation and its event: the record is made from their ids once
	// both are stored, which a refused batch may change.
	derived bool
	follows *followingRelation
	target  *item
	// imported is set once the record is stored or found unchanged; done, once it is
	// stored, unchanged or refused.
	imported, done bool
	// wait is its waiting state while it waits (or is released and not looked at
	// again yet); waited is set once it has waited.
	wait   *waitState
	waited bool
	// fetched is the seq of the window whose cache last learnt what it names, for a
	// record that waits beyond the window that read it.
	fetched int
}

func (im *importer) counts(kind string) *ImportCounts {
	c := im.rep.Counts[kind]
	if c == nil {
		c = &ImportCounts{}
		im.rep.Counts[kind] = c
	}
	return c
}

func (im *importer) reject(rec ImportRecord, err error) {
	im.counts(rec.Kind).Rejected++
	im.rejected++
	if len(im.rep.Problems) >= MaxImportProblems {
		return
	}
	p := ImportProblem{Line: rec.Line, Type: rec.Kind, Detail: err.Error()}
	var me *models.Error
	if errors.As(err, &me) {
		p.Detail, p.Errors = me.Message, me.Fields
	}
	im.rep.Problems = append(im.rep.Problems, p)
}

// fatal reports whether err ends the whole import rather than one line.
func fatal(err error) bool {
	code := models.ErrorCodeOf(err)
	return code == models.EINTERNAL || code == models.EUNAVAILABLE
}

// kind is how the current window handles records of kind, made on first use for
// records it did not read (released from an earlier window); nil for an unknown kind.
func (im *importer) kind(kind string) windowKind {
	w := im.kinds[kind]
	if w == nil {
		if w = newWindowKind(kind, im.cache); w != nil {
			im.kinds[kind] = w
		}
	}
	return w
}

// window imports one window of records. What it knows of stored rows (the reference
// cache, the rows its records name) lives as long as the window: an import's memory does
// not grow with its size, but for the records that wait for a later line (maxWaiting).
func (im *importer) window(ctx context.Context, recs []ImportRecord) error {
	im.cache = refCache{}
	im.seq++
	im.kinds = map[string]windowKind{}
	grouped := map[string][]any{}
	for _, rec := range recs {
		if rec.Err == nil {
			grouped[rec.Kind] = append(grouped[rec.Kind], rec.Entity)
		}
	}
	for kind, es := range grouped {
		w := newWindowKind(kind, im.cache)
		if w == nil {
			continue
		}
		im.kinds[kind] = w
		if es = im.stored(kind, es); len(es) == 0 {
			continue
		}
		if err := w.load(ctx, im.tx, es); err != nil {
			return dbError(err, kind)
		}
	}
	if err := im.prefetch(ctx, recs); err != nil {
		return dbError(err, "import")
	}
	for _, rec := range recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		im.rep.Lines++
		im.counts(rec.Kind)
		if rec.Err != nil {
			im.reject(rec, rec.Err)
			continue
		}
		if im.kinds[rec.Kind] == nil {
			im.reject(rec, models.Errorf(models.EUNPROCESSABLE, "unknown record type %q", rec.Kind))
			continue
		}
		rec.Stated = statedOf(rec)
		if err := checkMeta(rec); err != nil {
			im.reject(rec, err)
			continue
		}
		if err := im.admit(ctx, &item{rec: rec, window: im.seq}); err != nil {
			return err
		}
	}
	return im.flush(ctx)
}

// statedOf is what rec states of its meta: what the line named, or what is not zero.
func statedOf(rec ImportRecord) *models.MetaMembers {
	if rec.Stated != nil {
		return rec.Stated
	}
	st := models.MetaMembers{}
	if m := metaOf(rec.Entity); m != nil {
		st = models.MetaMembers{ID: !m.ID.IsZero(), Version: m.Version != 0, CreatedAt: !m.CreatedAt.IsZero(), UpdatedAt: !m.UpdatedAt.IsZero()}
	}
	return &st
}

// metaOf is e's meta, nil for a relation.
func metaOf(e any) *models.Meta {
	if x, ok := e.(interface{ GetMeta() *models.Meta }); ok {
		return x.GetMeta()
	}
	return nil
}

// checkMeta refuses stated meta no database holds: the nil UUID, which names nothing
// (a reference to it reads as no reference), and a version below 1. Past this check a
// zero id or version means the record left it out.
func checkMeta(rec ImportRecord) error {
	m := metaOf(rec.Entity)
	if m == nil {
		return nil
	}
	v := models.NewValidation(models.EUNPROCESSABLE)
	if rec.Stated.ID && m.ID.IsZero() {
		v.Add("id", "is the nil UUID, which names nothing; leave id out for a new entity")
	}
	if rec.Stated.Version && m.Version < 1 {
		v.Add("version", "must be 1 or more")
	}
	return v.Err()
}

// admit imports it, unless it must wait for a later line, and then whatever was waiting
// for it, in the order they were released. A cancelled import stops here too: one
// line may release all that waits.
func (im *importer) admit(ctx context.Context, it *item) error {
	queue := []*item{it}
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		it := queue[0]
		queue = queue[1:]
		held, released, err := im.hold(ctx, it)
		queue = append(queue, released...)
		switch {
		case err != nil && fatal(err):
			return err
		case err != nil:
			im.reject(it.rec, err)
			queue = append(queue, im.release(it, false)...)
			continue
		case held:
			continue
		}
		ok, err := im.process(ctx, it)
		if err != nil {
			return err
		}
		it.imported = ok
		queue = append(queue, im.release(it, ok)...)
	}
	return nil
}

// process imports one record that waits for nothing: decided against what the window
// knows when the window read it, else on its own once the window's new records are in.
// ok says it is stored (or about to be, with the batch) or unchanged.
func (im *importer) process(ctx context.Context, it *item) (ok bool, err error) {
	rec := it.rec
	if !it.derived && it.window == im.seq {
		act, err := im.kinds[rec.Kind].decide(ctx, im.tx, rec.Entity, *rec.Stated)
		switch {
		case err != nil && fatal(err):
			return false, err
		case err != nil:
			im.reject(rec, err)
			return false, nil
		case act == actNew:
			im.run = append(im.run, it)
			return true, nil
		case act == actUnchanged:
			im.counts(rec.Kind).Unchanged++
			return true, nil
		}
	}
	if err := im.flush(ctx); err != nil {
		return false, err
	}
	if it.derived {
		f := it.follows
		it.rec.Entity = &models.RelationRecord{EventID: metaOf(f.from.rec.Entity).ID, Type: f.rel.Type, RelatedID: metaOf(it.target.rec.Entity).ID}
	}
	return im.slow(ctx, it)
}

// prefetch looks up everything the records refer to at once, one query per table and
// kind of key, so that checking the records needs no round trip of its own.
func (im *importer) prefetch(ctx context.Context, recs []ImportRecord) error {
	type wanted struct {
		ids   map[models.ID]bool
		slugs map[string]bool
	}
	wants := map[string]*wanted{}
	collect := collectingResolver(im.tx, func(k *models.Kind, ref models.Ref) {
		table := k.Table
		key := refKey(table, ref)
		if im.cache.has(key) {
			return
		}
		if im.inserted != nil {
			// A bulk import: what this import did not insert is nowhere.
			if id, ok := im.inserted[key]; ok {
				im.cache[key] = id
			}
			return
		}
		w := wants[table]
		if w == nil {
			w = &wanted{ids: map[models.ID]bool{}, slugs: map[string]bool{}}
			wants[table] = w
		}
		if ref.Resolved() {
			w.ids[ref.ID] = true
		} else {
			w.slugs[ref.Slug] = true
		}
	})
	for _, rec := range recs {
		if w := im.kinds[rec.Kind]; w != nil && rec.Err == nil {
			w.refs(collect, rec.Entity)
		}
	}
	for table, w := range wants {
		for chunk := range slices.Chunk(slices.Collect(maps.Keys(w.ids)), insertBatch) {
			var found []models.ID
			if err := im.tx.Table(table).Where("id IN ?", chunk).Pluck("id", &found).Error; err != nil {
				return err
			}
			for _, id := range found {
				im.cache.remember(table, id, "")
			}
		}
		for chunk := range slices.Chunk(slices.Collect(maps.Keys(w.slugs)), insertBatch) {
			var found []struct {
				ID   models.ID
				Slug string
			}
			if err := im.tx.Table(table).Select("id, slug").Where("slug IN ?", chunk).Scan(&found).Error; err != nil {
				return err
			}
			for _, f := range found {
				im.cache.remember(table, f.ID, f.Slug)
			}
		}
		if err := im.prefetchRedirects(table, w.ids, w.slugs); err != nil {
			return err
		}
	}
	return nil
}

// prefetchRedirects looks up, in one query, the references of a window to table that
// name no stored row: an old id or slug of a merged entity lands on the survivor.
func (im *importer) prefetchRedirects(table string, ids map[models.ID]bool, slugs map[string]bool) error {
	k := kindOfTable(table)
	if k == nil || !k.Slug {
		return nil
	}
	var missIDs []models.ID
	var missSlugs []string
	for id := range ids {
		if !im.cache.has(refKey(table, models.Ref{ID: id})) {
			missIDs = append(missIDs, id)
		}
	}
	for s := range slugs {
		if !im.cache.has(refKey(table, models.Ref{Slug: s})) {
			missSlugs = append(missSlugs, s)
		}
	}
	if len(missIDs)+len(missSlugs) == 0 || len(missIDs)+len(missSlugs) > insertBatch {
		return nil // more than a batch: each is looked up on its own (resolver.ref)
	}
	rs, err := redirectsIn(im.tx, k, missIDs, missSlugs)
	if err != nil {
		return err
	}
	rememberRedirects(im.cache, k, rs)
	return nil
}

// kindOfTable is the kind whose table is table, nil for none.
func kindOfTable(table string) *models.Kind {
	for _, k := range models.Kinds {
		if k.Table == table {
			return k
		}
	}
	return nil
}

// flush inserts the window's new records together. Should the database refuse, they
// are rolled back and imported line by line, which finds and reports the culprit.
func (im *importer) flush(ctx context.Context) error {
	run := im.run
	im.run = nil
	if len(run) == 0 {
		return nil
	}
	tx := im.tx
	if err := tx.SavePoint("batch").Error; err != nil {
		return err
	}
	var err error
	for _, kind := range importOrder() {
		var es []any
		for _, it := range run {
			if it.rec.Kind == kind {
				es = append(es, it.rec.Entity)
			}
		}
		if len(es) == 0 {
			continue
		}
		if err = im.kinds[kind].flush(ctx, tx, es); err != nil {
			break
		}
	}
	if err == nil {
		for _, w := range im.kinds {
			w.settle()
		}
		for _, it := range run {
			im.counts(it.rec.Kind).Created++
			im.stores(it.rec)
		}
		return tx.Exec("RELEASE SAVEPOINT batch").Error
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if err := tx.RollbackTo("batch").Error; err != nil {
		return err
	}
	if err := tx.Exec("RELEASE SAVEPOINT batch").Error; err != nil {
		return err
	}
	for _, w := range im.kinds {
		w.drop()
	}
	for _, it := range run {
		ok, err := im.slow(ctx, it)
		if err != nil {
			return err
		}
		it.imported = ok
	}
	return nil
}

// slow imports one record on its own, under a savepoint so that a rejected line leaves
// nothing behind; ok says it is stored or unchanged.
func (im *importer) slow(ctx context.Context, it *item) (ok bool, err error) {
	tx, rec := im.tx, it.rec
	if err := tx.SavePoint("line").Error; err != nil {
		return false, err
	}
	o, lineErr := im.kind(rec.Kind).restore(ctx, tx, rec.Entity, *rec.Stated)
	if lineErr != nil {
		if fatal(lineErr) {
			return false, lineErr
		}
		if err := tx.RollbackTo("line").Error; err != nil {
			return false, err
		}
	}
	// Release the savepoint either way: kept, they would nest one subtransaction per
	// line and exhaust PostgreSQL's lock table.
	if err := tx.Exec("RELEASE SAVEPOINT line").Error; err != nil {
		return false, err
	}
	if lineErr != nil {
		im.reject(rec, lineErr)
		return false, nil
	}
	if it.derived {
		return true, nil
	}
	c := im.counts(rec.Kind)
	switch o {
	case restoredCreated:
		c.Created++
		im.stores(rec)
	case restoredUpdated:
		c.Updated++
		im.inserted = nil
	default:
		c.Unchanged++
	}
	return true, nil
}

type restoreOutcome int

const (
	restoredUnchanged restoreOutcome = iota
	restoredCreated
	restoredUpdated
)

// restore upserts e by id (or, without an id, by slug): created when new, left alone when
// equal to what is stored, else overwritten. Meta that stated names (a bundle's) is kept,
// zero values included; the rest gets what a normal write would give.
func (sp *spec[T, P]) restore(ctx context.Context, tx *gorm.DB, cache refCache, e P, stated models.MetaMembers) (restoreOutcome, error) {
	m := e.GetMeta()
	var cur P
	switch {
	case !m.ID.IsZero():
		c, err := sp.find(tx, m.ID.String(), true)
		if err != nil && models.ErrorCodeOf(err) != models.ENOTFOUND {
			return 0, err
		}
		cur = c
	case sp.hasSlug() && *sp.slug(e) != "":
		c, err := sp.find(tx, *sp.slug(e), true)
		if err != nil && models.ErrorCodeOf(err) != models.ENOTFOUND {
			return 0, err
		}
		cur = c
	}
	if cur == nil {
		if merged, err := sp.wasMerged(tx, e); err != nil || merged {
			return restoredUnchanged, err
		}
		fillNewMeta(m, stated)
		if err := sp.prepare(tx, cache, e, nil); err != nil {
			return 0, err
		}
		if err := sp.insertNew(ctx, tx, []P{e}); err != nil {
			return 0, dbError(err, sp.kind.Name)
		}
		cache.remember(sp.kind.Table, m.ID, sp.slugOf(e))
		return restoredCreated, nil
	}
	if sp.loadChildren != nil {
		if err := sp.loadChildren(tx, []P{cur}); err != nil {
			return 0, dbError(err, sp.kind.Name)
		}
	}
	same, err := sp.merge(tx, cache, cur, e, stated)
	if err != nil || same {
		return restoredUnchanged, err
	}
	cm := cur.GetMeta()
	switch {
	case !stated.Version:
		m.Version, m.UpdatedAt = cm.Version+1, now()
	case !stated.UpdatedAt:
		m.UpdatedAt = now()
	}
	if err := sp.update(ctx, tx, cur, e); err != nil {
		return 0, dbError(err, sp.kind.Name)
	}
	cache.forget(sp.kind.Table, cm.ID, sp.slugOf(cur))
	cache.remember(sp.kind.Table, m.ID, sp.slugOf(e))
	return restoredUpdated, nil
}

// fillNewMeta gives a new entity what its record left out: an id, version 1 and now.
// A stated time is kept even when it is the zero time.
func fillNewMeta(m *models.Meta, stated models.MetaMembers) {
	if m.ID.IsZero() {
		m.ID = models.NewID()
	}
	if m.Version == 0 {
		m.Version = 1
	}
	if !stated.CreatedAt {
		m.CreatedAt = now()
	}
	if !stated.UpdatedAt {
		m.UpdatedAt = m.CreatedAt
	}
}

// merge makes e what importing it over the stored cur would store (cur's id, its slug
// and relations where e has none, its meta where e states no version, its timestamps
// where e states none), checks it, and says whether that equals cur.
func (sp *spec[T, P]) merge(tx *gorm.DB, cache refCache, cur, e P, stated models.MetaMembers) (same bool, err error) {
	m, cm := e.GetMeta(), cur.GetMeta()
	m.ID = cm.ID
	if sp.relations != nil && *sp.relations(e) == nil {
		// A bundle carries relations as records of their own: keep the stored ones.
		*sp.relations(e) = *sp.relations(cur)
	}
	if sp.hasSlug() && *sp.slug(e) == "" {
		*sp.slug(e) = *sp.slug(cur)
	}
	if err := sp.prepare(tx, cache, e, cur); err != nil {
		return false, err
	}
	if !stated.Version {
		*m = *cm
	} else {
		if !stated.CreatedAt {
			m.CreatedAt = cm.CreatedAt
		}
		if !stated.UpdatedAt {
			m.UpdatedAt = cm.UpdatedAt
		}
	}
	if sp.normalize != nil {
		sp.normalize(e)
	}
	return sameJSON(cur, e)
}

// snapshot saves what merge changes in e and returns the function that puts it back.
func (sp *spec[T, P]) snapshot(e P) func() {
	m := e.GetMeta()
	meta, slug := *m, sp.slugOf(e)
	var rels []models.Relation
	if sp.relations != nil {
		rels = *sp.relations(e)
	}
	return func() {
		*m = meta
		if sp.hasSlug() {
			*sp.slug(e) = slug
		}
		if sp.relations != nil {
			*sp.relations(e) = rels
		}
	}
}

// slugOf is e's slug, "" for entities without one.
func (sp *spec[T, P]) slugOf(e P) string {
	if sp.hasSlug() {
		return *sp.slug(e)
	}
	return ""
}

func sameJSON(a, b any) (bool, error) {
	x, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	y, err := json.Marshal(b)
	return string(x) == string(y), err
}

// checkRelation validates a relation record and resolves the two events it links, with
// the references cache knows.
func checkRelation(tx *gorm.DB, cache refCache, r *models.RelationRecord) error {
	v := models.NewValidation(models.EUNPROCESSABLE)
	if err := resolveRelation(lookupResolver(tx, v, cache), r); err != nil {
		return dbError(err, "relation")
	}
	return v.Err()
}

// resolveRelation checks a relation record into r.v and hands r the two events it links.
func resolveRelation(r *resolver, rec *models.RelationRecord) error {
	if !rec.Type.Valid() {
		r.v.Add("type", "must be one of %v", models.RelationTypes)
	}
	if rec.EventID == rec.RelatedID {
		r.v.Add("related_id", "an event cannot relate to itself")
	}
	for _, ref := range []struct {
		field string
		id    models.ID
	}{{"event_id", rec.EventID}, {"related_id", rec.RelatedID}} {
		if err := r.ref(models.KindEvent, ref.field, models.RefTo(ref.id)); err != nil {
			return err
		}
	}
	return nil
}

// restoreRelation adds a relation between two existing events unless it is there.
func restoreRelation(tx *gorm.DB, cache refCache, r *models.RelationRecord) (restoreOutcome, error) {
	if err := checkRelation(tx, cache, r); err != nil {
		return 0, err
	}
	var n int64
	if err := tx.Model(&models.Relation{}).Where("event_id = ? AND type = ? AND related_id = ?", r.EventID, r.Type, r.RelatedID).Count(&n).Error; err != nil {
		return 0, dbError(err, "relation")
	}
	if n > 0 {
		return restoredUnchanged, nil
	}
	rel := models.Relation{EventID: r.EventID, Type: r.Type, Related: models.Ref{ID: r.RelatedID}}
	if err := tx.Create(&rel).Error; err != nil {
		return 0, dbError(err, "relation")
	}
	return restoredCreated, nil
}
