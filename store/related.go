package store

import (
	"context"

	"github.com/parley-api/parley/models"
)

// LinkedEvent is an event related to another, with how.
type LinkedEvent struct {
	Type      models.RelationType `json:"type"`
	Direction string              `json:"direction" enums:"outgoing,incoming"` // outgoing: this event <type> the other
	Event     models.Event        `json:"event"`
}

// Related is an event's place in its series and its typed links, both ways.
type Related struct {
	Event     models.Event   `json:"event"`
	Parent    *models.Event  `json:"parent,omitempty"`
	Children  []models.Event `json:"children"`
	Relations []LinkedEvent  `json:"relations"`
}

// RelatedEvents loads the parent, the rounds (children, in date order) and the events
// linked to or from the event addressed by ref.
func (s *Store) RelatedEvents(ctx context.Context, ref string) (*Related, error) {
	db := s.db.WithContext(ctx)
	e, err := eventSpec.get(ctx, s.db, ref)
	if err != nil {
		return nil, err
	}
	out := &Related{Event: *e, Children: []models.Event{}, Relations: []LinkedEvent{}}
	var children []models.Event
	if err := db.Where("parent_id = ?", e.ID).Order("date_start, id").Find(&children).Error; err != nil {
		return nil, dbError(err, "events")
	}
	var incoming []models.Relation
	if err := db.Where("related_id = ?", e.ID).Order("type, event_id").Find(&incoming).Error; err != nil {
		return nil, dbError(err, "events")
	}
	ids := []models.ID{}
	if e.Parent != nil {
		ids = append(ids, e.Parent.ID)
	}
	for _, r := range e.Relations {
		ids = append(ids, r.Related.ID)
	}
	for _, r := range incoming {
		ids = append(ids, r.EventID)
	}
	var linked []models.Event
	if err := db.Where("id IN ?", ids).Find(&linked).Error; err != nil {
		return nil, dbError(err, "events")
	}
	all := make([]*models.Event, 0, len(children)+len(linked))
	for i := range children {
		all = append(all, &children[i])
	}
	for i := range linked {
		all = append(all, &linked[i])
	}
	if err := loadEventChildren(db, all); err != nil {
		return nil, dbError(err, "events")
	}
	byID := map[models.ID]models.Event{}
	for _, l := range linked {
		byID[l.ID] = l
	}
	if e.Parent != nil {
		p := byID[e.Parent.ID]
		out.Parent = &p
	}
	out.Children = children
	for _, r := range e.Relations {
		out.Relations = append(out.Relations, LinkedEvent{Type: r.Type, Direction: "outgoing", Event: byID[r.Related.ID]})
	}
	for _, r := range incoming {
		out.Relations = append(out.Relations, LinkedEvent{Type: r.Type, Direction: "incoming", Event: byID[r.EventID]})
	}
	if out.Children == nil {
		out.Children = []models.Event{}
	}
	return out, nil
}
