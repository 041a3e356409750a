package store

import (
	"context"
	"slices"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// StreamBatch is how many rows a streaming read loads at a time: the memory a stream
// holds whatever the total.
const StreamBatch = 500

// StreamEvents calls fn for every event f selects, in f's sort order, loading them a
// page at a time with everything f.Include asks for. It stops at the first error fn
// returns and when ctx is cancelled (a client that disconnects).
func (s *Store) StreamEvents(ctx context.Context, f EventFilter, fn func(*models.Event) error) error {
	f.Limit, f.Cursor = StreamBatch, ""
	for {
		if err := ctx.Err(); err != nil {
			return dbError(err, "export")
		}
		p, err := s.ListEvents(ctx, f)
		if err != nil {
			return err
		}
		for i := range p.Items {
			if err := fn(&p.Items[i]); err != nil {
				return err
			}
		}
		if p.NextCursor == "" {
			return nil
		}
		f.Cursor = p.NextCursor
	}
}

// Bundle record types, in the order a bundle lists them.
const (
	BundleActor     = "actor"
	BundleLocation  = "location"
	BundleSource    = "source"
	BundleEvent     = "event"
	BundleRelation  = "relation"
	BundleStatement = "statement"
)

// StreamBundle calls fn with every entity of the database in dependency order: actors
// (affiliations before the actors that point at them), locations, sources, events
// (series before their rounds; without their relations), relations, statements. Each
// kind is read in id order, a batch at a time. Reading it back with Import into an empty
// database reproduces every row, id, version and timestamp.
func (s *Store) StreamBundle(ctx context.Context, fn func(kind string, v any) error) error {
	db := s.db.WithContext(ctx)
	if err := streamByLevel(db, "actors", "affiliation_id", func(ids []models.ID) error {
		var rows []models.Actor
		if err := db.Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
			return err
		}
		return each(rows, func(a *models.Actor) error { return fn(BundleActor, a) })
	}); err != nil {
		return dbError(err, "bundle")
	}
	if err := streamTable[models.Location](db, "locations", nil, func(l *models.Location) error { return fn(BundleLocation, l) }); err != nil {
		return dbError(err, "bundle")
	}
	if err := streamTable[models.Source](db, "sources", nil, func(x *models.Source) error { return fn(BundleSource, x) }); err != nil {
		return dbError(err, "bundle")
	}
	if err := streamByLevel(db, "events", "parent_id", func(ids []models.ID) error {
		var rows []models.Event
		if err := db.Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
			return err
		}
		ptrs := make([]*models.Event, len(rows))
		for i := range rows {
			ptrs[i] = &rows[i]
		}
		if err := loadEventChildren(db, ptrs); err != nil {
			return err
		}
		return each(rows, func(e *models.Event) error {
			e.Relations = nil
			return fn(BundleEvent, e)
		})
	}); err != nil {
		return dbError(err, "bundle")
	}
	if err := streamRelations(db, func(r *models.Relation) error {
		return fn(BundleRelation, &models.RelationRecord{EventID: r.EventID, Type: r.Type, RelatedID: r.Related.ID})
	}); err != nil {
		return dbError(err, "bundle")
	}
	err := streamTable[models.Statement](db, "statements", func(tx *gorm.DB, rows []models.Statement) error {
		ptrs := make([]*models.Statement, len(rows))
		for i := range rows {
			ptrs[i] = &rows[i]
		}
		return loadStatementChildren(tx, ptrs)
	}, func(st *models.Statement) error { return fn(BundleStatement, st) })
	return dbError(err, "bundle")
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

// streamByLevel hands out the ids of table level by level of the self-reference column:
// rows without it first (in id order, a batch at a time), then the rows that point at
// those, and so on. Only the rows that have a reference are held in memory.
func streamByLevel(db *gorm.DB, table, refColumn string, fn func([]models.ID) error) error {
	var last string
	for {
		var ids []models.ID
		q := db.Table(table).Where(refColumn + " IS NULL").Order("id").Limit(StreamBatch)
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
	var links []struct {
		ID  models.ID
		Ref models.ID
	}
	if err := db.Table(table).Select("id, " + refColumn + " AS ref").Where(refColumn + " IS NOT NULL").Order("id").Scan(&links).Error; err != nil {
		return err
	}
	parent := make(map[models.ID]models.ID, len(links))
	for _, l := range links {
		parent[l.ID] = l.Ref
	}
	depth := func(id models.ID) int {
		d := 0
		for p, ok := parent[id]; ok && d <= len(parent); p, ok = parent[p] {
			d++
		}
		return d
	}
	levels := map[int][]models.ID{}
	maxLevel := 0
	for _, l := range links {
		d := depth(l.ID)
		levels[d] = append(levels[d], l.ID)
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
