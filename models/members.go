package models

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
)

// Members says, once, what the JSON of an entity holds and what of it a client writes.
// The API documents derive the create, replace and patch bodies of every kind from it
// (api/openapi.go), so that they list exactly what the strict decoding of a body takes:
//
//   - a member tagged readonly:"true" (a version, timestamps) is set by the server: a
//     body may carry it, as an entity read and sent back does, and it is ignored;
//   - a member holding an entity (Actor, Event, …) is what include= embeds in a
//     response: a body carrying it is refused (Validate);
//   - every other member is written as sent.

// Member is one JSON member of a struct type.
type Member struct {
	// Name is the member's JSON name.
	Name string
	// Type is the field's Go type.
	Type reflect.Type
	// ReadOnly says that the server sets it and ignores what a body says.
	ReadOnly bool
	// Embedded says that it holds entities embedded in responses, which no body may carry.
	Embedded bool
}

// Writable reports whether a client sets the member.
func (m Member) Writable() bool { return !m.ReadOnly && !m.Embedded }

// Members lists the JSON members of struct type t (or a pointer to one) in field order,
// with the members of embedded structs (Meta) in place and json:"-" fields left out.
func Members(t reflect.Type) []Member {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []Member
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, Members(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, Member{Name: name, Type: f.Type, ReadOnly: f.Tag.Get("readonly") == "true", Embedded: holdsEntity(f.Type)})
	}
	return out
}

// Nested reports whether values of type t are JSON objects whose members Members
// describes: plain structs (a participant, a relation), not values with a JSON form of
// their own (a date, a reference, a time).
func Nested(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	p := reflect.PointerTo(t)
	return t.Kind() == reflect.Struct && !p.Implements(jsonUnmarshaler) && !p.Implements(textUnmarshaler)
}

var (
	entityType      = reflect.TypeFor[Entity]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// holdsEntity reports whether t is an entity, or a pointer, slice or array of them.
func holdsEntity(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(entityType)
}
