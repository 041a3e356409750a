package models

import "time"

// Redirect is what a merge leaves of the entity that went: its id and slug now name the
// survivor, so that old URLs answer 308 and references to them land on the survivor.
type Redirect struct {
	Kind      string    `json:"kind" gorm:"primaryKey"`
	FromID    ID        `json:"from_id" gorm:"primaryKey"`
	FromSlug  string    `json:"from_slug,omitempty" gorm:"not null"`
	ToID      ID        `json:"to_id" gorm:"not null"`
	CreatedAt time.Time `json:"created_at" gorm:"not null"`
}

// TableName is the redirects table.
func (Redirect) TableName() string { return "redirects" }

// Validate checks a redirect as a bundle carries it.
func (r *Redirect) Validate() error {
	v := NewValidation(EUNPROCESSABLE)
	if k, ok := KindNamed(r.Kind); !ok || !k.Slug {
		v.Add("kind", "must be a kind addressed by slug (actor, location, source, event)")
	}
	if r.FromID.IsZero() {
		v.Add("from_id", "is required")
	}
	if r.ToID.IsZero() {
		v.Add("to_id", "is required")
	}
	if r.FromID == r.ToID && !r.FromID.IsZero() {
		v.Add("to_id", "must differ from from_id")
	}
	if r.FromSlug != "" {
		checkSlug(v, r.FromSlug)
	}
	return v.Err()
}

// MergeRequest is the body of POST /{collection}/{id}/merge: the entity addressed by the
// path is the duplicate that goes, Into the one that stays.
type MergeRequest struct {
	// Into is the survivor: its id or slug.
	Into Ref `json:"into" swaggertype:"string" example:"united-kingdom"`
}

// Validate checks that the survivor is named.
func (m *MergeRequest) Validate() error {
	v := NewValidation(EUNPROCESSABLE)
	checkRef(v, "into", &m.Into, true)
	return v.Err()
}

// DuplicateCandidate is an event that may be the same real event as another, with how
// alike they are (0 to 1) and why.
type DuplicateCandidate struct {
	Event   *Event   `json:"event"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
}
