package models

import "encoding/json"

// MetaMembers says which of Meta's members a decoded record named. A bundle's
// created_at of 0001-01-01T00:00:00Z is a value it states, though it decodes to the zero
// time just as an absent one does: an import keeps the first and fills in the second.
type MetaMembers struct {
	ID, Version, CreatedAt, UpdatedAt bool
}

// StatedMeta reports which Meta members the JSON object data names, m being what was
// decoded from it. A member decoded to a value other than zero was named; data is read
// again only when one is zero, so a bundle's lines, whose meta is all set, cost nothing
// more. A member given as null counts as absent.
func StatedMeta(data []byte, m *Meta) MetaMembers {
	out := MetaMembers{ID: !m.ID.IsZero(), Version: m.Version != 0, CreatedAt: !m.CreatedAt.IsZero(), UpdatedAt: !m.UpdatedAt.IsZero()}
	if out.ID && out.Version && out.CreatedAt && out.UpdatedAt {
		return out
	}
	var raw struct {
		ID        json.RawMessage `json:"id"`
		Version   json.RawMessage `json:"version"`
		CreatedAt json.RawMessage `json:"created_at"`
		UpdatedAt json.RawMessage `json:"updated_at"`
	}
	if json.Unmarshal(data, &raw) != nil {
		return out
	}
	named := func(v json.RawMessage) bool { return len(v) > 0 && string(v) != "null" }
	return MetaMembers{ID: named(raw.ID), Version: named(raw.Version), CreatedAt: named(raw.CreatedAt), UpdatedAt: named(raw.UpdatedAt)}
}
