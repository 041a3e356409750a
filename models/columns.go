package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// StringList is a small ordered list (aliases) kept in one JSON column: it is read with
// its row and never filtered on, so a side table would only cost joins.
type StringList []string

// Value encodes the list as a JSON array ("[]" when empty, never NULL).
func (l StringList) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Scan decodes a JSON array from text or bytes.
func (l *StringList) Scan(src any) error { return scanJSON(src, l) }

// GormDBDataType is jsonb on PostgreSQL and text on SQLite.
func (StringList) GormDBDataType(db *gorm.DB, _ *schema.Field) string { return jsonType(db) }

// MarshalJSON emits [] rather than null for an empty list.
func (l StringList) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]string(l))
}

// StringMap holds external identifiers ({"wikidata": "Q3881"}) in one JSON column.
type StringMap map[string]string

// Value encodes the map as a JSON object ("{}" when empty, never NULL).
func (m StringMap) Value() (driver.Value, error) {
	if m == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]string(m))
	return string(b), err
}

// Scan decodes a JSON object from text or bytes.
func (m *StringMap) Scan(src any) error { return scanJSON(src, m) }

// GormDBDataType is jsonb on PostgreSQL and text on SQLite.
func (StringMap) GormDBDataType(db *gorm.DB, _ *schema.Field) string { return jsonType(db) }

// MarshalJSON emits {} rather than null for an empty map.
func (m StringMap) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]string(m))
}

func jsonType(db *gorm.DB) string {
	if db.Dialector.Name() == "postgres" {
		return "jsonb"
	}
	return "text"
}

func scanJSON(src, dst any) error {
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(v), dst)
	case []byte:
		return json.Unmarshal(v, dst)
	}
	return fmt.Errorf("models: cannot scan %T into %T", src, dst)
}

// JSONDoc is a whole JSON document kept as one column (a revision's snapshot): jsonb on
// PostgreSQL, text on SQLite, emitted verbatim.
type JSONDoc []byte

// Value stores the document as text.
func (d JSONDoc) Value() (driver.Value, error) {
	if len(d) == 0 {
		return "null", nil
	}
	return string(d), nil
}

// Scan copies the stored document.
func (d *JSONDoc) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*d = JSONDoc(v)
	case []byte:
		*d = append(JSONDoc(nil), v...)
	case nil:
		*d = nil
	default:
		return fmt.Errorf("models: cannot scan %T into JSONDoc", src)
	}
	return nil
}

// MarshalJSON emits the document as it is.
func (d JSONDoc) MarshalJSON() ([]byte, error) {
	if len(d) == 0 {
		return []byte("null"), nil
	}
	return d, nil
}

// UnmarshalJSON keeps the document as it is, so clients in Go can read revisions.
func (d *JSONDoc) UnmarshalJSON(b []byte) error {
	*d = append(JSONDoc(nil), b...)
	return nil
}

// GormDBDataType is json on PostgreSQL (which keeps the text as written, unlike jsonb)
// and text on SQLite.
func (JSONDoc) GormDBDataType(db *gorm.DB, _ *schema.Field) string {
	if db.Dialector.Name() == "postgres" {
		return "json"
	}
	return "text"
}
