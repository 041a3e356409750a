package models

// EventTag is one tag of an event, in its own table so that tag filters use an index.
type EventTag struct {
	EventID ID     `gorm:"primaryKey"`
	Tag     string `gorm:"primaryKey"`
}

// StatementTag is one tag of a statement.
type StatementTag struct {
	StatementID ID     `gorm:"primaryKey"`
	Tag         string `gorm:"primaryKey"`
}

// EventSource links an event to a source that reports it; Position keeps the order given.
type EventSource struct {
	EventID  ID  `gorm:"primaryKey"`
	SourceID ID  `gorm:"primaryKey"`
	Position int `gorm:"not null"`
}

// StatementSource links a statement to a source that reports it.
type StatementSource struct {
	StatementID ID  `gorm:"primaryKey"`
	SourceID    ID  `gorm:"primaryKey"`
	Position    int `gorm:"not null"`
}

// AllTables lists every GORM model that maps to a table, in dependency order: each
// kind's table and its children, then revisions and keys. The schema test checks each
// against the migrated database.
func AllTables() []any {
	var out []any
	for _, k := range Kinds {
		out = append(append(out, k.New()), k.Children...)
	}
	return append(out, &Revision{}, &APIKey{}, &Redirect{})
}

// RelationRecord is an event relation on its own, as a bundle carries it after every
// event, so that relations may point forward and backward freely.
type RelationRecord struct {
	EventID   ID           `json:"event_id"`
	Type      RelationType `json:"type"`
	RelatedID ID           `json:"related_id"`
}
