package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// ID is an entity's identifier: a time-ordered UUID (v7), so that ids sort roughly by
// creation and index inserts stay local. It is a native uuid column on PostgreSQL and
// text on SQLite.
type ID struct{ uuid.UUID }

// UUIDValue hands PostgreSQL the id's 16 bytes: without it pgx gets the text form from
// Value, fails to encode that in binary and parses it back, which cost a sixth of an
// import's CPU.
func (id ID) UUIDValue() (pgtype.UUID, error) { return pgtype.UUID{Bytes: id.UUID, Valid: true}, nil }

// pgx finds UUIDValue through this interface; should the signature drift, it would fall
// back to the slow text path without a word, so the compiler checks it.
var (
	_ pgtype.UUIDValuer = ID{}
	_ pgtype.UUIDValuer = Ref{}
)

// NewID returns a fresh UUIDv7.
func NewID() ID { return ID{uuid.Must(uuid.NewV7())} }

// ParseID parses the canonical textual form of a UUID.
func ParseID(s string) (ID, error) {
	if len(s) != 36 {
		return ID{}, fmt.Errorf("invalid id %q: not a UUID", s)
	}
	u, err := uuid.Parse(s)
	if err != nil {
		return ID{}, fmt.Errorf("invalid id %q: not a UUID", s)
	}
	return ID{u}, nil
}

// IsZero reports whether the id is unset.
func (id ID) IsZero() bool { return id.UUID == uuid.Nil }

// UnmarshalText accepts only the canonical 36-character form, so that every id has
// one spelling in URLs, bodies and the database.
func (id *ID) UnmarshalText(b []byte) error {
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// GormDBDataType makes the column uuid on PostgreSQL and text on SQLite.
func (ID) GormDBDataType(db *gorm.DB, _ *schema.Field) string { return uuidType(db) }

func uuidType(db *gorm.DB) string {
	if db.Dialector.Name() == "postgres" {
		return "uuid"
	}
	return "text"
}

// Ref points at another entity. Clients may write it as the entity's id or its slug;
// the store resolves a slug to the id before saving, and Ref is always stored and
// emitted as the id.
type Ref struct {
	ID   ID
	Slug string
}

// RefTo returns a resolved reference to id.
func RefTo(id ID) *Ref { return &Ref{ID: id} }

// RefBySlug returns an unresolved reference to the entity with slug.
func RefBySlug(slug string) *Ref { return &Ref{Slug: slug} }

// ParseRef reads an id or, failing that, a slug.
func ParseRef(s string) (Ref, error) {
	if id, err := ParseID(s); err == nil {
		return Ref{ID: id}, nil
	}
	if err := ValidateSlug(s); err != nil {
		return Ref{}, fmt.Errorf("%q is neither an id nor a slug", s)
	}
	return Ref{Slug: s}, nil
}

// String is the id when resolved, else the slug.
func (r Ref) String() string {
	if !r.ID.IsZero() {
		return r.ID.String()
	}
	return r.Slug
}

// Resolved reports whether the id is known.
func (r Ref) Resolved() bool { return !r.ID.IsZero() }

// MarshalJSON emits the id (or, before resolution, the slug).
func (r Ref) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// UnmarshalJSON accepts a JSON string holding an id or a slug.
func (r *Ref) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a string (an id or a slug)")
	}
	v, err := ParseRef(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Value stores the id; an unresolved reference is a bug in the caller.
func (r Ref) Value() (driver.Value, error) {
	if !r.Resolved() {
		return nil, fmt.Errorf("models: unresolved reference %q", r.Slug)
	}
	return r.ID.Value()
}

// UUIDValue is Value for pgx (see ID.UUIDValue).
func (r Ref) UUIDValue() (pgtype.UUID, error) {
	if !r.Resolved() {
		return pgtype.UUID{}, fmt.Errorf("models: unresolved reference %q", r.Slug)
	}
	return r.ID.UUIDValue()
}

// Scan reads an id column.
func (r *Ref) Scan(src any) error {
	r.Slug = ""
	return r.ID.Scan(src)
}

// GormDBDataType makes the column uuid on PostgreSQL and text on SQLite.
func (Ref) GormDBDataType(db *gorm.DB, _ *schema.Field) string { return uuidType(db) }
