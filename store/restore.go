package store

import (
	"context"
	"encoding/json"
	"errors"
	"io"

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

// Import upserts the records next yields (io.EOF ends them) in one transaction: an
// entity whose id exists is updated, or left alone when nothing differs, so importing the
// same bundle twice changes nothing; ids, versions and timestamps in the records are
// kept. Each line runs under a savepoint, so a rejected line is reported (by number, with
// its problem) and the others go on. The transaction is rolled back on a dry run, when
// the import is atomic and a line was rejected, and when ctx is cancelled.
func (s *Store) Import(ctx context.Context, next func() (ImportRecord, error), opt ImportOptions) (*ImportReport, error) {
	rep := &ImportReport{Counts: map[string]*ImportCounts{}, Problems: []ImportProblem{}, DryRun: opt.DryRun, Atomic: opt.Atomic}
	ctx = withRefCache(ctx)
	errRollback := errors.New("rollback")
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		rejected := 0
		for {
			rec, err := next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			rep.Lines++
			c := rep.Counts[rec.Kind]
			if c == nil {
				c = &ImportCounts{}
				rep.Counts[rec.Kind] = c
			}
			outcome, lineErr := rec.Err, error(nil)
			if outcome == nil {
				if err := tx.SavePoint("line").Error; err != nil {
					return err
				}
				var o restoreOutcome
				o, lineErr = s.restoreRecord(ctx, tx, rec)
				if lineErr != nil {
					if models.ErrorCodeOf(lineErr) == models.EINTERNAL || models.ErrorCodeOf(lineErr) == models.EUNAVAILABLE {
						return lineErr
					}
					if err := tx.RollbackTo("line").Error; err != nil {
						return err
					}
				}
				// Release the savepoint either way: kept, they would nest one
				// subtransaction per line and exhaust PostgreSQL's lock table.
				if err := tx.Exec("RELEASE SAVEPOINT line").Error; err != nil {
					return err
				}
				if lineErr == nil {
					switch o {
					case restoredCreated:
						c.Created++
					case restoredUpdated:
						c.Updated++
					default:
						c.Unchanged++
					}
				}
			} else {
				lineErr = outcome
			}
			if lineErr != nil {
				c.Rejected++
				rejected++
				if len(rep.Problems) < MaxImportProblems {
					p := ImportProblem{Line: rec.Line, Type: rec.Kind, Detail: lineErr.Error()}
					var me *models.Error
					if errors.As(lineErr, &me) {
						p.Detail, p.Errors = me.Message, me.Fields
					}
					rep.Problems = append(rep.Problems, p)
				}
			}
		}
		if opt.DryRun || (opt.Atomic && rejected > 0) {
			return errRollback
		}
		return nil
	})
	switch {
	case errors.Is(err, errRollback):
	case err != nil:
		return rep, dbError(err, "import")
	default:
		rep.Committed = true
	}
	return rep, nil
}

type restoreOutcome int

const (
	restoredUnchanged restoreOutcome = iota
	restoredCreated
	restoredUpdated
)

func (s *Store) restoreRecord(ctx context.Context, tx *gorm.DB, rec ImportRecord) (restoreOutcome, error) {
	switch e := rec.Entity.(type) {
	case *models.Actor:
		return actorSpec.restore(ctx, tx, e)
	case *models.Location:
		return locationSpec.restore(ctx, tx, e)
	case *models.Source:
		return sourceSpec.restore(ctx, tx, e)
	case *models.Event:
		return eventSpec.restore(ctx, tx, e)
	case *models.Statement:
		return statementSpec.restore(ctx, tx, e)
	case *models.RelationRecord:
		return restoreRelation(tx, e)
	}
	return 0, models.Errorf(models.EUNPROCESSABLE, "unknown record type %q", rec.Kind)
}

