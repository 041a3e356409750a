package models_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
)

// TestMembers: an event's members are its JSON members, Meta's inlined, json:"-" fields
// left out; the version and timestamps are read-only, the embedded entities (at any
// depth) are embedded, and the rest is writable, the id included (a client may choose it).
func TestMembers(t *testing.T) {
	t.Parallel()
	kinds := map[string]string{}
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for _, m := range models.Members(typ) {
			switch {
			case m.ReadOnly:
				kinds[prefix+m.Name] = "read-only"
			case m.Embedded:
				kinds[prefix+m.Name] = "embedded"
			default:
				kinds[prefix+m.Name] = "writable"
			}
			if m.Type.Kind() == reflect.Slice && models.Nested(m.Type.Elem()) {
				walk(prefix+m.Name+"[].", m.Type.Elem())
			}
		}
	}
	walk("", reflect.TypeFor[models.Event]())
	for name, want := range map[string]string{
		"id": "writable", "version": "read-only", "created_at": "read-only", "updated_at": "read-only",
		"title": "writable", "date": "writable", "participants": "writable", "participants[].actor_id": "writable",
		"participants[].actor": "embedded", "relations[].event_id": "writable",
		"location": "embedded", "sources": "embedded", "statements": "embedded",
	} {
		if kinds[name] != want {
			t.Errorf("%s is %q, want %s", name, kinds[name], want)
		}
	}
	for _, gone := range []string{"Meta", "EventID", "participants[].Position", "participants[].EventStart"} {
		if _, ok := kinds[gone]; ok {
			t.Errorf("%s is a member", gone)
		}
	}
	if models.Nested(reflect.TypeFor[models.Date]()) || models.Nested(reflect.TypeFor[models.Ref]()) || !models.Nested(reflect.TypeFor[models.Participant]()) {
		t.Error("Nested: dates and references have JSON forms of their own; participants are objects")
	}
}

// TestEmbeddedMembersRefused: every member that embeds entities, in every kind and in
// the objects a kind lists, is refused by Validate when a body sets it. The API
// documents leave these members out of the request bodies on the strength of it.
func TestEmbeddedMembersRefused(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, k := range models.Kinds {
		typ := reflect.TypeOf(k.New()).Elem()
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case f.Anonymous || name == "-":
			case isEmbedded(typ, name):
				e := k.New()
				setSome(reflect.ValueOf(e).Elem().Field(i))
				checked++
				if !refuses(e, name) {
					t.Errorf("%s: a body with %s is not refused by Validate", k.Name, name)
				}
			case f.Type.Kind() == reflect.Slice && models.Nested(f.Type.Elem()):
				elem := f.Type.Elem()
				for j := range elem.NumField() {
					g := elem.Field(j)
					inner, _, _ := strings.Cut(g.Tag.Get("json"), ",")
					if !isEmbedded(elem, inner) {
						continue
					}
					e := k.New()
					list := reflect.ValueOf(e).Elem().Field(i)
					item := reflect.New(elem).Elem()
					setSome(item.Field(j))
					list.Set(reflect.Append(list, item))
					checked++
					if !refuses(e, name+"[0]."+inner) {
						t.Errorf("%s: a body with %s[0].%s is not refused by Validate", k.Name, name, inner)
					}
				}
			}
		}
	}
	if checked < 4 {
		t.Errorf("only %d embedded members found", checked)
	}
}

func isEmbedded(typ reflect.Type, name string) bool {
	i := slices.IndexFunc(models.Members(typ), func(m models.Member) bool { return m.Name == name })
	return i >= 0 && models.Members(typ)[i].Embedded
}

// setSome gives v a value that is not empty: a pointer to a zero value, a list of one.
func setSome(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	}
}

// refuses reports whether e's Validate names the member (in a field or a message).
func refuses(e models.Entity, member string) bool {
	var me *models.Error
	if !errors.As(e.Validate(), &me) {
		return false
	}
	return slices.ContainsFunc(me.Fields, func(f models.FieldError) bool {
		return f.Field == member || strings.Contains(f.Message, strings.TrimPrefix(member[strings.LastIndex(member, ".")+1:], "."))
	})
}
