package store

import (
	"context"
	"time"

	"github.com/parley-api/parley/models"
	"gorm.io/gorm"
)

// RevisionFilter pages through one entity's history, oldest first.
type RevisionFilter struct {
	Limit  int
	Cursor string
}

var revisionSorts = []sortKey{{name: "created", column: "revisions.created_at", kind: keyTime}}

// Revisions lists the history of the entity of the given kind ("event", "actor", …)
// addressed by ref. A deleted entity's history stays readable by its id.
func (s *Store) Revisions(ctx context.Context, kind *models.Kind, ref string, f RevisionFilter) (Page[models.Revision], error) {
	db := s.db.WithContext(ctx)
	id, err := historyID(db, kind, ref)
	if err != nil {
		return Page[models.Revision]{}, err
	}
	var n int64
	if err := db.Model(&models.Revision{}).Where("entity_type = ? AND entity_id = ?", kind.Name, id).Count(&n).Error; err != nil {
		return Page[models.Revision]{}, dbError(err, "revisions")
	}
	if n == 0 {
		return Page[models.Revision]{}, models.NotFound(kind.Name, ref)
	}
	return list(db.Table("revisions"), listParams{"", f.Cursor, f.Limit}, revisionSorts,
		func(q *gorm.DB) *gorm.DB { return q.Where("entity_type = ? AND entity_id = ?", kind.Name, id) },
		func(r models.Revision, _ sortKey) any { return r.CreatedAt },
		func(r models.Revision) models.ID { return r.ID })
}

// historyID is the id whose history ref names: an id as given (the entity may be
// deleted), else the slug of an entity that exists. Statements have no slug.
func historyID(db *gorm.DB, kind *models.Kind, ref string) (models.ID, error) {
	if id, err := models.ParseID(ref); err == nil {
		return id, nil
	}
	var ids []models.ID
	if kind.Slug {
		if err := db.Table(kind.Table).Where("slug = ?", ref).Limit(1).Pluck("id", &ids).Error; err != nil {
			return models.ID{}, dbError(err, kind.Name)
		}
	}
	if len(ids) == 0 {
		return models.ID{}, models.NotFound(kind.Name, ref)
	}
	return ids[0], nil
}

// StateAt returns the revision that holds the state of the entity addressed by ref as it
// was at time at: the last change made at or before it. Before the entity existed, or
// after it was deleted, it is not found.
func (s *Store) StateAt(ctx context.Context, kind *models.Kind, ref string, at time.Time) (*models.Revision, error) {
	db := s.db.WithContext(ctx)
	id, err := historyID(db, kind, ref)
	if err != nil {
		return nil, err
	}
	var revs []models.Revision
	err = db.Where("entity_type = ? AND entity_id = ? AND created_at <= ?", kind.Name, id, at.UTC()).
		Order("version DESC").Limit(1).Find(&revs).Error
	if err != nil {
		return nil, dbError(err, "revisions")
	}
	switch {
	case len(revs) == 0:
		return nil, models.Errorf(models.ENOTFOUND, "%s %s did not exist at %s", kind.Name, ref, at.UTC().Format(time.RFC3339))
	case revs[0].Action == models.ActionDelete, revs[0].Action == models.ActionMerge:
		return nil, models.Errorf(models.ENOTFOUND, "%s %s had been deleted by %s", kind.Name, ref, at.UTC().Format(time.RFC3339))
	}
	return &revs[0], nil
}
