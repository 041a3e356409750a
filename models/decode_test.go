package models_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parley-api/parley/models"
)

// TestBodyMembers holds BodyMembers to what the decoder and the encoder do: every name
// it lists is accepted by the strict decoder, and every member the encoder writes for a
// filled-in value is listed, unless it is set by the server or embeds entities (the
// list below), for each kind and for the participant and relation objects in events.
func TestBodyMembers(t *testing.T) {
	t.Parallel()
	types := []reflect.Type{reflect.TypeFor[models.Participant](), reflect.TypeFor[models.Relation]()}
	for _, k := range models.Kinds {
		types = append(types, reflect.TypeOf(k.New()).Elem())
	}
	serverSet := []string{"version", "created_at", "updated_at", "title", "title_organization_id", "credit", "speaker_title"} // read-only once tagged so
	embeds := map[reflect.Type][]string{
		reflect.TypeFor[models.Event]():       {"location", "sources", "statements"},
		reflect.TypeFor[models.Participant](): {"actor", "represents"},
		reflect.TypeFor[models.Statement]():   {"speaker", "speaks_for", "event", "sources"},
		reflect.TypeFor[models.Source]():      {"via"},
	}
	for _, typ := range types {
		known := models.BodyMembers(typ)
		if len(known) == 0 {
			t.Fatalf("%v: no members", typ)
		}
		for _, m := range known {
			err := models.UnmarshalStrict([]byte(`{"`+m+`":null}`), reflect.New(typ).Interface())
			var me *models.Error
			if errors.As(err, &me) && len(me.Fields) > 0 && strings.Contains(me.Fields[0].Message, "not a known field") {
				t.Errorf("%v: %q is listed but the decoder refuses it", typ, m)
			}
			if slices.Contains(embeds[typ], m) {
				t.Errorf("%v: %q embeds entities, which no body sets", typ, m)
			}
		}
		v := reflect.New(typ)
		fillAll(v.Elem())
		b, err := json.Marshal(v.Interface())
		if err != nil {
			t.Fatal(err)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			t.Fatal(err)
		}
		for m := range obj {
			if !slices.Contains(known, m) && !slices.Contains(serverSet, m) && !slices.Contains(embeds[typ], m) {
				t.Errorf("%v: the encoder writes %q, which BodyMembers leaves out (%v)", typ, m, known)
			}
		}
	}
}

// fillAll sets every settable pointer and slice of a struct to a non-empty value, so
// that omitempty members are written.
func fillAll(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		if !f.CanSet() {
			continue
		}
		switch f.Kind() {
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.String:
			f.SetString("x")
		case reflect.Struct:
			if v.Type().Field(i).Anonymous {
				fillAll(f)
			}
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Int, reflect.Int64:
			f.SetInt(1)
		case reflect.Float64:
			f.SetFloat(1)
		}
	}
}

// TestUnknownFieldListsKnown checks the problem an unknown body member gives: the field
// named, the closest known name suggested, and the members a body sets in the object it
// is in listed in the detail (top level, and nested in an array of objects).
func TestUnknownFieldListsKnown(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body, field, suggest, where string
		typ                         reflect.Type
	}{
		{`{"titel":"Talks"}`, "titel", `did you mean "title"?`, "the fields a body sets here are ", reflect.TypeFor[models.Event]()},
		{`{"title":"Talks","participants":[{"actor_id":"putin","rolle":"host"}]}`, "participants[0].rolle", `did you mean "role"?`,
			"the fields a body sets in participants[0] are ", reflect.TypeFor[models.Participant]()},
		{`{"Title":"Talks"}`, "Title", `did you mean "title"?`, "the fields a body sets here are ", reflect.TypeFor[models.Event]()},
		{`{"zzzzzzzz":1}`, "zzzzzzzz", "", "the fields a body sets here are ", reflect.TypeFor[models.Event]()},
	}
	for _, c := range cases {
		var e models.Event
		err := models.UnmarshalStrict([]byte(c.body), &e)
		var me *models.Error
		if !errors.As(err, &me) || me.Code != models.EINVALID || len(me.Fields) != 1 {
			t.Fatalf("%s: %v", c.body, err)
		}
		f := me.Fields[0]
		if f.Field != c.field || !strings.HasPrefix(f.Message, "is not a known field") ||
			(c.suggest != "" && !strings.Contains(f.Message, c.suggest)) || (c.suggest == "" && strings.Contains(f.Message, "did you mean")) {
			t.Errorf("%s: field error %+v", c.body, f)
		}
		want := c.where + strings.Join(models.BodyMembers(c.typ), ", ")
		if !strings.HasSuffix(me.Message, want) {
			t.Errorf("%s: detail %q, want it to end with %q", c.body, me.Message, want)
		}
	}
	// The list is the type's: an event's members include its own and its meta's id, and
	// leave out what it embeds.
	known := models.BodyMembers(reflect.TypeFor[models.Event]())
	for _, m := range []string{"id", "title", "date", "participants", "summary"} {
		if !slices.Contains(known, m) {
			t.Errorf("event members %v lack %q", known, m)
		}
	}
	for _, m := range []string{"Meta", "EventID", "statements", "location", "sources"} {
		if slices.Contains(known, m) {
			t.Errorf("event members %v list %q", known, m)
		}
	}
}