// restore upserts e by id (or, without an id, by slug): created when new, left alone when
// equal to what is stored, else overwritten. Meta given in e (a bundle's) is kept; zero
// meta gets what a normal write would give.
func (sp *spec[T, P]) restore(ctx context.Context, tx *gorm.DB, e P) (restoreOutcome, error) {
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
		if m.ID.IsZero() {
			m.ID = models.NewID()
		}
		t := now()
		if m.Version == 0 {
			m.Version = 1
		}
		if m.CreatedAt.IsZero() {
			m.CreatedAt = t
		}
		if m.UpdatedAt.IsZero() {
			m.UpdatedAt = m.CreatedAt
		}
		if err := sp.prepare(ctx, tx, e); err != nil {
			return 0, err
		}
		if err := tx.Table(sp.table).Create(e).Error; err != nil {
			return 0, dbError(err, sp.kind)
		}
		if err := sp.afterSave(ctx, tx, nil, e, models.ActionCreate, false); err != nil {
			return 0, err
		}
		return restoredCreated, nil
	}
	if sp.loadChildren != nil {
		if err := sp.loadChildren(tx, []P{cur}); err != nil {
			return 0, err
		}
	}
	cm := cur.GetMeta()
	m.ID = cm.ID
	if ev, ok := any(e).(*models.Event); ok && ev.Relations == nil {
		// A bundle carries relations as records of their own: keep the stored ones.
		ev.Relations = any(cur).(*models.Event).Relations
	}
	if sp.hasSlug() && *sp.slug(e) == "" {
		*sp.slug(e) = *sp.slug(cur)
	}
	if err := sp.prepare(ctx, tx, e); err != nil {
		return 0, err
	}
	given := *m
	if m.Version == 0 {
		*m = *cm
	}
	same, err := sameJSON(cur, e)
	if err != nil {
		return 0, err
	}
	if same {
		return restoredUnchanged, nil
	}
	if given.Version == 0 {
		m.Version, m.UpdatedAt = cm.Version+1, now()
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = cm.CreatedAt
	}
	if m.UpdatedAt.IsZero() {
		m.UpdatedAt = now()
	}
	if err := tx.Table(sp.table).Select("*").Where("id = ?", m.ID).Updates(e).Error; err != nil {
		return 0, dbError(err, sp.kind)
	}
	if err := sp.afterSave(ctx, tx, cur, e, models.ActionUpdate, true); err != nil {
		return 0, err
	}
	return restoredUpdated, nil
}

// afterSave writes the child rows, derived data and the revision of a saved entity.
func (sp *spec[T, P]) afterSave(ctx context.Context, tx *gorm.DB, old, e P, action models.Action, replace bool) error {
	if sp.saveChildren != nil {
		if err := sp.saveChildren(tx, e, replace); err != nil {
			return dbError(err, sp.kind)
		}
	}
	if sp.afterWrite != nil {
		if err := sp.afterWrite(tx, old, e); err != nil {
			return dbError(err, sp.kind)
		}
	}
	return dbError(writeRevision(ctx, tx, sp.kind, e.GetMeta(), action, e), sp.kind)
}

func sameJSON(a, b any) (bool, error) {
	x, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	y, err := json.Marshal(b)
	return string(x) == string(y), err
}

// restoreRelation adds a relation between two existing events unless it is there.
func restoreRelation(tx *gorm.DB, r *models.RelationRecord) (restoreOutcome, error) {
	v := models.NewValidation(models.EUNPROCESSABLE)
	if !r.Type.Valid() {
		v.Add("type", "must be one of %v", models.RelationTypes)
	}
	if r.EventID == r.RelatedID {
		v.Add("related_id", "an event cannot relate to itself")
	}
	res := newResolver(context.Background(), tx, v)
	for _, ref := range []struct {
		field string
		id    models.ID
	}{{"event_id", r.EventID}, {"related_id", r.RelatedID}} {
		if err := res.ref("events", "event", ref.field, models.RefTo(ref.id)); err != nil {
			return 0, dbError(err, "relation")
		}
	}
	if err := v.Err(); err != nil {
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
