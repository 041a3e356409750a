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
	return nil
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
		err = streamByLevel(db, sp.kind.Table, sp.kind.SelfRef, func(ids []models.ID) error {
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
